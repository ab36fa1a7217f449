/**
 * The tiny HTTP server every per-provider fake runs on: 127.0.0.1, an ephemeral port, each request recorded
 * (with whether it would have cost money), JSON answers. A fake supplies only its routes.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as a JSON object ({} when it is not one). */
  json: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** The real service would bill this request (a generation or an embedding). */
  billed: boolean;
}

export interface Reply {
  status: number;
  /** JSON-encoded unless a string (then sent as is, e.g. an HTML page). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests the real service would have billed. */
  billed(): RecordedRequest[];
  close(): Promise<void>;
}

export interface ServerSpec {
  route(req: FakeRequest): Reply | Promise<Reply>;
  /** Which requests cost money at the real service (whatever the answer, a sent generation is a risk). */
  isBilled?(method: string, path: string): boolean;
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

/** The token of an `Authorization: Bearer …` header, '' when there is none. */
export function bearerOf(headers: IncomingHttpHeaders): string {
  return /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim() ?? '';
}

/** A header's value as one string ('' when absent). */
export function headerOf(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** POSTs to generation or embedding endpoints: what every provider bills. */
export function billedByPath(method: string, path: string): boolean {
  return method === 'POST' && /(chat\/completions|\/messages|\/embeddings|:generateContent|\/v2\/chat|\/responses)$/.test(path);
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function startFakeServer(spec: ServerSpec): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const isBilled = spec.isBilled ?? billedByPath;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        const method = req.method ?? 'GET';
        requests.push({
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          body,
          billed: isBilled(method, url.pathname),
        });
        let answer: Reply;
        try {
          answer = await spec.route({
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body,
            json: parseObject(body),
          });
        } catch (error) {
          answer = reply(500, { error: { message: `fake provider bug: ${String(error)}` } });
        }
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    billed: () => requests.filter((r) => r.billed),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
