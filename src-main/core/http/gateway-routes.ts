import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { GatewayRouteDeps } from './gateway-handlers.js';
import { COMPAT_OPERATIONS, type CompatOperation } from '../gateway/compat-operations.js';
import { GatewayError, notFound, upstreamFailed } from '../gateway/errors.js';
import { ProbeError } from '../probe/errors.js';
import type { GatewayHandlers } from './gateway-handlers.js';

/** LLM requests carry whole conversations, images and documents: far more than the management API's 1 MiB. */
export const GATEWAY_BODY_LIMIT = 32 * 1024 * 1024;

const METHODS: HTTPMethods[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/**
 * The local gateway's routes, in their own plugin: `/proxy/{provider}/…` (native passthrough) and the OpenAI-compatible
 * `/v1/…`. Every route is marked `gateway`, so scoped gateway tokens are accepted here (and only here). Bodies are kept
 * as the bytes that came (the passthrough forwards them unchanged), and failures are answered in OpenAI's error shape.
 * The gateway itself (undici pools, AWS and Google credential code) loads on the first gateway request, so a server
 * that is never used as a gateway starts without it.
 */
export function registerGatewayRoutes(app: FastifyInstance, deps: GatewayRouteDeps): void {
  void app.register(async (scope) => {
    let loaded: Promise<GatewayHandlers> | undefined;
    const handlers = (): Promise<GatewayHandlers> =>
      (loaded ??= import('./gateway-handlers.js').then((module) => module.createGatewayHandlers(deps)));
    scope.addHook('onClose', async () => {
      if (loaded) await (await loaded).close();
    });

    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: GATEWAY_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      if (reply.raw.destroyed) return reply;
      let failure: GatewayError;
      if (error instanceof GatewayError) failure = error;
      else if (error instanceof ProbeError) failure = upstreamFailed(error.errorClass, error.message);
      else if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        failure = new GatewayError(413, 'invalid_request_error', 'request_too_large', 'The request body is larger than 32 MiB');
      else if (error.statusCode === 408)
        failure = new GatewayError(408, 'invalid_request_error', 'timeout', 'The request took too long to arrive');
      else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
        failure = new GatewayError(error.statusCode, 'invalid_request_error', 'bad_request', 'Bad request');
      else {
        deps.logger.error('gateway error', { route: request.routeOptions.url ?? 'unmatched', error: error.name, code: error.code ?? '' });
        failure = new GatewayError(500, 'api_error', 'internal', 'Internal error');
      }
      return reply.code(failure.status).send(failure.body());
    });

    const shared = { config: { gateway: true }, bodyLimit: GATEWAY_BODY_LIMIT, exposeHeadRoute: false } as const;

    const proxy = async (request: FastifyRequest, reply: FastifyReply) => (await handlers()).proxy(request, reply);
    scope.route({ ...shared, method: METHODS, url: '/proxy/:provider', handler: proxy });
    scope.route({ ...shared, method: METHODS, url: '/proxy/:provider/*', handler: proxy });

    scope.get('/v1/models', shared, async (request) => (await handlers()).models(request));
    // OpenAI's SDKs retrieve one model as GET /v1/models/{id}; ours contain a slash (provider/model).
    scope.get('/v1/models/*', shared, async (request) => (await handlers()).model(request));

    const compat = (operation: CompatOperation) => async (request: FastifyRequest, reply: FastifyReply) =>
      (await handlers()).compat(operation, request, reply);
    for (const operation of COMPAT_OPERATIONS) scope.post(`/v1/${operation}`, shared, compat(operation));

    // Anything else under /v1 is answered here, in OpenAI's shape and to gateway tokens too (as a param route, not
    // `/v1/*`, so that the route table prints it under its own prefix).
    const unknownEndpoint = async (request: FastifyRequest) => {
      throw notFound(
        'unknown_endpoint',
        `Provider Desk's OpenAI-compatible endpoint serves GET /v1/models, POST /v1/chat/completions, /v1/embeddings and /v1/responses (not ${request.method} ${request.url.split('?')[0] ?? ''}); call a provider's own API through /proxy/{provider}/…`,
      );
    };
    scope.route({ ...shared, method: METHODS, url: '/v1/:endpoint', handler: unknownEndpoint });
    scope.route({ ...shared, method: METHODS, url: '/v1/:endpoint/*', handler: unknownEndpoint });
  });
}
