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

function inputOf(request: FastifyRequest, revisionField: string | undefined): Record<string, unknown> | ErrorBody {
  const body = request.body;
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
    ...(request.params as object),
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

/** Registers one route per contract operation offered over HTTP. */
export function registerNativeRoutes(app: FastifyInstance, desk: Desk): void {
  for (const name of OPERATION_NAMES) {
    const operation = operations[name];
    if (!(operation.transports ?? ['http', 'ipc']).includes('http')) continue;
    app.route({
      method: operation.method,
      url: fastifyPath(operation.path),
      ...(operation.bodyLimit ? { bodyLimit: operation.bodyLimit } : {}),
      handler: async (request, reply) => {
        const input = inputOf(request, operation.revisionField);
        if (isErrorBody(input)) return sendNativeError(reply, input);
        if (operation.streams) return streamOperation(desk, name, input, request, reply);
        const result = await desk.dispatch(name, input, { transport: 'http' });
        if (!result.ok) return sendNativeError(reply, result.error);
        const data = result.data as { revision?: unknown };
        if (typeof data === 'object' && data !== null && typeof data.revision === 'number') reply.header('etag', `"${data.revision}"`);
        return reply.code(operation.status ?? 200).send(result.data);
      },
    });
  }
}
