/** A bare loopback HTTP(S) server for one-off answers: `const s = await createHttpServer((req, res) => …); s.url; await s.close()`. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Number of TCP connections accepted so far (to prove that nothing connected). */
  connections: () => number;
  close(): Promise<void>;
}

export async function createHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: { tls?: { key: string; cert: string }; host?: string } = {},
): Promise<TestServer> {
  const server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
