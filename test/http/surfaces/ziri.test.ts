import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../../fakes/providers.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const NOT_FOUND = { error: 'Provider not found', code: 'PROVIDER_NOT_FOUND' };
const MISSING = { error: 'name and apiKey are required', code: 'MISSING_FIELDS' };
const BAD_KEY = { error: 'Invalid API key format', code: 'INVALID_API_KEY' };

let t: TestServer;

function post(json: unknown) {
  return t.request('/api/providers', { method: 'POST', json });
}

function rawPost(body: string, contentType = 'application/json') {
  return t.request('/api/providers', { method: 'POST', body, headers: { 'content-type': contentType } });
}

describe('ZIRI surface: the seed examples', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('answers 401 in its own shape without a token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }] as Array<Record<string, string>>) {
      const res = await t.request('/api/providers', { noAuth: true, headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Authentication required', code: 'UNAUTHORIZED' });
    }
  });

  it('creates the seed example provider and never returns the key', async () => {
    const res = await post({ name: 'openai', apiKey: 'sk-...', metadata: { displayName: 'OpenAI', baseUrl: 'https://api.openai.com/v1' } });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      id: expect.any(Number),
      name: 'openai',
      displayName: 'OpenAI',
      baseUrl: 'https://api.openai.com/v1',
      createdAt: expect.stringMatching(TIMESTAMP),
      updatedAt: expect.stringMatching(TIMESTAMP),
      type: 'openai',
      hasCredentials: true,
    });
    expect(res.text).not.toContain('sk-...');
    expect(res.text).not.toMatch(/apiKey/);
  });

  it('gets a provider by name (seed: GET /api/providers/openai)', async () => {
    const res = await t.request('/api/providers/openai');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['provider']);
    expect(res.body.provider).toMatchObject({ name: 'openai', displayName: 'OpenAI', baseUrl: 'https://api.openai.com/v1' });
    expect(res.body.provider.id).toBe(t.desk.providers.get('openai').seq);
  });

  it('lists with search and limit (seed: ?search=openai&limit=10)', async () => {
    const res = await t.request('/api/providers?search=openai&limit=10');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.providers).toHaveLength(1);
    expect(res.body.providers[0]).toMatchObject({ name: 'openai', displayName: 'OpenAI', baseUrl: 'https://api.openai.com/v1' });
  });

  it('answers 404 PROVIDER_NOT_FOUND for an unknown name on get, delete and test', async () => {
    for (const [method, path] of [
      ['GET', '/api/providers/nope'],
      ['DELETE', '/api/providers/nope'],
      ['POST', '/api/providers/nope/test'],
    ] as const) {
      const res = await t.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
    }
  });

  it('deletes a provider (seed: {success: true}), then it is gone', async () => {
    const res = await t.request('/api/providers/openai', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    expect((await t.request('/api/providers/openai')).body).toEqual(NOT_FOUND);
    expect((await t.request('/api/providers/openai', { method: 'DELETE' })).status).toBe(404);
    expect((await t.request('/api/v1/providers/openai')).status).toBe(404);
  });
});

describe('ZIRI surface: create or update', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('answers MISSING_FIELDS when name or apiKey is missing, empty or not a string', async () => {
    for (const body of [
      {},
      { name: 'openai' },
      { apiKey: 'sk-abc' },
      { name: '', apiKey: 'sk-abc' },
      { name: 'openai', apiKey: '' },
      { name: 5, apiKey: 'sk-abc' },
      { name: 'openai', apiKey: ['sk-abc'] },
      [],
      null,
      'openai',
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(MISSING);
    }
    const empty = await t.request('/api/providers', { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual(MISSING);
  });

  it('checks the key format per type: sk- for openai, sk-ant- for anthropic, 10+ characters otherwise, no whitespace', async () => {
    const bad: Array<[string, string]> = [
      ['openai', 'abc-123456789'],
      ['anthropic', 'sk-proj-123456789'],
      ['mistral', 'short'],
      ['groq', 'gsk_abc def1234'],
      ['groq', '             '],
      ['my-server', 'abc'],
    ];
    for (const [name, apiKey] of bad) {
      const res = await post({ name, apiKey, metadata: { baseUrl: 'http://127.0.0.1:9/v1' } });
      expect(res.status, `${name} ${apiKey}`).toBe(400);
      expect(res.body).toEqual(BAD_KEY);
    }
    expect((await t.request('/api/v1/providers')).body.total).toBe(0);
    expect((await post({ name: 'openai', apiKey: 'sk-' })).status).toBe(200);
    expect((await post({ name: 'anthropic', apiKey: 'sk-ant-x' })).status).toBe(200);
    expect((await post({ name: 'mistral', apiKey: '0123456789' })).status).toBe(200);
  });

  it('lowercases the name and takes catalog types (google → gemini) with their default base URL', async () => {
    const res = await post({ name: 'Google', apiKey: 'AIzaSyExample123' });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      name: 'google',
      type: 'gemini',
      baseUrl: 'https://generativelanguage.googleapis.com',
      displayName: 'google',
    });
    const groq = await post({ name: 'GROQ', apiKey: 'gsk_1234567890', metadata: { baseUrl: 'https://proxy.example.com/groq/v1' } });
    expect(groq.body.provider).toMatchObject({ name: 'groq', type: 'groq', baseUrl: 'https://proxy.example.com/groq/v1' });
  });

  it('makes any other name an OpenAI-compatible provider, which needs metadata.baseUrl', async () => {
    const missing = await post({ name: 'my-gateway', apiKey: 'gw-1234567890' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('MISSING_FIELDS');
    expect(missing.body.error).toMatch(/metadata\.baseUrl/);
    const res = await post({
      name: 'my-gateway',
      apiKey: 'gw-1234567890',
      metadata: { baseUrl: 'https://gw.example.com/v1', displayName: 'My gateway', team: 'x' },
    });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      name: 'my-gateway',
      type: 'openai-compat',
      baseUrl: 'https://gw.example.com/v1',
      displayName: 'My gateway',
    });
  });

  it('updates an existing provider: same id and createdAt, metadata merged, its first key replaced', async () => {
    const created = (await post({ name: 'deepseek', apiKey: 'sk-first-key-0001', metadata: { displayName: 'DeepSeek' } })).body.provider;
    await t.request('/api/v1/providers/deepseek/keys', { method: 'POST', json: { name: 'second', value: 'sk-second-key-0002' } });
    const before = (await t.request('/api/v1/providers/deepseek')).body;
    const res = await post({ name: 'deepseek', apiKey: 'sk-replaced-key-0003', metadata: { baseUrl: 'https://eu.deepseek.example/v1' } });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      id: created.id,
      createdAt: created.createdAt,
      displayName: 'DeepSeek',
      baseUrl: 'https://eu.deepseek.example/v1',
    });
    const after = (await t.request('/api/v1/providers/deepseek')).body;
    expect(after.api_keys.map((k: any) => k.id)).toEqual(before.api_keys.map((k: any) => k.id));
    expect(after.api_keys[0].masked).toBe('sk-r...0003');
    expect(after.api_keys[1].masked).toBe('sk...02'); // 18 characters: 2 shown at each end
  });

  it('adds a key when the existing provider has none', async () => {
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'vllm', type: 'vllm' } });
    expect((await t.request('/api/providers/vllm')).body.provider.hasCredentials).toBe(false);
    const res = await post({ name: 'vllm', apiKey: 'local-token-123' });
    expect(res.body.provider.hasCredentials).toBe(true);
    expect((await t.request('/api/v1/providers/vllm')).body.api_keys).toHaveLength(1);
  });

  it('rejects a name the store cannot hold and metadata of the wrong shape', async () => {
    const name = await post({ name: 'my provider', apiKey: 'sk-1234567890' });
    expect(name.status).toBe(400);
    expect(name.body.code).toBe('INVALID_NAME');
    for (const metadata of ['x', [1], { baseUrl: 'not a url' }, { baseUrl: 'ftp://x.example' }, { displayName: 7 }]) {
      const res = await post({ name: 'openrouter', apiKey: 'sk-or-1234567890', metadata });
      expect(res.status, JSON.stringify(metadata)).toBe(400);
      expect(res.body.code).toBe('INVALID_METADATA');
    }
  });

  it('answers malformed JSON with INVALID_JSON and an oversized body in its own shape', async () => {
    const res = await rawPost('{"name": "openai", ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Request body must be valid JSON.', code: 'INVALID_JSON' });
    const huge = await post({ name: 'openai', apiKey: 'sk-'.padEnd(2_000_000, 'k') });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ error: expect.any(String), code: 'PAYLOAD_TOO_LARGE' });
  });

  it('never answers 5xx or a stack trace, whatever the body', async () => {
    const long = 'x'.repeat(100_000);
    const bodies: unknown[] = [
      { name: long, apiKey: 'sk-1234567890' },
      { name: 'openai', apiKey: `sk-${long}` },
      { name: 'openai', apiKey: 'sk-'.padEnd(70_000, 'k') },
      { name: 'ünïcødé', apiKey: 'sk-1234567890' },
      { name: 'openai', apiKey: 'sk-🔑🔑🔑🔑🔑🔑🔑🔑' },
      { name: 'openai', apiKey: 'sk-1234567890', metadata: { displayName: long } },
      { name: 'openai', apiKey: 'sk-1234567890', metadata: { baseUrl: `https://${long}.example` } },
      { name: { $gt: '' }, apiKey: { $ne: null } },
      { name: 'openai', apiKey: 'sk-1234567890', metadata: null },
      { name: '__proto__', apiKey: 'sk-1234567890' },
      { name: 'constructor', apiKey: 'sk-1234567890', metadata: { baseUrl: 'https://c.example/v1', __proto__: { x: 1 } } },
      12,
      true,
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
      expect(typeof res.body.error === 'string' || res.body.provider !== undefined).toBe(true);
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    for (const path of ['/api/providers/%F0%9F%94%91', `/api/providers/${'a'.repeat(450)}`, '/api/providers/UPPER/test']) {
      const res = await t.request(path, { method: path.endsWith('/test') ? 'POST' : 'GET' });
      expect(res.status, path).toBe(404);
      expect(res.body.code).toMatch(/NOT_FOUND/);
    }
    // An encoded slash would split differently once decoded: refused before routing, in ZIRI's shape.
    const encodedSlash = await t.request('/api/providers/a%2Fb');
    expect(encodedSlash.status).toBe(400);
    expect(encodedSlash.body.code).toBe('BAD_REQUEST');
  });
});

describe('ZIRI surface: listing', () => {
  beforeAll(async () => {
    t = await startTestServer();
    const seed: Array<[string, string, string?]> = [
      ['openai', 'sk-1234567890', 'OpenAI'],
      ['anthropic', 'sk-ant-1234567890', 'Anthropic'],
      ['mistral', 'mistral-1234567890', 'Le Chat'],
      ['google', 'AIza1234567890', 'Gemini'],
      ['zeta-gw', 'zeta-1234567890', 'Zeta'],
    ];
    for (const [name, apiKey, displayName] of seed) {
      const res = await post({
        name,
        apiKey,
        metadata: { displayName, ...(name === 'zeta-gw' ? { baseUrl: 'https://zeta.example.com/v1' } : {}) },
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => t.close());

  const names = (res: { body: any }) => res.body.providers.map((p: any) => p.name);

  it('defaults to limit 100, offset 0, newest first, with total', async () => {
    const res = await t.request('/api/providers');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(5);
    expect(names(res)).toEqual(['zeta-gw', 'google', 'mistral', 'anthropic', 'openai']);
    expect(res.body.providers[0].id).toBeGreaterThan(res.body.providers[4].id);
  });

  it('sorts by name, displayName, createdAt and updatedAt in either order, ignoring unknown values', async () => {
    expect(names(await t.request('/api/providers?sortBy=name&sortOrder=asc'))).toEqual([
      'anthropic',
      'google',
      'mistral',
      'openai',
      'zeta-gw',
    ]);
    expect(names(await t.request('/api/providers?sortBy=name&sortOrder=desc'))).toEqual([
      'zeta-gw',
      'openai',
      'mistral',
      'google',
      'anthropic',
    ]);
    expect(names(await t.request('/api/providers?sortBy=displayName&sortOrder=asc'))).toEqual([
      'anthropic',
      'google',
      'mistral',
      'openai',
      'zeta-gw',
    ]);
    expect(names(await t.request('/api/providers?sortBy=createdAt&sortOrder=asc'))).toEqual([
      'openai',
      'anthropic',
      'mistral',
      'google',
      'zeta-gw',
    ]);
    expect(names(await t.request('/api/providers?sortBy=bogus&sortOrder=sideways'))).toEqual([
      'zeta-gw',
      'google',
      'mistral',
      'anthropic',
      'openai',
    ]);
    expect(names(await t.request('/api/providers?sortBy=name;DROP TABLE providers&sortOrder=asc'))).toHaveLength(5);
    await post({ name: 'mistral', apiKey: 'mistral-0987654321' });
    expect(names(await t.request('/api/providers?sortBy=updatedAt&sortOrder=desc'))[0]).toBe('mistral');
  });

  it('pages with limit and offset; total counts every filtered row', async () => {
    const res = await t.request('/api/providers?sortBy=name&sortOrder=asc&limit=2&offset=1');
    expect(names(res)).toEqual(['google', 'mistral']);
    expect(res.body.total).toBe(5);
    const past = await t.request('/api/providers?offset=50');
    expect(past.body).toEqual({ providers: [], total: 5 });
    expect((await t.request('/api/providers?limit=0')).body).toEqual({ providers: [], total: 5 });
    expect((await t.request('/api/providers?limit=99999999999999999999999')).body.total).toBe(5);
  });

  it('searches name, displayName and baseUrl case-insensitively', async () => {
    const byName = await t.request('/api/providers?search=MISTRAL');
    expect(names(byName)).toEqual(['mistral']);
    expect(names(await t.request('/api/providers?search=le%20chat'))).toEqual(['mistral']);
    expect(names(await t.request('/api/providers?search=googleapis'))).toEqual(['google']);
    const paged = await t.request('/api/providers?search=a&limit=1&sortBy=name&sortOrder=asc');
    expect(paged.body.total).toBe(5);
    expect(names(paged)).toEqual(['anthropic']);
    expect((await t.request('/api/providers?search=%25')).body.total).toBe(0);
    expect((await t.request('/api/providers?search=_')).body.total).toBe(0);
  });

  it('rejects a non-numeric or negative limit or offset with INVALID_QUERY', async () => {
    for (const query of ['limit=abc', 'limit=-1', 'limit=1.5', 'offset=-3', 'offset=x', 'limit=1e3']) {
      const res = await t.request(`/api/providers?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('INVALID_QUERY');
      expect(typeof res.body.error).toBe('string');
    }
  });
});

describe('ZIRI surface: the test route runs a real check', () => {
  let openai: FakeProvider;
  let anthropic: FakeProvider;
  beforeEach(async () => {
    t = await startTestServer();
    openai = await startFakeProvider('openai', { keys: ['sk-good-key-123'] });
    anthropic = await startFakeProvider('anthropic', { keys: ['sk-ant-good-key-123'] });
  });
  afterEach(async () => {
    await t.close();
    await openai.close();
    await anthropic.close();
  });

  it('succeeds against a working provider and then lists its models', async () => {
    await post({ name: 'openai', apiKey: 'sk-good-key-123', metadata: { baseUrl: openai.baseUrl } });
    const res = await t.request('/api/providers/openai/test', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: 'Provider connection successful' });
    expect(openai.requests.some((r) => r.path.endsWith('/models') && r.headers.authorization === 'Bearer sk-good-key-123')).toBe(true);
    expect((await t.request('/api/providers/openai')).body.provider.models).toContain('gpt-4o');
  });

  it('names the error class when the key is rejected', async () => {
    await post({ name: 'openai', apiKey: 'sk-wrong-key', metadata: { baseUrl: openai.baseUrl } });
    const res = await t.request('/api/providers/openai/test', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Provider connection failed: Invalid API key (401)', code: 'CONNECTION_FAILED' });
    expect((await t.request('/api/v1/providers/openai')).body.status).toBe('error');
  });

  it('really checks anthropic too (ZIRI itself pretends), both ways', async () => {
    await post({ name: 'anthropic', apiKey: 'sk-ant-good-key-123', metadata: { baseUrl: anthropic.baseUrl } });
    expect((await t.request('/api/providers/anthropic/test', { method: 'POST' })).body).toEqual({
      success: true,
      message: 'Provider connection successful',
    });
    expect(anthropic.requests.some((r) => r.headers['x-api-key'] === 'sk-ant-good-key-123')).toBe(true);
    await post({ name: 'anthropic', apiKey: 'sk-ant-bad-key-456' });
    const res = await t.request('/api/providers/anthropic/test', { method: 'POST', json: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Provider connection failed: Invalid API key (401)', code: 'CONNECTION_FAILED' });
  });

  it('reports a wrong base URL and a provider without keys', async () => {
    await post({ name: 'xai', apiKey: 'xai-good-key-123', metadata: { baseUrl: `${openai.url}/wrong/v1` } });
    expect((await t.request('/api/providers/xai/test', { method: 'POST' })).body).toEqual({
      error: 'Provider connection failed: Endpoint not found (404)',
      code: 'CONNECTION_FAILED',
    });
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'cerebras', type: 'cerebras', base_url: openai.baseUrl } });
    expect((await t.request('/api/providers/cerebras/test', { method: 'POST' })).body).toEqual({
      error: 'Provider connection failed: Missing API key',
      code: 'CONNECTION_FAILED',
    });
  });

  it('reports a provider that cannot be reached', async () => {
    const port = new URL(openai.baseUrl).port;
    await openai.close();
    await post({ name: 'my-local', apiKey: 'local-key-123', metadata: { baseUrl: `http://127.0.0.1:${port}/v1` } });
    const res = await t.request('/api/providers/my-local/test', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Provider connection failed: Connection refused', code: 'CONNECTION_FAILED' });
    openai = await startFakeProvider('openai');
  });
});

describe('ZIRI surface: one store', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('shows a provider created on ZIRI through the native API', async () => {
    const created = (await post({ name: 'openrouter', apiKey: 'sk-or-v1-abcdefghijklmnop', metadata: { displayName: 'OR' } })).body
      .provider;
    const native = await t.request('/api/v1/providers/openrouter');
    expect(native.status).toBe(200);
    expect(native.body).toMatchObject({
      seq: created.id,
      name: 'openrouter',
      type: 'openrouter',
      display_name: 'OR',
      base_url: 'https://openrouter.ai/api/v1',
    });
    expect(native.body.api_keys).toHaveLength(1);
    expect(native.body.api_keys[0].masked).toBe('sk-o...mnop');
  });

  it('shows a provider created natively on ZIRI, with id = seq', async () => {
    const native = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'work-azure', type: 'azure', display_name: 'Azure (work)', base_url: 'https://work.openai.azure.com' },
    });
    expect(native.status).toBe(201);
    const res = await t.request('/api/providers/work-azure');
    expect(res.body.provider).toMatchObject({
      id: native.body.seq,
      name: 'work-azure',
      displayName: 'Azure (work)',
      type: 'azure',
      hasCredentials: false,
    });
    expect(res.body.provider.createdAt).toBe(native.body.created_at.slice(0, 19).replace('T', ' '));
    expect((await t.request('/api/v1/providers/work-azure', { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await t.request('/api/providers/work-azure')).status).toBe(404);
  });
});
