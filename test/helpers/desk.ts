import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Desk, type DeskOptions } from '../../src-main/core/desk.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src-main/core/http/server.js';
import { silentLogger } from '../../src-main/core/log/logger.js';

export function tempDir(prefix = 'pd-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

// Tests choose their own master key and token; the live environment stays live so env.VAR references resolve at use.
delete process.env.PROVIDER_DESK_MASTER_KEY;
delete process.env.PROVIDER_DESK_TOKEN;

/** A real Desk on a real SQLite file in a fresh temp dir. */
export function openTestDesk(options: Partial<DeskOptions> = {}): Desk {
  const dataDir = options.dataDir ?? tempDir().path;
  return new Desk({ logger: silentLogger, env: process.env, ...options, dataDir });
}

export interface TestServer {
  desk: Desk;
  server: ApiServer;
  url: string;
  token: string;
  /** fetch against the server with the token (unless headers say otherwise). */
  request(
    path: string,
    init?: RequestInit & { json?: unknown; noAuth?: boolean },
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  /** A raw node:http request, so tests can send any Host header or body bytes. */
  raw(
    path: string,
    headers: Record<string, string>,
    method?: string,
    body?: string,
  ): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A real server on an ephemeral loopback port over a real store. */
export async function startTestServer(deskOptions: Partial<DeskOptions> = {}, serverOptions: ApiServerOptions = {}): Promise<TestServer> {
  const desk = openTestDesk(deskOptions);
  const server = await startApiServer(desk.http, { port: 0, ...serverOptions });
  const token = desk.token.current();
  return {
    desk,
    server,
    url: server.url,
    token,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!init.noAuth && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const response = await fetch(server.url + path, { ...init, headers, body });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, headers: response.headers, text };
    },
    raw(path, headers, method = 'GET', body) {
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
          let data = '';
          res.on('data', (chunk: Buffer) => (data += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
        });
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
      });
    },
    async close() {
      await server.close();
      await desk.close();
    },
  };
}
