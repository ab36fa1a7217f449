/**
 * Real proxies on loopback for tests.
 *
 *   const proxy = await startHttpProxy({ username: 'u', password: 'p' });  // proxy-chain; 407 without the credentials
 *   const tlsProxy = await startHttpProxy(undefined, certs.localhost);     // an https:// proxy
 *   proxy.url, proxy.requests (target host:port per proxied request), await proxy.close()
 *
 *   const socks = await startSocks5Proxy({ username: 'u', password: 'p' }); // minimal RFC 1928/1929 server
 *   socks.url, socks.connections (target host:port), await socks.close()
 */
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { Server as ProxyChainServer } from 'proxy-chain';

export interface TestProxy {
  url: string;
  port: number;
  /** "host:port" of every target the proxy was asked to reach (after authentication). */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP proxy (proxy-chain), optionally requiring credentials, optionally itself served over TLS. */
export async function startHttpProxy(
  credentials?: { username: string; password: string },
  tls?: { key: string; cert: string },
): Promise<TestProxy> {
  const requests: string[] = [];
  const common = {
    port: 0,
    host: '127.0.0.1',
    verbose: false,
    prepareRequestFunction: ({
      username,
      password,
      hostname,
      port,
    }: {
      username: string;
      password: string;
      hostname: string;
      port: number;
    }) => {
      if (credentials && (username !== credentials.username || password !== credentials.password)) return { requestAuthentication: true };
      requests.push(`${hostname}:${port}`);
      return {};
    },
  };
  const server = tls
    ? new ProxyChainServer({ ...common, serverType: 'https', httpsOptions: { key: tls.key, cert: tls.cert } })
    : new ProxyChainServer(common);
  await server.listen();
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${server.port}`, port: server.port, requests, close: () => server.close(true) };
}

/** Reads exact byte counts from a socket, in order. */
class Reader {
  private buffer = Buffer.alloc(0);
  private waiting: { size: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.flush();
    });
    socket.on('close', () => this.waiting?.reject(new Error('closed')));
  }

  read(size: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting = { size, resolve, reject };
      this.flush();
    });
  }

  /** Stops buffering and hands over whatever arrived early. */
  detach(): Buffer {
    this.socket.removeAllListeners('data');
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  private flush(): void {
    if (this.waiting && this.buffer.length >= this.waiting.size) {
      const { size, resolve } = this.waiting;
      this.waiting = null;
      const out = this.buffer.subarray(0, size);
      this.buffer = this.buffer.subarray(size);
      resolve(out);
    }
  }
}

export async function startSocks5Proxy(credentials?: { username: string; password: string }): Promise<TestProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();

  const handle = async (client: Socket): Promise<void> => {
    const reader = new Reader(client);
    const [version, count] = await reader.read(2);
    if (version !== 5) return void client.destroy();
    const methods = [...(await reader.read(count ?? 0))];
    const wanted = credentials ? 0x02 : 0x00;
    if (!methods.includes(wanted)) {
      client.end(Buffer.from([5, 0xff]));
      return;
    }
    client.write(Buffer.from([5, wanted]));
    if (credentials) {
      const [, ulen] = await reader.read(2);
      const user = (await reader.read(ulen ?? 0)).toString();
      const [plen] = await reader.read(1);
      const pass = (await reader.read(plen ?? 0)).toString();
      if (user !== credentials.username || pass !== credentials.password) {
        client.end(Buffer.from([1, 1]));
        return;
      }
      client.write(Buffer.from([1, 0]));
    }
    const [, command, , addressType] = await reader.read(4);
    let host: string;
    if (addressType === 1) host = [...(await reader.read(4))].join('.');
    else if (addressType === 3) host = (await reader.read((await reader.read(1))[0] ?? 0)).toString();
    else if (addressType === 4) host = (await reader.read(16)).toString('hex').replace(/(.{4})(?!$)/g, '$1:');
    else return void client.destroy();
    const port = (await reader.read(2)).readUInt16BE(0);
    if (command !== 1) {
      client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
      return;
    }
    requests.push(`${host}:${port}`);
    const upstream = netConnect({ host, port });
    sockets.add(upstream);
    upstream.once('connect', () => {
      client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
      const early = reader.detach();
      if (early.length) upstream.write(early);
      client.pipe(upstream).pipe(client);
    });
    upstream.once('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
    client.once('error', () => upstream.destroy());
  };

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    handle(client).catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
