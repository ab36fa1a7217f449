/**
 * A loopback HTTP client that sends exactly what it is given: the path as written (no `..` resolution, no
 * re-encoding, as fetch would do), any header including a wrong Host or none at all, and any body bytes.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is; non-ASCII must be percent-encoded or given as latin1-transcoded UTF-8 (see `latin1`). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Leave out the Host header entirely. */
  noHost?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when it is empty or not JSON. */
  json: unknown;
  isJson: boolean;
}

/** UTF-8 bytes of `text` as a latin1 string: how to put raw UTF-8 into a path or header with node:http. */
export function latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * One connection per request: a kept-alive socket that the server closed after its previous answer (a 431, a 413)
 * would otherwise show up as "socket hang up" on the next request, which is the client's race, not the server's fault.
 */
export function createRawClient(port: number, timeoutMs = 15_000) {
  const agent = new Agent({ keepAlive: false, maxSockets: 4 });
  const send = (req: RawRequest): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
      const headers: Record<string, string> = { ...req.headers };
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
        headers['content-length'] = String(body.length);
      }
      const hasHost = Object.keys(headers).some((h) => h.toLowerCase() === 'host');
      const outgoing = request(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path: req.path,
          headers,
          agent,
          setHost: !req.noHost && !hasHost,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          const finish = () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            let isJson = false;
            try {
              json = text === '' ? undefined : JSON.parse(text);
              isJson = text !== '';
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, isJson });
          };
          // An event stream (GET /api/v1/events) stays open by design: read it up to its first message, then hang up.
          const endless = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            if (endless && Buffer.concat(chunks).includes('\n\n')) {
              finish();
              outgoing.destroy();
            }
          });
          res.on('error', reject);
          res.on('end', finish);
        },
      );
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`no answer within ${timeoutMs} ms: ${req.method} ${req.path.slice(0, 200)}`)),
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export type RawClient = ReturnType<typeof createRawClient>;
