import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorBody } from '../contract/errors.js';
import { operations, OPERATION_NAMES, type OperationName } from '../contract/operations.js';
import type { HttpDeps } from './deps.js';
import { ResponseCache } from './response-cache.js';
import { registerEventsRoute } from './events-route.js';

/** `/api/v1/providers/{idOrName}` → `/api/v1/providers/:idOrName` */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** `"3"`, `W/"3"` or `3` → 3. */
export function revisionFromIfMatch(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return match ? Number(match[1]) : Number.NaN;
}

export function sendNativeError(reply: FastifyReply, error: ErrorBody): FastifyReply {
  return reply.code(ERROR_CODES[error.code] ?? 500).send({ error });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path parameters as the service looks them up: provider ids are stored lowercase, and a UUID is case-insensitive on input. */
function pathParams(request: FastifyRequest): Record<string, unknown> {
  const params = { ...(request.params as Record<string, unknown>) };
  const idOrName = params.idOrName;
  if (typeof idOrName === 'string' && UUID.test(idOrName)) params.idOrName = idOrName.toLowerCase();
  return params;
}

function inputOf(
  request: FastifyRequest,
  revisionField: string | undefined,
  bodyOnly: readonly string[] = [],
): Record<string, unknown> | ErrorBody {
  const body = request.body;
  const inQuery = bodyOnly.filter((field) => Object.hasOwn((request.query ?? {}) as object, field));
  if (inQuery.length > 0) {
    return {
      code: 'validation_failed',
      message: `${inQuery.join(', ')} must be sent in the JSON body, never in the URL (URLs end up in logs and shell history)`,
      fields: inQuery.map((path) => ({ path, message: 'must be sent in the JSON body, not in the query string' })),
    };
  }
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    return {
      code: 'validation_failed',
      message: 'The request body must be a JSON object',
      fields: [{ path: '(body)', message: 'must be a JSON object' }],
    };
  }
  const input: Record<string, unknown> = {
    ...(request.query as object),
    ...((body as object | undefined) ?? {}),
    ...pathParams(request),
  };
  if (revisionField) {
    const ifMatch = request.headers['if-match'];
    const revision = revisionFromIfMatch(Array.isArray(ifMatch) ? ifMatch[0] : ifMatch);
    if (Number.isNaN(revision)) {
      return {
        code: 'validation_failed',
        message: 'If-Match must be an ETag given by this API, e.g. "3"',
        fields: [{ path: 'If-Match', message: 'must be a revision ETag' }],
      };
    }
    if (revision !== undefined) input[revisionField] = revision;
  }
  return input;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && !('idOrName' in value);
}

/** Streams progress as NDJSON lines (or SSE when asked), then the result. */
async function streamOperation(
  deps: Pick<HttpDeps, 'dispatch'>,
  name: OperationName,
  input: Record<string, unknown>,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const sse = String(request.headers.accept ?? '').includes('text/event-stream');
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': sse ? 'text/event-stream' : 'application/x-ndjson',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(reply.getHeader('access-control-allow-origin')
      ? { 'access-control-allow-origin': String(reply.getHeader('access-control-allow-origin')), vary: 'Origin' }
      : {}),
  });
  const send = (type: string, data: unknown): void => {
    raw.write(sse ? `event: ${type}\ndata: ${JSON.stringify(data)}\n\n` : `${JSON.stringify({ type, ...(data as object) })}\n`);
  };
  // A client that closes the stream before the result (Ctrl+C in the CLI, a closed tab) no longer wants the work done.
  const gone = new AbortController();
  raw.on('close', () => {
    if (!raw.writableEnded) gone.abort();
  });
  const result = await deps.dispatch(name, input, {
    transport: 'http',
    onProgress: (event) => send('progress', event),
    signal: gone.signal,
  });
  if (gone.signal.aborted) return;
  if (result.ok) send('result', { result: result.data });
  else send('error', { error: result.error });
  raw.end();
}

/**
 * Read operations whose answer depends only on the URL and the store's contents: the provider list's pages, and a
 * provider's model list (thousands of models: rebuilding it for every poll is what made the server's memory grow). A
 * model list fetched from upstream on first read is a write, so that answer is not kept; the next one can be.
 */
const CACHEABLE: ReadonlySet<OperationName> = new Set(['providers.list', 'models.list']);
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The same bytes and headers whether they come from the cache (a Buffer) or were just serialized (a string). */
function sendJson(reply: FastifyReply, status: number, body: Buffer | string): FastifyReply {
  return reply.code(status).header('content-type', JSON_CONTENT_TYPE).send(body);
}

/**
 * Registers one route per contract operation offered over HTTP. `cache` holds the cacheable reads' answers (the server
 * shares it with its pre-routing fast path, http/cached-read-fast-path.ts).
 */
export function registerNativeRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'dispatch' | 'changes' | 'token' | 'store'>,
  cache = new ResponseCache(),
): void {
  // The change feed (Server-Sent Events): a stream beside the contract's operations, authenticated like them.
  registerEventsRoute(app, deps);
  for (const name of OPERATION_NAMES) {
    const operation = operations[name];
    if (!(operation.transports ?? ['http', 'ipc']).includes('http')) continue;
    const answer = async (
      request: FastifyRequest,
      reply: FastifyReply,
      cacheable: boolean,
      version: string,
    ): Promise<FastifyReply | void> => {
      const status = operation.status ?? 200;
      const input = inputOf(request, operation.revisionField, operation.bodyOnly);
      if (isErrorBody(input)) return sendNativeError(reply, input);
      if (operation.streams) return streamOperation(deps, name, input, request, reply);
      const result = await deps.dispatch(name, input, { transport: 'http' });
      if (cacheable && result.ok) {
        const json = JSON.stringify(result.data);
        // Only an answer read from one unchanged, committed state may be reused.
        // Only 200s are kept: the fast path answers a hit with 200.
        if (status !== 200 || deps.store.writing() || deps.store.version() !== version || !cache.admits(request.url, version))
          return sendJson(reply, status, json);
        const body = Buffer.from(json);
        cache.set(request.url, version, body, request.routeOptions.url ?? '');
        return sendJson(reply, status, body);
      }
      if (!result.ok) return sendNativeError(reply, result.error);
      const data = result.data as { revision?: unknown };
      if (typeof data === 'object' && data !== null && typeof data.revision === 'number') reply.header('etag', `"${data.revision}"`);
      return reply.code(status).send(result.data);
    };
    app.route({
      method: operation.method,
      url: fastifyPath(operation.path),
      config: { public: operation.public === true },
      ...(operation.bodyLimit ? { bodyLimit: operation.bodyLimit } : {}),
      // Not async: a cached answer is sent before the handler returns, with no promise to settle; the rest is `answer`.
      handler: (request, reply) => {
        const cacheable = CACHEABLE.has(name) && request.body === undefined;
        // For a GET this runs inside the auth hook's Repository.sharingVersion(): the token check's read is reused.
        const version = cacheable ? deps.store.version() : '';
        const hit = cacheable ? cache.get(request.url, version) : undefined;
        if (hit) {
          sendJson(reply, operation.status ?? 200, hit);
          return;
        }
        return answer(request, reply, cacheable, version);
      },
    });
  }
}
