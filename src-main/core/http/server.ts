import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { HttpDeps } from './deps.js';
import { allowedOrigins, cookieValue, isAllowedHost, parseOrigins, presentedToken } from './guard.js';
import { clearedSessionCookie, SESSION_COOKIE, sessionCookie, SessionStore } from './sessions.js';
import { requestTargetProblem } from './request-target.js';
import { frameworkFailureOf, nativeFailure, surfaceOfRoute, type GenericFailure, type SurfaceName } from './surfaces/registry.js';
import { sendShape, shapeFailure } from './surfaces/plugin.js';
import { registerNativeRoutes } from './native-routes.js';
import { buildOpenApi } from './openapi.js';
import { BadJsonError, parseJsonBody } from './json-body.js';
import { answerClientError } from './client-errors.js';
import { failureShaperOf, registerSurfaces, surfaceOfPath } from './surfaces/index.js';
import { registerGatewayRoutes } from './gateway-routes.js';
import { authenticate, GATEWAY_SCOPE_MESSAGE } from './gateway-auth.js';
import { ResponseCache } from './response-cache.js';
import { CachedReadFastPath } from './cached-read-fast-path.js';

export const DEFAULT_PORT = 3100;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export { IMPORT_BODY_LIMIT } from '../contract/operations.js';

export interface ApiServerOptions {
  port?: number;
  /** Extra browser origins allowed to call the API (never `*`). */
  origins?: readonly string[];
  /** Serve the built renderer at `/` (browser mode). */
  uiDir?: string | undefined;
  /** How long a client may take to send a whole request (default 30 s). */
  requestTimeoutMs?: number;
  /** Answer cached main-token GETs before routing (http/cached-read-fast-path.ts); default true. Tests turn it off to compare. */
  fastPath?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answers without a token or session. Every route not marked so needs one (deny by default). */
    public?: boolean;
    /**
     * A gateway route (/proxy/…, /v1/…): besides the main token it accepts scoped gateway tokens, also sent as
     * x-api-key, api-key, x-goog-api-key or a SigV4 signature (http/gateway-auth.ts). No other route accepts them.
     */
    gateway?: boolean;
  }
}

export interface ApiServer {
  app: FastifyInstance;
  sessions: SessionStore;
  /** The pre-routing answers of cached reads (its `hits` count them). */
  fastPath: CachedReadFastPath;
  url: string;
  port: number;
  close(): Promise<void>;
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}

/** A generic failure in the shape of `surface`: for a routed request, the surface of the route it matched (surfaceOfRoute). */
export function sendFailure(
  reply: FastifyReply,
  surface: SurfaceName,
  failure: GenericFailure,
  message?: string,
  detail?: string,
): FastifyReply {
  return sendShape(reply, shapeFailure(failureShaperOf(surface), { failure, message, detail }));
}

/** The loopback server: guards (Host, Origin, token), native routes from the contract, the compatible surfaces, optional GUI. */
// Required, not imported: an ES import of node:http builds its ES facade, whose getters (WebSocket, MessageEvent…)
// load Node's bundled undici, ~35 ms of every `serve` start for nothing used here.
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

type SchemaCompilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type AnyFactory = (...args: unknown[]) => unknown;

/** Fastify's default schema compilers, required (from Fastify's own dependencies) on first use only. */
export function lazySchemaCompilers(): SchemaCompilers {
  const load = (name: string): AnyFactory => {
    const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
    return (fromFastify(name) as () => AnyFactory)();
  };
  let validator: AnyFactory | undefined;
  let serializer: AnyFactory | undefined;
  const buildValidator: AnyFactory = (...args) => (validator ??= load('@fastify/ajv-compiler'))(...args);
  const buildSerializer: AnyFactory = (...args) => (serializer ??= load('@fastify/fast-json-stringify-compiler'))(...args);
  return { buildValidator, buildSerializer } as unknown as SchemaCompilers;
}

export async function startApiServer(deps: HttpDeps, options: ApiServerOptions = {}): Promise<ApiServer> {
  // Refused before anything starts: an allow-list entry such as `null` or `*` would open the API to any page.
  const extraOrigins = parseOrigins(options.origins ?? [], 'origins');
  const sessions = new SessionStore();
  const state = { port: options.port ?? DEFAULT_PORT };
  const cache = new ResponseCache();
  const fastPath = new CachedReadFastPath(deps, cache, () => state.port);
  if (options.fastPath === false) fastPath.close();
  const app = Fastify({
    logger: false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    // No route declares a JSON schema (requests are parsed with zod): Fastify's schema compilers (ajv,
    // fast-json-stringify) load only if one ever does, not at every start (~60 ms of `serve`'s start).
    schemaController: { compilersFactory: lazySchemaCompilers() },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // Without a Host header Node would answer a bare 400 itself; the Host guard answers it in the surface's shape.
    // Timed-out requests are found by a sweep of open connections; every second keeps a slow client's socket short-lived.
    http: { requireHostHeader: false, connectionsCheckingInterval: 1000 },
    // Fastify's own server (lib/server.js getServerInstance), with the fast path in front of its handler.
    serverFactory: (handler, opts) => {
      const server = createServer(opts.http ?? {}, (request, response) => {
        if (!fastPath.tryAnswer(request, response)) handler(request, response);
      });
      const { keepAliveTimeout, requestTimeout, connectionTimeout } = opts as Record<string, number>;
      server.keepAliveTimeout = keepAliveTimeout as number;
      server.requestTimeout = requestTimeout as number;
      server.setTimeout(connectionTimeout);
      return server;
    },
    // Router refusals (bad percent-encoding, over-long ids) in the surface's own shape.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
      // Nothing was routed: the URL's prefix names the surface.
      return sendFailure(reply, surfaceOfPath(pathOf(request.raw.url)), 'bad_request', 'Bad request', error.message);
    },
    // Requests Node's parser refuses (bad bytes, oversized headers) still get a JSON answer.
    clientErrorHandler: answerClientError,
  });

  // Filled in by the auth hook (http/gateway-auth.ts); null until then and for the main token.
  app.decorateRequest('gatewayToken', null);
  app.decorateRequest('storeVersion', '');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (error) {
      done(error as BadJsonError, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    // curl -d without a Content-Type header still sends JSON more often than not.
    try {
      done(null, parseJsonBody((body as Buffer).toString('utf8')));
    } catch {
      const error = new Error('unsupported media type') as Error & { statusCode: number };
      error.statusCode = 415;
      done(error, undefined);
    }
  });

  const origins = () => allowedOrigins(state.port, extraOrigins);

  const ownOrigins = () => allowedOrigins(state.port, []);

  // Callback hooks, not async ones: no promise and microtask per hook, and a GET that passes runs on into its handler
  // inside done(). So one read of the store version serves both the token check here and the page cache's lookup
  // (Repository.sharingVersion). A hook that answers does not call done.
  app.addHook('onRequest', (request, reply, done) =>
    deps.store.sharingVersion(() => {
      // Refused before any auth decision: a target the router would read differently from how it looks.
      const targetProblem = requestTargetProblem(request.raw.url);
      if (targetProblem) {
        sendFailure(reply, surfaceOfRoute(request), 'bad_request', 'Bad request target', targetProblem);
        return;
      }
      if (!isAllowedHost(request.headers.host, state.port)) {
        sendFailure(reply, surfaceOfRoute(request), 'forbidden_host');
        return;
      }
      const origin = request.headers.origin;
      if (origin !== undefined) {
        if (!origins().has(origin)) {
          sendFailure(reply, surfaceOfRoute(request), 'forbidden_origin');
          return;
        }
        reply.header('access-control-allow-origin', origin);
        reply.header('vary', 'Origin');
        reply.header('access-control-allow-credentials', 'true');
        if (request.method === 'OPTIONS') {
          reply.header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE');
          reply.header('access-control-allow-headers', 'authorization, content-type, if-match, coder-session-token');
          reply.header('access-control-max-age', '600');
          reply.code(204).send();
          return;
        }
      }
      // Decided on the route that matched (an unmatched request has no config and so needs auth too).
      if (request.routeOptions.config?.public === true) return done();
      const decision = authenticate(request, deps, () => sessionAllowed(request));
      if (decision.ok) {
        request.gatewayToken = decision.gatewayToken;
        request.storeVersion = deps.store.version();
        if (decision.gatewayToken) deps.usage.touchToken(decision.gatewayToken.id);
        return done();
      }
      if (decision.failure === 'gateway_token_elsewhere') {
        sendFailure(reply, surfaceOfRoute(request), 'forbidden_scope', GATEWAY_SCOPE_MESSAGE);
        return;
      }
      sendFailure(reply, surfaceOfRoute(request), 'unauthorized', decision.message);
    }),
  );

  /**
   * A browser session counts only for a same-origin request (any local web page on another port receives the
   * cookie, since cookies ignore ports), with the current token generation, on the port that issued it.
   */
  const sessionAllowed = (request: FastifyRequest): boolean => {
    const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!id) return false;
    const origin = request.headers.origin;
    const sameOrigin = origin !== undefined ? ownOrigins().has(origin) : request.headers['sec-fetch-site'] === 'same-origin';
    if (!sameOrigin) return false;
    return sessions.valid(id, { generation: deps.token.generation(), port: request.socket.localPort ?? state.port });
  };

  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    deps.logger.debug('request', {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
    });
    done();
  });

  // The native API's, the GUI's and the session routes' failures; each compatible surface and the gateway have their own.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const framework = frameworkFailureOf(error);
    if (framework) return sendShape(reply, shapeFailure(nativeFailure, framework));
    deps.logger.error('unhandled error', {
      route: request.routeOptions.url ?? pathOf(request.url),
      error: error.name,
      code: error.code ?? '',
    });
    return sendFailure(reply, 'native', 'internal', 'Internal error');
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request.url);
    return sendFailure(reply, 'native', 'not_found', `No route for ${request.method} ${path}`);
  });

  app.get('/api/v1/openapi.json', async () => buildOpenApi(deps.version));
  registerNativeRoutes(app, deps, cache);
  app.addHook('preClose', (done) => {
    fastPath.close();
    done();
  });
  registerSurfaces(app, deps);
  registerGatewayRoutes(app, deps);
  const openSession = (): string => sessions.create({ generation: deps.token.generation(), port: state.port });
  registerSession(app, deps, sessions, openSession);
  if (options.uiDir) {
    const { registerUi } = await import('./ui.js');
    registerUi(app, deps, openSession, options.uiDir);
  }

  try {
    await app.listen({ host: '127.0.0.1', port: state.port });
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${state.port} on 127.0.0.1 is already in use (is Provider Desk already running?). Choose another with --port.`,
        { cause: error },
      );
    }
    throw error;
  }
  const address = app.server.address();
  if (address && typeof address === 'object') state.port = address.port;
  const url = `http://127.0.0.1:${state.port}`;
  deps.api.set({ url, port: state.port, enabled: true });
  const unsubscribe = onTokenRotated(deps, () => sessions.clear());
  return {
    app,
    sessions,
    fastPath,
    url,
    port: state.port,
    close: async () => {
      unsubscribe();
      deps.api.set({ ...deps.api.get(), enabled: false });
      await app.close();
    },
  };
}

function onTokenRotated(deps: Pick<HttpDeps, 'token'>, listener: () => void): () => void {
  deps.token.events.on('rotated', listener);
  return () => deps.token.events.off('rotated', listener);
}

/** POST /api/v1/session {token} logs a browser in (HttpOnly, SameSite=Strict cookie); DELETE logs out. Both public. */
function registerSession(app: FastifyInstance, deps: Pick<HttpDeps, 'token'>, sessions: SessionStore, openSession: () => string): void {
  app.post('/api/v1/session', { config: { public: true } }, async (request, reply) => {
    const body = request.body as { token?: unknown } | undefined;
    const token = typeof body?.token === 'string' ? body.token : presentedToken(request.headers);
    if (!deps.token.verify(token)) return sendFailure(reply, 'native', 'unauthorized', 'That token is not valid');
    reply.header('set-cookie', sessionCookie(openSession()));
    return { ok: true };
  });
  app.delete('/api/v1/session', { config: { public: true } }, async (request, reply) => {
    sessions.revoke(cookieValue(request.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', clearedSessionCookie());
    return { ok: true };
  });
}
