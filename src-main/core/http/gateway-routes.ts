import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Desk } from '../desk.js';
import { GatewayError, notFound, upstreamFailed } from '../gateway/errors.js';
import type { ForwardPlan } from '../gateway/failover.js';
import { Gateway, type GatewayCaller } from '../gateway/gateway.js';
import { COMPAT_OPERATIONS, compatPlan, modelNotFound, parseCompatBody, type CompatOperation } from '../gateway/openai-compat.js';
import { passthroughPlan } from '../gateway/passthrough.js';
import { ProbeError } from '../probe/errors.js';

/** LLM requests carry whole conversations, images and documents: far more than the management API's 1 MiB. */
export const GATEWAY_BODY_LIMIT = 32 * 1024 * 1024;

const METHODS: HTTPMethods[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

function bodyOf(request: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(request.body) ? request.body : undefined;
}

/** The scoped token the auth hook accepted (null for the main token or a browser session). */
function callerOf(request: FastifyRequest): GatewayCaller {
  return request.gatewayToken ?? null;
}

/**
 * Sends a planned request and streams the provider's answer back as it arrives. The client hanging up (at any point:
 * while we wait, retry or stream) cancels the upstream request.
 */
async function answer(gateway: Gateway, request: FastifyRequest, reply: FastifyReply, plan: ForwardPlan): Promise<FastifyReply> {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  // The server's idle timeout is for clients that stall; here the wait is on the provider, bounded by its own timeout.
  request.raw.socket?.setTimeout(0);
  const result = await gateway.send(plan, callerOf(request), controller.signal);
  return reply.code(result.status).headers(result.headers).send(result.body);
}

/**
 * The local gateway's routes, in their own plugin: `/proxy/{provider}/…` (native passthrough) and the OpenAI-compatible
 * `/v1/…`. Every route is marked `gateway`, so scoped gateway tokens are accepted here (and only here). Bodies are kept
 * as the bytes that came (the passthrough forwards them unchanged), and failures are answered in OpenAI's error shape.
 */
export function registerGatewayRoutes(app: FastifyInstance, desk: Desk): void {
  void app.register(async (scope) => {
    const gateway = new Gateway({ providers: desk.providers, health: desk.health, logger: desk.logger, usage: () => desk.usage });
    scope.addHook('onClose', async () => gateway.close());

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
        desk.logger.error('gateway error', { route: request.routeOptions.url ?? 'unmatched', error: error.name, code: error.code ?? '' });
        failure = new GatewayError(500, 'api_error', 'internal', 'Internal error');
      }
      return reply.code(failure.status).send(failure.body());
    });

    const shared = { config: { gateway: true }, bodyLimit: GATEWAY_BODY_LIMIT, exposeHeadRoute: false } as const;

    const proxy = async (request: FastifyRequest, reply: FastifyReply) => {
      const name = (request.params as { provider: string }).provider;
      const raw = request.raw.url ?? '/';
      const prefix = `/proxy/${name}`;
      const rest = raw.startsWith(prefix) ? raw.slice(prefix.length) : '/';
      const provider = gateway.provider(name, callerOf(request));
      const plan = passthroughPlan(
        provider,
        { method: request.method, rest, headers: request.headers, body: bodyOf(request) },
        gateway.credentials,
      );
      return answer(gateway, request, reply, plan);
    };
    scope.route({ ...shared, method: METHODS, url: '/proxy/:provider', handler: proxy });
    scope.route({ ...shared, method: METHODS, url: '/proxy/:provider/*', handler: proxy });

    scope.get('/v1/models', shared, async (request) => ({ object: 'list', data: gateway.models(callerOf(request)) }));
    // OpenAI's SDKs retrieve one model as GET /v1/models/{id}; ours contain a slash (provider/model).
    scope.get('/v1/models/*', shared, async (request) => {
      const id = (request.params as { '*': string })['*'];
      const found = gateway.models(callerOf(request)).find((model) => model.id === id);
      if (!found) throw modelNotFound(id);
      return found;
    });

    const compat = (operation: CompatOperation) => async (request: FastifyRequest, reply: FastifyReply) => {
      const parsed = parseCompatBody(bodyOf(request), request.headers);
      const provider = gateway.provider(parsed.provider, callerOf(request));
      return answer(gateway, request, reply, compatPlan(provider, operation, parsed, request.headers, gateway.credentials));
    };
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
