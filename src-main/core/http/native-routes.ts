import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorBody } from '../contract/errors.js';
import { operations, OPERATION_NAMES, type OperationName } from '../contract/operations.js';
import type { Desk } from '../desk.js';

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
  desk: Desk,
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
  const result = await desk.dispatch(name, input, { transport: 'http', onProgress: (event) => send('progress', event) });
  if (result.ok) send('result', { result: result.data });
  else send('error', { error: result.error });
  raw.end();
}

/** Read operations whose answer depends only on the query string and the store's contents. */
const CACHEABLE: ReadonlySet<OperationName> = new Set(['providers.list']);
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Serialized answers of cacheable reads, keyed by URL and tagged with the store version they were built from
 * (`Repository.version()`: any write by this process or a commit by another one changes it). A stale entry is
 * never served; the GUI polling a 10,000-provider list then costs one small SQL query instead of a page rebuild.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { version: string; body: Buffer }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 8 * 1024 * 1024,
    private readonly maxEntryBytes = 2 * 1024 * 1024,
  ) {}

  get(url: string, version: string): Buffer | undefined {
    const entry = this.entries.get(url);
    if (!entry) return undefined;
    if (entry.version !== version) {
      this.drop(url);
      return undefined;
    }
    // Re-insert so the Map's order is least recently used first.
    this.entries.delete(url);
    this.entries.set(url, entry);
    return entry.body;
  }

  set(url: string, version: string, body: Buffer): void {
    this.drop(url);
    if (body.length > this.maxEntryBytes) return;
    // Entries of an older version can never be served again; then the least recently used go until the body fits.
    for (const [key, entry] of this.entries) if (entry.version !== version) this.drop(key);
    for (const key of this.entries.keys()) {
      if (this.bytes + body.length <= this.maxBytes) break;
      this.drop(key);
    }
    this.entries.set(url, { version, body });
    this.bytes += body.length;
  }

  private drop(url: string): void {
    const entry = this.entries.get(url);
    if (!entry) return;
    this.bytes -= entry.body.length;
    this.entries.delete(url);
  }
}

/** Registers one route per contract operation offered over HTTP. */
export function registerNativeRoutes(app: FastifyInstance, desk: Desk): void {
  const cache = new ResponseCache();
  for (const name of OPERATION_NAMES) {
    const operation = operations[name];
    if (!(operation.transports ?? ['http', 'ipc']).includes('http')) continue;
    app.route({
      method: operation.method,
      url: fastifyPath(operation.path),
      config: { public: operation.public === true },
      ...(operation.bodyLimit ? { bodyLimit: operation.bodyLimit } : {}),
      handler: async (request, reply) => {
        const cacheable = CACHEABLE.has(name) && request.body === undefined;
        const version = cacheable ? desk.repo.version() : '';
        if (cacheable) {
          const hit = cache.get(request.url, version);
          if (hit)
            return reply
              .code(operation.status ?? 200)
              .header('content-type', JSON_CONTENT_TYPE)
              .send(hit);
        }
        const input = inputOf(request, operation.revisionField, operation.bodyOnly);
        if (isErrorBody(input)) return sendNativeError(reply, input);
        if (operation.streams) return streamOperation(desk, name, input, request, reply);
        const result = await desk.dispatch(name, input, { transport: 'http' });
        if (cacheable && result.ok) {
          const body = Buffer.from(JSON.stringify(result.data));
          // Only an answer read from one unchanged, committed state may be reused.
          if (!desk.db.inTransaction && desk.repo.version() === version) cache.set(request.url, version, body);
          return reply
            .code(operation.status ?? 200)
            .header('content-type', JSON_CONTENT_TYPE)
            .send(body);
        }
        if (!result.ok) return sendNativeError(reply, result.error);
        const data = result.data as { revision?: unknown };
        if (typeof data === 'object' && data !== null && typeof data.revision === 'number') reply.header('etag', `"${data.revision}"`);
        return reply.code(operation.status ?? 200).send(result.data);
      },
    });
  }
}
