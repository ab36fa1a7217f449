/**
 * Acceptance: the ZIRI-compatible surface `/api/providers`, rule by rule from shared/specs/ziri.md and the seed
 * shared/seeds/ziri-providers.txt, black-box against a real server (fake providers on loopback for the test route).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const ZIRI_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const NOT_FOUND = { error: 'Provider not found', code: 'PROVIDER_NOT_FOUND' };
const MISSING = { error: 'name and apiKey are required', code: 'MISSING_FIELDS' };
const BAD_KEY = { error: 'Invalid API key format', code: 'INVALID_API_KEY' };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

function upsert(json: unknown) {
  return t.request('/api/providers', { method: 'POST', json });
}

describe('ZIRI: auth and generic failures', () => {
  it('answers 401 {error: "Authentication required", code: "UNAUTHORIZED"} without a token or with a wrong one, on every route', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/api/providers'],
      ['GET', '/api/providers/openai'],
      ['POST', '/api/providers'],
      ['DELETE', '/api/providers/openai'],
      ['POST', '/api/providers/openai/test'],
    ];
    for (const [method, path] of routes) {
      for (const headers of [{}, { authorization: 'Bearer wrong-token' }] as Array<Record<string, string>>) {
        const res = await t.request(path, { method, noAuth: true, headers });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body).toEqual({ error: 'Authentication required', code: 'UNAUTHORIZED' });
      }
    }
  });

  it('accepts the token as Bearer, Coder-Session-Token or Basic password', async () => {
    for (const headers of [
      { authorization: `Bearer ${t.token}` },
      { 'coder-session-token': t.token },
      { authorization: `Basic ${Buffer.from(`ziri:${t.token}`).toString('base64')}` },
    ] as Array<Record<string, string>>) {
      expect((await t.request('/api/providers', { noAuth: true, headers })).status).toBe(200);
    }
  });

  it('answers malformed JSON with 400 {error, code: "INVALID_JSON"}', async () => {
    const res = await t.request('/api/providers', {
      method: 'POST',
      body: '{"name": "openai",',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_JSON');
    expect(typeof res.body.error).toBe('string');
    expect(Object.keys(res.body).sort()).toEqual(['code', 'error']);
  });

  it('answers Host, Origin, body-size and unknown-route failures in its own {error, code} shape', async () => {
    const host = await t.raw('/api/providers', { host: 'attacker.example', authorization: `Bearer ${t.token}` });
    expect(host.status).toBe(403);
    expect(Object.keys(JSON.parse(host.body)).sort()).toEqual(['code', 'error']);
    const origin = await t.request('/api/providers', { headers: { origin: 'http://evil.example' } });
    expect(origin.status).toBe(403);
    expect(origin.body.code).toEqual(expect.any(String));
    expect(origin.headers.get('access-control-allow-origin')).toBeNull();
    const big = await upsert({ name: 'openai', apiKey: 'sk-x', metadata: { note: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    expect(Object.keys(big.body).sort()).toEqual(['code', 'error']);
    const unknown = await t.request('/api/providers/a/b/c');
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.body).sort()).toEqual(['code', 'error']);
  });
});

describe('ZIRI: the seed examples', () => {
  it('POST /api/providers (seed body) → 200 {provider: {id: integer, name, displayName, baseUrl, createdAt, updatedAt}}, no key', async () => {
    const res = await upsert({
      name: 'openai',
      apiKey: 'sk-...',
      metadata: { displayName: 'OpenAI', baseUrl: 'https://api.openai.com/v1' },
    });
    expect(res.status).toBe(200);
    const p = res.body.provider;
    expect(Object.keys(res.body)).toEqual(['provider']);
    expect(Number.isInteger(p.id)).toBe(true);
    expect(p).toMatchObject({ name: 'openai', displayName: 'OpenAI', baseUrl: 'https://api.openai.com/v1' });
    expect(p.createdAt).toMatch(ZIRI_TIME);
    expect(p.updatedAt).toMatch(ZIRI_TIME);
    expect(res.text).not.toContain('sk-...');
    expect(p).not.toHaveProperty('apiKey');
    if ('hasCredentials' in p) expect(p.hasCredentials).toBe(true);
    // id is the store's integer seq; timestamps are the same instant in UTC.
    const native = (await t.request('/api/v1/providers/openai')).body;
    expect(p.id).toBe(native.seq);
    expect(p.createdAt).toBe(native.created_at.slice(0, 19).replace('T', ' '));
  });

  it('GET /api/providers/openai → {provider}', async () => {
    const res = await t.request('/api/providers/openai');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['provider']);
    expect(res.body.provider).toMatchObject({ name: 'openai', displayName: 'OpenAI', baseUrl: 'https://api.openai.com/v1' });
  });

  it('GET /api/providers?search=openai&limit=10 → {providers, total}', async () => {
    const res = await t.request('/api/providers?search=openai&limit=10');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['providers', 'total']);
    expect(res.body.total).toBe(1);
    expect(res.body.providers).toHaveLength(1);
    expect(res.body.providers[0].name).toBe('openai');
    expect(res.body.providers[0]).not.toHaveProperty('apiKey');
  });

  it('answers 404 {error: "Provider not found", code: "PROVIDER_NOT_FOUND"} on get, delete and test of an unknown name', async () => {
    expect(await t.request('/api/providers/nobody')).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await t.request('/api/providers/nobody', { method: 'DELETE' })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await t.request('/api/providers/nobody/test', { method: 'POST' })).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('DELETE /api/providers/:name → 200 {success: true}; again → 404', async () => {
    expect((await upsert({ name: 'groq', apiKey: 'gsk_abcdefghijkl' })).status).toBe(200);
    const res = await t.request('/api/providers/groq', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    expect(await t.request('/api/providers/groq', { method: 'DELETE' })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await t.request('/api/providers/groq')).status).toBe(404);
  });
});

describe('ZIRI: create or update', () => {
  it('answers 400 MISSING_FIELDS when name or apiKey is absent or empty', async () => {
    for (const body of [{}, { name: 'openai' }, { apiKey: 'sk-abc' }, { name: '', apiKey: 'sk-abc' }, { name: 'openai', apiKey: '' }]) {
      expect(await upsert(body), JSON.stringify(body)).toMatchObject({ status: 400, body: MISSING });
    }
    expect(await t.request('/api/providers', { method: 'POST' })).toMatchObject({ status: 400, body: MISSING });
  });

  it('answers 400 INVALID_API_KEY per the key format rule', async () => {
    const bad: Array<[string, string]> = [
      ['openai', 'pk-abcdefghijkl'],
      ['openai', 'sk-abc def'],
      ['anthropic', 'sk-abcdefghijkl'],
      ['anthropic', 'sk-ant- spaced'],
      ['mistral', '123456789'],
      ['mistral', 'abcdefghij\tk'],
      ['mistral', '           '],
      ['custom-llm', 'short'],
    ];
    for (const [name, apiKey] of bad) {
      expect(await upsert({ name, apiKey, metadata: { baseUrl: 'http://127.0.0.1:9/v1' } }), `${name} ${apiKey}`).toMatchObject({
        status: 400,
        body: BAD_KEY,
      });
    }
    const good: Array<[string, string]> = [
      ['openai', 'sk-abc'],
      ['anthropic', 'sk-ant-abc'],
      ['mistral', '1234567890'],
    ];
    for (const [name, apiKey] of good) expect((await upsert({ name, apiKey })).status, `${name} ${apiKey}`).toBe(200);
    expect((await t.request('/api/providers/anthropic')).body.provider.baseUrl).toBe('https://api.anthropic.com');
  });

  it('lowercases the name; a catalog name is that type with its default base URL; google means gemini', async () => {
    const res = await upsert({ name: 'DeepSeek', apiKey: 'sk-deepseek-123456' });
    expect(res.status).toBe(200);
    expect(res.body.provider.name).toBe('deepseek');
    const catalog = (await t.request('/api/v1/catalog')).body.types as Array<{ id: string; default_base_url: string }>;
    expect(res.body.provider.baseUrl).toBe(catalog.find((c) => c.id === 'deepseek')?.default_base_url);
    const google = await upsert({ name: 'google', apiKey: 'AIzaSyA-abcdefghijkl' });
    expect(google.status).toBe(200);
    expect(google.body.provider.baseUrl).toBe(catalog.find((c) => c.id === 'gemini')?.default_base_url);
    expect((await t.request('/api/v1/providers/google')).body.type).toBe('gemini');
    expect((await t.request('/api/v1/providers/deepseek')).body.type).toBe('deepseek');
    // metadata.baseUrl overrides the default.
    const custom = await upsert({ name: 'xai', apiKey: 'xai-abcdefghijkl', metadata: { baseUrl: 'https://proxy.example/v1' } });
    expect(custom.body.provider.baseUrl).toBe('https://proxy.example/v1');
  });

  it('makes any other name OpenAI-compatible, which needs metadata.baseUrl (else 400 MISSING_FIELDS)', async () => {
    const missing = await upsert({ name: 'my-gateway', apiKey: 'gw-abcdefghijkl' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('MISSING_FIELDS');
    const res = await upsert({ name: 'my-gateway', apiKey: 'gw-abcdefghijkl', metadata: { baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(res.status).toBe(200);
    expect(res.body.provider.baseUrl).toBe('http://127.0.0.1:9/v1');
    expect((await t.request('/api/v1/providers/my-gateway')).body.type).toBe('openai-compat');
  });

  it('updates an existing provider: same id and createdAt, metadata merged, its single ZIRI key replaced', async () => {
    const first = await upsert({ name: 'fireworks', apiKey: 'fw-first-key-123456', metadata: { displayName: 'Fireworks' } });
    const before = (await t.request('/api/v1/providers/fireworks')).body;
    await new Promise((r) => setTimeout(r, 1100));
    const second = await upsert({ name: 'FIREWORKS', apiKey: 'fw-second-key-654321', metadata: { baseUrl: 'https://fw.example/v1' } });
    expect(second.status).toBe(200);
    expect(second.body.provider).toMatchObject({
      id: first.body.provider.id,
      createdAt: first.body.provider.createdAt,
      displayName: 'Fireworks',
      baseUrl: 'https://fw.example/v1',
    });
    expect(second.body.provider.updatedAt > first.body.provider.updatedAt).toBe(true);
    const after = (await t.request('/api/v1/providers/fireworks')).body;
    expect(after.api_keys).toHaveLength(1);
    expect(after.api_keys[0].id).toBe(before.api_keys[0].id);
    expect(after.api_keys[0].masked).toBe('fw-s...4321');
    expect((await t.request('/api/providers?search=fireworks')).body.total).toBe(1);
  });
});

describe('ZIRI: listing', () => {
  let s: TestServer;
  const names = ['echo', 'alpha', 'delta', 'charlie', 'bravo'];
  beforeAll(async () => {
    s = await startTestServer();
    // Created in this order a few ms apart; display names reverse the name order; base URLs are searchable.
    const display: Record<string, string> = { alpha: 'Zulu', bravo: 'Yankee', charlie: 'Xray', delta: 'Whiskey', echo: 'Victor' };
    for (const name of names) {
      s.desk.providers.create({ name, type: 'openai-compat', display_name: display[name], base_url: `https://${name}.Example.com/v1` });
      await new Promise((r) => setTimeout(r, 3));
    }
  });
  afterAll(async () => s.close());

  const list = async (query: string) => {
    const res = await s.request(`/api/providers${query}`);
    expect(res.status, `${query}: ${res.text}`).toBe(200);
    return res.body as { providers: Array<{ name: string }>; total: number };
  };
  const order = (body: { providers: Array<{ name: string }> }) => body.providers.map((p) => p.name);

  it('defaults to createdAt descending with total', async () => {
    const body = await list('');
    expect(order(body)).toEqual([...names].reverse());
    expect(body.total).toBe(5);
  });

  it('sorts by name, displayName, createdAt and updatedAt with sortOrder asc|desc', async () => {
    expect(order(await list('?sortBy=name'))).toEqual(['echo', 'delta', 'charlie', 'bravo', 'alpha']);
    expect(order(await list('?sortBy=name&sortOrder=asc'))).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(order(await list('?sortBy=displayName&sortOrder=asc'))).toEqual(['echo', 'delta', 'charlie', 'bravo', 'alpha']);
    expect(order(await list('?sortBy=createdAt&sortOrder=asc'))).toEqual(names);
    expect(order(await list('?sortBy=updatedAt&sortOrder=desc'))).toEqual([...names].reverse());
  });

  it('ignores unknown sortBy and sortOrder values', async () => {
    expect(order(await list('?sortBy=password'))).toEqual([...names].reverse());
    expect(order(await list('?sortBy=name;DROP TABLE providers&sortOrder=asc'))).toEqual(names);
    expect(order(await list('?sortBy=name&sortOrder=sideways'))).toEqual(['echo', 'delta', 'charlie', 'bravo', 'alpha']);
    expect((await list('')).total).toBe(5);
  });

  it('pages with limit and offset; total counts the filtered rows before paging', async () => {
    const page = await list('?sortBy=name&sortOrder=asc&limit=2&offset=1');
    expect(order(page)).toEqual(['bravo', 'charlie']);
    expect(page.total).toBe(5);
    const past = await list('?limit=10&offset=10');
    expect(past.providers).toEqual([]);
    expect(past.total).toBe(5);
    const filtered = await list('?search=ha&sortBy=name&sortOrder=asc&limit=1');
    expect(order(filtered)).toEqual(['alpha']);
    expect(filtered.total).toBe(2);
  });

  it('searches name, displayName and baseUrl case-insensitively', async () => {
    expect(order(await list('?search=CHAR'))).toEqual(['charlie']);
    expect(order(await list('?search=yank'))).toEqual(['bravo']);
    expect(order(await list('?search=DELTA.example'))).toEqual(['delta']);
    expect((await list('?search=%25')).total).toBe(0);
    expect((await list('?search=_')).total).toBe(0);
  });

  it('sortBy=displayName orders by the displayName shown (the name when none is set)', async () => {
    const body = (await list('?sortBy=displayName&sortOrder=asc&limit=100')) as unknown as { providers: Array<{ displayName: string }> };
    const shown = body.providers.map((p) => p.displayName.toLowerCase());
    expect(shown.length).toBeGreaterThan(1);
    expect(shown).toEqual([...shown].sort());
  });

  it('answers 400 INVALID_QUERY for a non-numeric or negative limit or offset', async () => {
    for (const query of ['limit=abc', 'limit=-1', 'offset=x', 'offset=-5', 'limit=ten']) {
      const res = await s.request(`/api/providers?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('INVALID_QUERY');
      expect(typeof res.body.error).toBe('string');
    }
  });

  it('has a default limit of 100', async () => {
    const big = await startTestServer();
    try {
      big.desk.repo.transaction(() => {
        for (let i = 0; i < 101; i++) big.desk.providers.create({ name: `p${i}`, type: 'mistral' });
      });
      const res = await big.request('/api/providers');
      expect(res.body.providers).toHaveLength(100);
      expect(res.body.total).toBe(101);
    } finally {
      await big.close();
    }
  });
});

describe('ZIRI: the test route runs a real check', () => {
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  beforeAll(async () => {
    [openai, anthropic] = await Promise.all([
      startFakeProvider('openai', { keys: ['sk-good-openai-123456'] }),
      startFakeProvider('anthropic', { keys: ['sk-ant-good-123456'] }),
    ]);
  });
  afterAll(async () => Promise.all([openai.close(), anthropic.close()]));

  it('answers 200 {success: true, message: "Provider connection successful"} for a working key, then lists models', async () => {
    await upsert({ name: 'probe-ok', apiKey: 'sk-good-openai-123456', metadata: { baseUrl: openai.baseUrl } });
    const res = await t.request('/api/providers/probe-ok/test', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: 'Provider connection successful' });
    const after = (await t.request('/api/providers/probe-ok')).body.provider;
    if ('models' in after) expect(after.models).toContain('gpt-4o');
  });

  it('answers 400 CONNECTION_FAILED with the reason naming the error class for a rejected key', async () => {
    await upsert({ name: 'probe-bad', apiKey: 'sk-wrong-openai-123456', metadata: { baseUrl: openai.baseUrl } });
    const res = await t.request('/api/providers/probe-bad/test', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CONNECTION_FAILED');
    expect(res.body.error).toMatch(/^Provider connection failed: Invalid API key/);
    expect(res.body.error).toContain('401');
    expect(res.text).not.toContain('sk-wrong-openai-123456');
  });

  it('really checks anthropic too, both ways', async () => {
    await upsert({ name: 'anthropic', apiKey: 'sk-ant-good-123456', metadata: { baseUrl: anthropic.baseUrl } });
    expect((await t.request('/api/providers/anthropic/test', { method: 'POST' })).body).toEqual({
      success: true,
      message: 'Provider connection successful',
    });
    await upsert({ name: 'anthropic', apiKey: 'sk-ant-wrong-123456' });
    const bad = await t.request('/api/providers/anthropic/test', { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CONNECTION_FAILED');
    expect(bad.body.error).toMatch(/^Provider connection failed: /);
    expect(anthropic.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('answers CONNECTION_FAILED for a provider that cannot be reached', async () => {
    await upsert({ name: 'probe-down', apiKey: 'sk-whatever-123456', metadata: { baseUrl: 'http://127.0.0.1:9/v1' } });
    const res = await t.request('/api/providers/probe-down/test', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CONNECTION_FAILED');
    expect(res.body.error).toMatch(/^Provider connection failed: .+/);
  });
});

describe('ZIRI: one store', () => {
  it('shows providers created natively and on Coder, with id = seq', async () => {
    const native = (await t.request('/api/v1/providers', { method: 'POST', json: { name: 'native-made', type: 'cohere' } })).body;
    const res = await t.request('/api/providers/native-made');
    expect(res.status).toBe(200);
    expect(res.body.provider.id).toBe(native.seq);
    expect(res.body.provider.baseUrl).toBe(native.base_url);
    const coder = await t.request('/api/v2/ai/providers', {
      method: 'POST',
      json: { type: 'openai', name: 'coder-made', enabled: true, base_url: 'https://api.openai.com/v1' },
    });
    expect(coder.status).toBe(201);
    expect((await t.request('/api/providers/coder-made')).status).toBe(200);
    // Deleting on ZIRI deletes everywhere.
    await t.request('/api/providers/coder-made', { method: 'DELETE' });
    expect((await t.request('/api/v2/ai/providers/coder-made')).status).toBe(404);
  });
});
