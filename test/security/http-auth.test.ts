/**
 * The loopback API as an attacker on the same machine meets it: request-target tricks that once reached protected
 * routes without a token, browser sessions that outlived the token or worked from another local web page, an open
 * redirect on the login URL, and sockets a slow client could keep after its error answer.
 */
import { connect, type Socket } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDesk, startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { liveRoutes } from '../reliability/helpers/routes.js';
import { SessionStore } from '../../src-main/core/http/sessions.js';
import { requestTargetProblem, sameOriginPath } from '../../src-main/core/http/request-target.js';

/** Sends bytes exactly as given (absolute-form targets, odd paths) and reads the whole answer. */
function rawExchange(port: number, request: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), head, body });
    });
    socket.write(request);
  });
}

function get(port: number, target: string, headers: Record<string, string> = {}, method = 'GET', body = '') {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return rawExchange(port, `${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Every way of writing a path that a router might read as `path` while a check on the raw URL sees something else. */
function bypassVariants(path: string, port: number): string[] {
  const [, first = '', ...rest] = path.split('/');
  const tail = rest.length ? `/${rest.join('/')}` : '';
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    `/${encodedFirst}${tail}`,
    `/${first.toUpperCase()}${tail}`,
    `/${first[0]?.toUpperCase() ?? ''}${first.slice(1)}${tail}`,
    `/${first}${tail.replace('/', '%2F')}`,
    `/${first}${tail.replace('/', '%2f')}`,
    `//${first}${tail}`,
    `/${first}/${tail}`,
    `/./${first}${tail}`,
    `/${first}/.${tail}`,
    `/x/../${first}${tail}`,
    `/${first}/x/..${tail}`,
    `/${first}/%2e%2e/${first}${tail}`,
    `/%C0%AF${first}${tail}`,
    `/${first}%C0%AF${tail}`,
    `/${first}%E0%80%AF${tail}`,
    `/${first}\\${tail.slice(1)}`,
    `${path}/.`,
    `${path}/..`,
    `http://127.0.0.1:${port}${path}`,
    `http://x${path}`,
  ];
}

describe('request targets: auth is decided on the matched route, and odd targets never reach one', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'victim', type: 'openai', api_keys: [{ name: 'main', value: 'sk-victim-secret-0123456789' }] },
    });
  });
  afterAll(() => t.close());

  it('refuses each bypass reported against the old raw-URL check, without a token', async () => {
    const cases: Array<[string, string, string?]> = [
      ['GET', '/%61pi/v1/token'],
      ['GET', '/%61pi/v1/config/export?secrets=plain'],
      ['POST', '/%61pi/v1/providers', JSON.stringify({ name: 'planted', type: 'openai' })],
      ['GET', '/bifros%74/api/providers'],
      ['GET', 'http://x/api/v1/token'],
    ];
    for (const [method, target, body] of cases) {
      const res = await get(t.server.port, target, {}, method, body);
      expect(res.status, `${method} ${target}`).toBe(400);
      expect(res.body).not.toContain(t.token);
      expect(res.body).not.toContain('sk-victim-secret');
    }
    expect((await t.request('/api/v1/providers/planted')).status).toBe(404);
  });

  it('walks every registered route with every bypass variant and never answers 2xx without a token', async () => {
    const routes = liveRoutes(t.server.app);
    expect(routes.length).toBeGreaterThan(40);
    const seen = new Set<number>();
    for (const route of routes) {
      const path = route.pattern.replace(/:(\w+)/g, 'victim').replace(/\*$/, 'x');
      for (const target of bypassVariants(path, t.server.port)) {
        const res = await get(t.server.port, target, {}, route.method, route.method === 'GET' ? '' : '{}');
        seen.add(res.status);
        expect([400, 401, 404], `${route.method} ${target} → ${res.status} ${res.body.slice(0, 120)}`).toContain(res.status);
        expect(res.body).not.toContain(t.token);
      }
    }
    expect(seen.has(400)).toBe(true);
  });

  it('needs auth on every route except the ones marked public, unmatched paths included', async () => {
    for (const route of liveRoutes(t.server.app)) {
      const path = route.pattern.replace(/:(\w+)/g, 'victim');
      const res = await t.request(path, { method: route.method, noAuth: true, ...(route.method === 'GET' ? {} : { json: {} }) });
      const isPublic = path === '/api/v1/health' || path === '/api/v1/session';
      if (isPublic) expect(res.status, `${route.method} ${path}`).toBeLessThan(500);
      else expect(res.status, `${route.method} ${path}`).toBe(401);
    }
    expect((await t.request('/api/v1/health', { method: 'HEAD', noAuth: true })).status).toBe(200);
    expect((await t.request('/no/such/route', { noAuth: true })).status).toBe(401);
    expect((await t.request('/API/V1/TOKEN', { noAuth: true })).status).toBe(401);
  });

  it('keeps well-formed targets working: percent-encoded reserved characters, query strings, trailing slash', async () => {
    expect((await t.request('/api/v1/providers/victim/')).status).toBe(200);
    expect((await t.request('/api/v1/providers?search=vic%74im')).body.items).toHaveLength(1);
    expect((await t.request('/api/v1/providers/%F0%9F%94%91')).status).toBe(404);
  });
});

describe('request targets with the GUI served', () => {
  let t: TestServer;
  let ui: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    ui = tempDir('pd-ui-');
    mkdirSync(join(ui.path, 'assets'));
    writeFileSync(join(ui.path, 'index.html'), '<!doctype html><title>Provider Desk</title>');
    writeFileSync(join(ui.path, 'assets', 'app.js'), 'console.log(1)');
    t = await startTestServer({}, { uiDir: ui.path });
  });
  afterAll(async () => {
    await t.close();
    ui.remove();
  });

  it('serves the GUI files without a token but never its page for an API path in any letter case', async () => {
    expect((await t.request('/', { noAuth: true })).status).toBe(200);
    expect((await t.request('/assets/app.js', { noAuth: true })).text).toContain('console.log');
    for (const path of ['/API/v1/token', '/Api/v1/config/export?secrets=plain', '/BIFROST/api/providers', '/api/v1/nothing-here']) {
      const res = await t.request(path, { noAuth: true });
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('<!doctype');
    }
  });

  it('walks every API route with the bypass variants and never answers 2xx', async () => {
    for (const route of liveRoutes(t.server.app)) {
      if (!route.pattern.startsWith('/api') && !route.pattern.startsWith('/bifrost')) continue;
      const path = route.pattern.replace(/:(\w+)/g, 'victim');
      for (const target of bypassVariants(path, t.server.port)) {
        const res = await get(t.server.port, target, {}, route.method, route.method === 'GET' ? '' : '{}');
        expect([400, 401, 404], `${route.method} ${target} → ${res.status}`).toContain(res.status);
      }
    }
  });

  it('redirects after login only to a path of this origin', async () => {
    for (const target of ['//evil.example/?token=x', '/\\evil.example/?token=x', '/%2F%2Fevil.example/?token=x']) {
      const res = await get(t.server.port, target);
      expect(res.status, target).toBe(400);
      expect(res.head.toLowerCase()).not.toContain('location:');
    }
    const ok = await get(t.server.port, `/?view=1&token=${t.token}`);
    expect(ok.status).toBe(303);
    expect(ok.head).toMatch(/\r\nlocation: \/\?view=1(\r\n|$)/i);
    expect(ok.head).toMatch(/set-cookie: pd_session=/i);
    const wrong = await get(t.server.port, '/settings?token=wrong');
    expect(wrong.head).toMatch(/\r\nlocation: \/settings(\r\n|$)/i);
    expect(wrong.head.toLowerCase()).not.toContain('set-cookie');
  });

  it('turns anything but a plain same-origin path into /', () => {
    expect(sameOriginPath('//evil.example/', '')).toBe('/');
    expect(sameOriginPath('/\\evil.example/', 'a=1')).toBe('/?a=1');
    expect(sameOriginPath('/%2F/evil.example', '')).toBe('/');
    expect(sameOriginPath('https://evil.example/', '')).toBe('/');
    expect(sameOriginPath('/providers/openai', 'tab=keys')).toBe('/providers/openai?tab=keys');
  });
});

describe('browser sessions', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { origins: ['http://localhost:5173'] });
  });
  afterAll(() => t.close());

  async function login(): Promise<string> {
    const res = await t.request('/api/v1/session', { method: 'POST', json: { token: t.desk.token.current() }, noAuth: true });
    expect(res.status).toBe(200);
    const cookie = /pd_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    return `pd_session=${cookie}`;
  }

  const withCookie = (cookie: string, headers: Record<string, string>) =>
    t.request('/api/v1/info', { noAuth: true, headers: { cookie, ...headers } });

  it('accepts a session only on a same-origin request (a replay from another local page or a script gets 401)', async () => {
    const cookie = await login();
    expect((await withCookie(cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await withCookie(cookie, { origin: t.url })).status).toBe(200);
    expect((await withCookie(cookie, {})).status).toBe(401);
    expect((await withCookie(cookie, { 'sec-fetch-site': 'same-site' })).status).toBe(401);
    expect((await withCookie(cookie, { 'sec-fetch-site': 'cross-site' })).status).toBe(401);
    // An extra allowed origin may call with the token, but the cookie is not its to use.
    expect((await withCookie(cookie, { origin: 'http://localhost:5173' })).status).toBe(401);
    expect((await t.request('/api/v1/info', { headers: { origin: 'http://localhost:5173' } })).status).toBe(200);
  });

  it('sets the cookie HttpOnly and SameSite=Strict', async () => {
    const res = await t.request('/api/v1/session', { method: 'POST', json: { token: t.desk.token.current() }, noAuth: true });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
  });

  it('ends every session at once when another process rotates the token', async () => {
    const cookie = await login();
    expect((await withCookie(cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const other = openTestDesk({ dataDir: t.desk.options.dataDir });
    try {
      other.token.rotate();
    } finally {
      await other.close();
    }
    expect((await withCookie(cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(401);
    expect((await t.request('/api/v1/info')).status).toBe(401);
    const fresh = await login();
    expect((await withCookie(fresh, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('is not valid on another server over the same store', async () => {
    const cookie = await login();
    const second = await startTestServer({ dataDir: t.desk.options.dataDir });
    try {
      const res = await second.request('/api/v1/info', { noAuth: true, headers: { cookie, 'sec-fetch-site': 'same-origin' } });
      expect(res.status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('logs out', async () => {
    const cookie = await login();
    await t.request('/api/v1/session', { method: 'DELETE', noAuth: true, headers: { cookie } });
    expect((await withCookie(cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(401);
  });
});

describe('the session store', () => {
  const binding = { generation: 'g1', port: 3100 };

  it('expires a session idle for 30 minutes, and any session after 12 hours however busy', () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const idle = store.create(binding);
    const busy = store.create(binding);
    now = 29 * 60 * 1000;
    expect(store.valid(busy, binding)).toBe(true);
    now = 31 * 60 * 1000;
    expect(store.valid(idle, binding)).toBe(false);
    expect(store.valid(busy, binding)).toBe(true);
    for (let minute = 31; minute < 12 * 60; minute += 20) {
      now = minute * 60 * 1000;
      expect(store.valid(busy, binding)).toBe(true);
    }
    now = 12 * 60 * 60 * 1000;
    expect(store.valid(busy, binding)).toBe(false);
  });

  it('refuses a session for another token generation (and forgets it) or another port', () => {
    const store = new SessionStore();
    const id = store.create(binding);
    expect(store.valid(id, { ...binding, port: 3101 })).toBe(false);
    expect(store.valid(id, binding)).toBe(true);
    expect(store.valid(id, { ...binding, generation: 'g2' })).toBe(false);
    expect(store.valid(id, binding)).toBe(false);
    expect(store.size).toBe(0);
  });
});

describe('the request-target rule', () => {
  it('accepts normal-form origin targets and refuses the rest', () => {
    for (const ok of [
      '/',
      '/api/v1/providers',
      '/api/v1/providers/a-b?x=%2F',
      '/api/providers/%F0%9F%94%91',
      '/a%20b',
      '/v1/models/openai%2Fgpt-4o',
    ])
      expect(requestTargetProblem(ok), ok).toBeNull();
    for (const bad of [
      '',
      '*',
      'http://x/api',
      '/%61pi',
      '/a%2Fb',
      '/a%5cb',
      '/v1/models%2Fx',
      '/v1/models/x%5Cy',
      '/v1/models/x%2F..%2Fy',
      '/api/v1/models/x%2Fy',
      '//a',
      '/a/./b',
      '/a/../b',
      '/a/..',
      '/a/%2e%2e/b',
      '/a\\b',
      '/%C0%AF',
      '/%E0%80%AF',
      '/%ED%A0%80',
      '/%zz',
      '/a%00',
      '/a%7f',
    ])
      expect(requestTargetProblem(bad), bad).not.toBeNull();
  });
});

describe('sockets after a client error', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { requestTimeoutMs: 300 });
  });
  afterAll(() => t.close());

  async function connections(): Promise<number> {
    return new Promise((resolve, reject) => t.server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  /** A client that never closes its side (nor reads past the answer): the server must let go of the socket itself. */
  function stubbornClient(bytes: string): Promise<{ answer: string; socket: Socket }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port: t.server.port, host: '127.0.0.1', allowHalfOpen: true });
      let answer = '';
      socket.on('error', () => undefined);
      socket.on('data', (chunk) => {
        answer += chunk.toString();
        if (answer.includes('\r\n\r\n')) resolve({ answer, socket });
      });
      socket.on('connect', () => socket.write(bytes));
      setTimeout(() => reject(new Error(`no answer; got ${JSON.stringify(answer)}`)), 5000).unref();
    });
  }

  it('destroys the socket of a client that sent garbage, even if the client keeps its side open', async () => {
    const { answer, socket } = await stubbornClient('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await expect.poll(connections, { timeout: 3000 }).toBe(0);
    socket.destroy();
  });

  it('answers a slow client 408 and then destroys its socket', async () => {
    const { answer, socket } = await stubbornClient(`GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await expect.poll(connections, { timeout: 3000 }).toBe(0);
    socket.destroy();
  });
});
