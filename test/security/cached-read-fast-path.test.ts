// The pre-routing fast path (http/cached-read-fast-path.ts) answers cached main-token GETs before Fastify routes them.
// It must never answer differently from the full path: every request below is sent to two servers over the same
// store, one with the fast path and one without, and the answers (status, headers but Date, body) must be identical —
// whether the fast path answered (a good token at a cached target) or left the request to the full path (everything
// else: bad tokens, Hosts, Origins, targets, methods, bodies, gateway tokens, a rotated token, a changed store).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import { startApiServer, type ApiServer } from '../../src-main/core/http/server.js';
import { openTestDesk } from '../helpers/desk.js';

const PAGE = '/api/v1/providers?sort=name&limit=50';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection; `{port}` in a header value or the target becomes the server's port. */
function send(server: ApiServer, target: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Answer> {
  const port = String(server.port);
  const fill = (text: string) => text.replaceAll('{port}', port);
  const filled = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, fill(value)]));
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: server.port, path: fill(target), method, headers: filled, agent: false, setHost: false },
      (response) => {
        let data = '';
        response.on('data', (chunk: Buffer) => (data += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: comparable(response.headers, port), body: data }));
      },
    );
    request.on('error', reject);
    if (body) request.write(body);
    request.end();
  });
}

/** The headers but Date, with this server's port written as `{port}` (an echoed own Origin names it). */
function comparable(headers: IncomingHttpHeaders, port: string): Answer['headers'] {
  const out: Answer['headers'] = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'date') continue;
    out[name] = typeof value === 'string' ? value.replaceAll(port, '{port}') : value;
  }
  return out;
}

let desk: Desk;
let fast: ApiServer;
let slow: ApiServer;
let token: string;

beforeEach(async () => {
  desk = openTestDesk();
  for (let i = 0; i < 3; i++)
    desk.providers.create({ name: `fast-${i}`, type: 'openai', api_keys: [{ value: `sk-fast-${i}-0123456789abcdef` }] });
  fast = await startApiServer(desk.http, { port: 0 });
  slow = await startApiServer(desk.http, { port: 0, fastPath: false });
  token = desk.token.current();
});
afterEach(async () => {
  await fast.close();
  await slow.close();
  await desk.close();
});

const good = (): Record<string, string> => ({ host: '127.0.0.1:{port}', authorization: `Bearer ${token}` });

/** Sends the request to both servers (the fast one first) and expects the same answer; returns it and the fast path's hits. */
async function both(
  target: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ answer: Answer; hits: number }> {
  const before = fast.fastPath.hits;
  const fromFast = await send(fast, target, headers, method, body);
  const hits = fast.fastPath.hits - before;
  const fromSlow = await send(slow, target, headers, method, body);
  expect(fromFast).toEqual(fromSlow);
  return { answer: fromFast, hits };
}

/** Asked twice at one store version, a page is cached: the third good request is a fast-path hit. */
async function warm(target = PAGE): Promise<void> {
  for (let i = 0; i < 2; i++) await both(target, good());
  expect((await both(target, good())).hits).toBe(1);
}

describe('the cached-read fast path', () => {
  it('answers a cached page with the bytes and headers of the full path', async () => {
    await warm();
    const { answer, hits } = await both(PAGE, good());
    expect(hits).toBe(1);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).items.map((p: { name: string }) => p.name)).toEqual(['fast-0', 'fast-1', 'fast-2']);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('leaves every request that is not a main-token GET to a cached target to the full path, which answers it the same', async () => {
    await warm();
    const gateway = desk.tokens.create({ name: 'tool', scope: 'gateway' });
    const basic = Buffer.from(`user:${token}`).toString('base64');
    const cases: Array<[string, string, Record<string, string>, string?, string?]> = [
      ['no token', PAGE, { host: '127.0.0.1:{port}' }],
      ['a wrong token', PAGE, { host: '127.0.0.1:{port}', authorization: 'Bearer pd_not-the-token' }],
      ['a token under another scheme', PAGE, { host: '127.0.0.1:{port}', authorization: `Token ${token}` }],
      // Forms the full path reads as the token too: only it answers them.
      ['a lower-case scheme', PAGE, { host: '127.0.0.1:{port}', authorization: `bearer ${token}` }],
      ['two spaces after the scheme', PAGE, { host: '127.0.0.1:{port}', authorization: `Bearer  ${token}` }],
      ['the token with a prefix of it', PAGE, { host: '127.0.0.1:{port}', authorization: `Bearer ${token}${token.slice(0, 4)}` }],
      ['the token cut short', PAGE, { host: '127.0.0.1:{port}', authorization: `Bearer ${token.slice(0, -1)}` }],
      ['a gateway token', PAGE, { host: '127.0.0.1:{port}', authorization: `Bearer ${gateway.token}` }],
      ['a wrong Coder-Session-Token beside a good Bearer', PAGE, { ...good(), 'coder-session-token': 'pd_wrong' }],
      ['the token as Coder-Session-Token', PAGE, { host: '127.0.0.1:{port}', 'coder-session-token': token }],
      ['the token as Basic password', PAGE, { host: '127.0.0.1:{port}', authorization: `Basic ${basic}` }],
      ['a foreign Host', PAGE, { ...good(), host: 'evil.example:{port}' }],
      ['our name on another port', PAGE, { ...good(), host: '127.0.0.1:1' }],
      ['no Host', PAGE, { authorization: `Bearer ${token}` }],
      ['a foreign Origin', PAGE, { ...good(), origin: 'http://evil.example' }],
      ['the "null" Origin', PAGE, { ...good(), origin: 'null' }],
      ['our own Origin (CORS headers)', PAGE, { ...good(), origin: 'http://127.0.0.1:{port}' }],
      ['a doubled slash', PAGE.replace('/api/v1/', '/api/v1//'), good()],
      ['an encoded unreserved character', PAGE.replace('providers', '%70roviders'), good()],
      ['a dot segment', PAGE.replace('/api/v1/', '/api/v1/x/../'), good()],
      ['an absolute-form target', `http://127.0.0.1:{port}${PAGE}`, good()],
      ['a trailing slash', PAGE.replace('providers?', 'providers/?'), good()],
      ['another query', PAGE.replace('limit=50', 'limit=51'), good()],
      ['HEAD', PAGE, good(), 'HEAD'],
      ['OPTIONS', PAGE, { ...good(), origin: 'http://127.0.0.1:{port}' }, 'OPTIONS'],
      ['POST', PAGE, { ...good(), 'content-type': 'application/json' }, 'POST', '{}'],
      ['a GET with a Content-Length', PAGE, { ...good(), 'content-length': '0' }],
      ['a GET with a chunked body', PAGE, { ...good(), 'transfer-encoding': 'chunked' }],
    ];
    for (const [why, target, headers, method, body] of cases) {
      const { answer, hits } = await both(target, headers, method, body).catch((error: Error) => {
        throw new Error(`${why}: ${error.message}`);
      });
      expect(hits, `${why}: answered by the fast path`).toBe(0);
      if (
        why.startsWith('a wrong') ||
        why === 'no token' ||
        why.includes('another scheme') ||
        ['the token with a prefix of it', 'the token cut short'].includes(why)
      )
        expect(answer.status, why).toBe(401);
      if (why === 'a lower-case scheme' || why === 'two spaces after the scheme') expect(answer.status, why).toBe(200);
      if (why.includes('Host') || why.includes('another port') || why.includes('foreign Origin') || why.includes('"null"'))
        expect(answer.status, why).toBe(403);
      if (why === 'a gateway token') expect(answer.status, why).toBe(403);
      if (['a doubled slash', 'an encoded unreserved character', 'a dot segment', 'an absolute-form target'].includes(why))
        expect(answer.status, why).toBe(400);
      if (answer.status >= 400) expect(answer.body, why).not.toContain('fast-0');
    }
    // And the cached page is still served fast afterwards.
    expect((await both(PAGE, good())).hits).toBe(1);
  });

  it('refuses at once a token another process rotated, and never serves a page older than the store', async () => {
    await warm();
    const other = openTestDesk({ dataDir: desk.options.dataDir });
    const rotated = other.token.rotate();
    other.providers.create({ name: 'fast-3', type: 'openai', api_keys: [{ value: 'sk-fast-3-0123456789abcdef' }] });
    await other.close();
    const old = await both(PAGE, good());
    expect(old.answer.status).toBe(401);
    token = rotated;
    const fresh = await both(PAGE, good());
    expect(fresh.hits).toBe(0);
    expect(JSON.parse(fresh.answer.body).items).toHaveLength(4);
    desk.providers.create({ name: 'fast-4', type: 'openai', api_keys: [{ value: 'sk-fast-4-0123456789abcdef' }] });
    const afterWrite = await both(PAGE, good());
    expect(afterWrite.hits).toBe(0);
    expect(JSON.parse(afterWrite.answer.body).items).toHaveLength(5);
  });

  it('answers nothing once the server is closing', async () => {
    await warm();
    fast.fastPath.close();
    expect((await both(PAGE, good())).hits).toBe(0);
  });
});
