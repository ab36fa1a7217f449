// A cached answer (the list page, a model list) is the cheapest path through the server: it must still pass every
// check a request meets — request target, Host, Origin, token — and a token rotated by another process fails at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDesk, startTestServer, type TestServer } from '../helpers/desk.js';

const PAGE = '/api/v1/providers?sort=name&limit=50';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
  for (let i = 0; i < 3; i++)
    t.desk.providers.create({ name: `cached-${i}`, type: 'openai', api_keys: [{ value: `sk-cached-${i}-0123456789abcdef` }] });
  // Asked twice at one store version: the page is cached from here on.
  expect((await t.request(PAGE)).status).toBe(200);
  expect((await t.request(PAGE)).status).toBe(200);
});
afterEach(async () => t.server && (await t.close()));

describe('a cached page', () => {
  it('is answered from the cache to a caller with the token', async () => {
    const answer = await t.request(PAGE);
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((p: { name: string }) => p.name)).toEqual(['cached-0', 'cached-1', 'cached-2']);
  });

  it('is refused without a token, with a wrong token, to another Host, to a foreign Origin and at an odd target', async () => {
    expect((await t.request(PAGE, { noAuth: true })).status).toBe(401);
    expect((await t.request(PAGE, { headers: { authorization: 'Bearer pd_not-the-token' } })).status).toBe(401);
    const port = t.server.port;
    expect((await t.raw(PAGE, { host: `evil.example:${port}`, authorization: `Bearer ${t.token}` })).status).toBe(403);
    const foreign = await t.raw(PAGE, { host: `127.0.0.1:${port}`, origin: 'http://evil.example', authorization: `Bearer ${t.token}` });
    expect(foreign.status).toBe(403);
    expect(foreign.body).not.toContain('cached-0');
    const odd = await t.raw(PAGE.replace('/api/v1/', '/api/v1//'), { host: `127.0.0.1:${port}`, authorization: `Bearer ${t.token}` });
    expect(odd.status).toBe(400);
  });

  it('is refused at once with a token another process rotated, and served with the new one', async () => {
    const other = openTestDesk({ dataDir: t.desk.options.dataDir });
    const rotated = other.token.rotate();
    await other.close();
    const old = await t.request(PAGE);
    expect(old.status).toBe(401);
    expect(old.text).not.toContain('cached-0');
    const fresh = await t.request(PAGE, { headers: { authorization: `Bearer ${rotated}` } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.items).toHaveLength(3);
  });

  it('keeps working when the token does not change, across many requests (the expected digest is kept per token)', async () => {
    for (let i = 0; i < 20; i++) expect((await t.request(PAGE)).status).toBe(200);
    t.desk.token.rotate();
    expect((await t.request(PAGE)).status).toBe(401);
  });
});
