import { z } from 'zod';
import { ERROR_CODES, validationError, type ErrorBody, type ErrorCode, type Result } from '../core/contract/errors.js';
import { operations, TestAllProgress, type OperationName, type OperationOutput } from '../core/contract/operations.js';
import { issuesToFields } from '../core/contract/validate.js';
import type { Dispatch } from '../core/service/dispatcher.js';

const ErrorBodySchema = z.object({
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  details: z.unknown().optional(),
});
const ErrorAnswer = z.object({ error: ErrorBodySchema });
const StreamLine = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('progress') }),
  z.object({ type: z.literal('result'), result: z.unknown() }),
  z.object({ type: z.literal('error'), error: ErrorBodySchema }),
]);

export interface RemoteRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The native API request for one contract call, derived from the operation's definition exactly as the server derives
 * its route: `{param}` segments from the input, the revision as If-Match, the rest as the query (GET, DELETE) or body.
 */
export function remoteRequest(name: OperationName, input: Record<string, unknown>): RemoteRequest {
  const operation = operations[name];
  const rest: Record<string, unknown> = { ...input };
  const pathname = operation.path.replace(/\{(\w+)\}/g, (_match, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  const headers: Record<string, string> = { accept: operation.streams ? 'application/x-ndjson' : 'application/json' };
  const revisionField = operation.revisionField;
  if (revisionField && rest[revisionField] !== undefined) {
    headers['if-match'] = `"${String(rest[revisionField])}"`;
    delete rest[revisionField];
  }
  if (operation.method === 'GET' || operation.method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      // Lists (provider types) travel comma-separated, which is how the contract reads them from a query.
      query.set(key, Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    const search = query.toString();
    return { method: operation.method, path: search ? `${pathname}?${search}` : pathname, headers };
  }
  headers['content-type'] = 'application/json';
  return { method: operation.method, path: pathname, headers, body: JSON.stringify(rest) };
}

/**
 * A dispatcher that sends each operation to a running Provider Desk over its native API (`/api/v1`) instead of opening
 * the store: what the CLI uses when the store's key is in the desktop app's OS keychain only. Answers come back as the
 * same `Result` values the local dispatcher gives, parsed with the contract's schemas.
 */
export function createRemoteDispatch(baseUrl: string, token: string): Dispatch {
  return async (name, input, ctx) => {
    const operation = operations[name];
    if (!operation) return failure('not_found', `Unknown operation "${String(name)}"`);
    if (!(operation.transports ?? ['http', 'ipc']).includes('http')) {
      return failure(
        'forbidden',
        `"${name}" works only inside the desktop app: this store's key is in the app's OS keychain. Turn on "Allow command-line access" in Settings to use it from the command line.`,
      );
    }
    // Checked here too, so a typo is reported the same way as against a local store, before anything is sent.
    const parsed = operation.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: validationError(issuesToFields(parsed.error.issues)).toBody() };
    const request = remoteRequest(name, (input ?? {}) as Record<string, unknown>);
    let response: Response;
    try {
      response = await fetch(baseUrl + request.path, {
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      return failure('internal', `Could not reach Provider Desk at ${baseUrl}${typeof cause === 'string' ? ` (${cause})` : ''}`);
    }
    const answer =
      operation.streams && response.ok && (response.headers.get('content-type') ?? '').includes('ndjson')
        ? await readStream(response, ctx.onProgress)
        : await readAnswer(response);
    if (!answer.ok) return answer;
    const output = operation.output.safeParse(answer.data);
    if (!output.success) {
      return failure('internal', `Provider Desk's answer to ${name} does not match this CLI's contract (are both the same version?)`);
    }
    return { ok: true, data: output.data as OperationOutput<typeof name> };
  };
}

async function readAnswer(response: Response): Promise<Result<unknown>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return { ok: true, data: body };
  const error = ErrorAnswer.safeParse(body);
  if (error.success) return { ok: false, error: error.data.error };
  return failure(codeForStatus(response.status), `Provider Desk answered HTTP ${response.status}`);
}

/** NDJSON: progress lines (handed to `onProgress`), then one result or error line. */
async function readStream(response: Response, onProgress: ((event: TestAllProgress) => void) | undefined): Promise<Result<unknown>> {
  const decoder = new TextDecoder();
  let buffered = '';
  let outcome: Result<unknown> | undefined;
  const take = (line: string): void => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = StreamLine.safeParse(json);
    if (!parsed.success) return;
    const event = parsed.data;
    if (event.type === 'result') outcome = { ok: true, data: event.result };
    else if (event.type === 'error') outcome = { ok: false, error: event.error };
    else {
      const progress = TestAllProgress.safeParse(event);
      if (progress.success) onProgress?.(progress.data);
    }
  };
  const reader = response.body?.getReader();
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
    buffered += decoder.decode(chunk.value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(take);
  }
  take(buffered + decoder.decode());
  return outcome ?? failure('internal', 'Provider Desk ended the stream without a result');
}

function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(ERROR_CODES) as Array<[ErrorCode, number]>).find(([, code]) => code === status);
  return match?.[0] ?? 'internal';
}

function failure(code: ErrorCode, message: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message } };
}
