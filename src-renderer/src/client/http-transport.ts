import type { Result } from '@contract/errors';
import { operations, type OperationName } from '@contract/operations';
import { CHANGE_EVENT_TYPES, ChangeEventSchema } from '@contract/change-events';
import type { ClientEvent, DeskTransport, SessionControl } from './desk-client';

type Fetch = typeof fetch;

/** The parts of the browser's EventSource the transport uses (tests give one that can send a bearer token). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const EVENTS_PATH = '/api/v1/events';
/** EventSource.CLOSED: the browser gave up (e.g. a 401 while signed out) and will not reconnect by itself. */
const CLOSED = 2;
const REOPEN_DELAY_MS = 3000;

function browserEventSource(): EventSourceFactory | undefined {
  if (typeof EventSource === 'undefined') return undefined;
  return (url) => new EventSource(url, { withCredentials: true });
}

/**
 * The change feed over Server-Sent Events while anyone listens. The browser's EventSource reconnects by itself after a
 * network error; when it gives up (the server refused the stream) it is opened again a little later. After any
 * reconnect the listeners hear `store.changed`: what happened meanwhile was missed, so what is shown is re-read.
 */
function liveEvents(url: string, factory: EventSourceFactory | undefined, emit: (event: ClientEvent) => void) {
  let source: EventSourceLike | undefined;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  let connectedBefore = false;
  let resyncId = 0;

  const open = () => {
    if (!factory || source) return;
    const current = factory(url);
    source = current;
    const onMessage = (message: MessageEvent) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const parsed = ChangeEventSchema.safeParse(data);
      if (parsed.success) emit({ type: 'changes', events: [parsed.data] });
    };
    for (const type of CHANGE_EVENT_TYPES) current.addEventListener(type, onMessage);
    current.onopen = () => {
      if (connectedBefore) emit({ type: 'changes', events: [{ id: --resyncId, type: 'store.changed' }] });
      connectedBefore = true;
    };
    current.onerror = () => {
      if (current.readyState !== CLOSED || source !== current) return;
      current.close();
      source = undefined;
      reopen = setTimeout(open, REOPEN_DELAY_MS);
    };
  };
  const close = () => {
    clearTimeout(reopen);
    source?.close();
    source = undefined;
    connectedBefore = false;
  };
  return { open, close };
}

/** Fills `{param}` segments from the input and returns the rest of the input. */
export function buildRequest(
  name: OperationName,
  input: unknown,
): { method: string; path: string; query: URLSearchParams; body: Record<string, unknown> | undefined } {
  const op = operations[name];
  const rest: Record<string, unknown> = { ...((input ?? {}) as Record<string, unknown>) };
  const path = op.path.replace(/\{(\w+)\}/g, (_m, param: string) => {
    const value = rest[param];
    delete rest[param];
    return encodeURIComponent(String(value ?? ''));
  });
  const query = new URLSearchParams();
  if (op.method === 'GET' || op.method === 'DELETE') {
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined || value === null) continue;
      query.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return { method: op.method, path, query, body: undefined };
  }
  return { method: op.method, path, query, body: rest };
}

/**
 * The browser transport: the native HTTP API with the session cookie set by the token login
 * (or a bearer token, for tests and scripts). Streams (test-all) arrive as NDJSON and become progress events.
 */
export function httpTransport(
  options: { baseUrl?: string; token?: string; fetch?: Fetch; eventSource?: EventSourceFactory } = {},
): DeskTransport {
  const listeners = new Set<(event: ClientEvent) => void>();
  const doFetch: Fetch = options.fetch ?? ((...args) => fetch(...args));
  const base = options.baseUrl ?? '';

  const emit = (event: ClientEvent) => listeners.forEach((l) => l(event));
  const live = liveEvents(`${base}${EVENTS_PATH}`, options.eventSource ?? browserEventSource(), emit);

  const session: SessionControl = {
    async login(token) {
      try {
        const response = await doFetch(`${base}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify({ token }),
        });
        if (response.ok) return { ok: true, data: { ok: true } };
        return {
          ok: false,
          error: {
            code: 'unauthorized',
            message: 'That token is not valid. Copy it again from the app, the CLI (`provider-desk token`) or the token file.',
          },
        };
      } catch {
        return { ok: false, error: { code: 'internal', message: 'Provider Desk is not reachable. Is the server still running?' } };
      }
    },
    async logout() {
      await doFetch(`${base}/api/v1/session`, { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
    },
  };

  return {
    kind: 'http',
    session,
    async invoke(name, input) {
      const { method, path, query, body } = buildRequest(name, input);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let response: Response;
      try {
        response = await doFetch(`${base}${path}${query.size > 0 ? `?${query}` : ''}`, {
          method,
          headers,
          credentials: 'same-origin',
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch {
        return { ok: false, error: { code: 'internal', message: 'Provider Desk is not reachable. Is the server still running?' } };
      }
      if (operations[name].streams && response.ok && response.body) return readStream(name, response, emit);
      const text = await response.text();
      let payload: unknown;
      try {
        payload = text ? JSON.parse(text) : undefined;
      } catch {
        payload = undefined;
      }
      if (response.ok) return { ok: true, data: payload };
      const error = (payload as { error?: { code?: string; message?: string } } | undefined)?.error;
      if (error?.code && error.message) return { ok: false, error: error as Extract<Result<unknown>, { ok: false }>['error'] };
      return {
        ok: false,
        error: { code: response.status === 401 ? 'unauthorized' : 'internal', message: `The server answered ${response.status}` },
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      live.open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) live.close();
      };
    },
  };
}

async function readStream(name: OperationName, response: Response, emit: (event: ClientEvent) => void): Promise<Result<unknown>> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let outcome: Result<unknown> = { ok: false, error: { code: 'internal', message: 'The stream ended without a result' } };
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      const message = JSON.parse(line) as { type: string; result?: unknown; error?: { code: string; message: string } } & Record<
        string,
        unknown
      >;
      if (message.type === 'progress') {
        const { type: _type, ...progress } = message;
        emit({ type: 'progress', operation: name, progress: progress as never });
      } else if (message.type === 'result') {
        outcome = { ok: true, data: message.result };
      } else if (message.type === 'error' && message.error) {
        outcome = { ok: false, error: message.error as never };
      }
    }
    if (done) break;
  }
  return outcome;
}
