/**
 * Acceptance: the native API `/api/v1` as issue 2 (foundation) and issue 4 (probe routes) describe it, black-box
 * against a real server over a real store, with fake providers on loopback for anything that probes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { operations, OPERATION_NAMES } from '../../src-main/core/contract/operations.js';

let t: TestServer;
let openai: FakeProvider;
const GOOD = 'sk-good-key-1234567890';
const BAD = 'sk-bad-key-0987654321';

beforeAll(async () => {
  [t, openai] = await Promise.all([startTestServer(), startFakeProvider('openai', { keys: [GOOD] })]);
});
afterAll(async () => {
  await Promise.all([t.close(), openai.close()]);
});

async function create(body: Record<string, unknown>) {
  const res = await t.request('/api/v1/providers', { method: 'POST', json: body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('native API: health and auth', () => {
  it('GET /api/v1/health answers exactly {ok: true, version} without a token, and with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const res = await t.request('/api/v1/health', { noAuth: true, headers });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['ok', 'version']);
      expect(res.body.ok).toBe(true);
      expect(typeof res.body.version).toBe('string');
      expect(res.body.version.length).toBeGreaterThan(0);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('needs the token on every other route, answering 401 {error: {code: "unauthorized", message}}', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/api/v1/providers'],
      ['POST', '/api/v1/providers'],
      ['GET', '/api/v1/providers/x'],
      ['PATCH', '/api/v1/providers/x'],
      ['DELETE', '/api/v1/providers/x'],
      ['POST', '/api/v1/providers/x/keys'],
      ['PATCH', '/api/v1/providers/x/keys/k'],
      ['DELETE', '/api/v1/providers/x/keys/k'],
      ['POST', '/api/v1/providers/x/test'],
      ['GET', '/api/v1/providers/x/models'],
      ['POST', '/api/v1/providers/x/models/refresh'],
      ['POST', '/api/v1/test-all'],
      ['GET', '/api/v1/openapi.json'],
    ];
    for (const [method, path] of routes) {
      const res = await t.request(path, { method, noAuth: true });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(typeof res.body.error.message).toBe('string');
    }
  });

  it('accepts Bearer (any case of the scheme), Coder-Session-Token and Basic with the token as password', async () => {
    const basic = (user: string) => `Basic ${Buffer.from(`${user}:${t.token}`).toString('base64')}`;
    const accepted: Array<Record<string, string>> = [
      { authorization: `Bearer ${t.token}` },
      { authorization: `bearer ${t.token}` },
      { 'coder-session-token': t.token },
      { authorization: basic('anyone') },
      { authorization: basic('') },
    ];
    for (const headers of accepted) {
      expect((await t.request('/api/v1/providers', { noAuth: true, headers })).status, JSON.stringify(headers)).toBe(200);
    }
    const refused: Array<Record<string, string>> = [
      { authorization: `Bearer ${t.token}x` },
      { authorization: `Basic ${Buffer.from(`${t.token}:`).toString('base64')}` },
      { authorization: t.token },
      { 'coder-session-token': 'nope' },
    ];
    for (const headers of refused) {
      expect((await t.request('/api/v1/providers', { noAuth: true, headers })).status, JSON.stringify(headers)).toBe(401);
    }
  });

  it('refuses a non-loopback Host and a foreign Origin with 403 in the native shape, without CORS headers', async () => {
    const host = await t.raw('/api/v1/providers', { host: `evil.example:${t.server.port}`, authorization: `Bearer ${t.token}` });
    expect(host.status).toBe(403);
    expect(JSON.parse(host.body).error.code).toBe('forbidden');
    const origin = await t.request('/api/v1/providers', { headers: { origin: 'https://evil.example' } });
    expect(origin.status).toBe(403);
    expect(origin.body.error.code).toBe('forbidden');
    expect(origin.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('native API: providers', () => {
  it('POST /api/v1/providers answers 201 with the provider: uuid id, catalog default base URL, enabled, masked keys, timestamps', async () => {
    const res = await t.request('/api/v1/providers', {
      method: 'POST',
      json: {
        name: 'acc-openai',
        type: 'openai',
        api_keys: [{ name: 'work', value: 'sk-proj-abcdefghijklmnop1234' }, { value: 'sk-second-key-0000000' }],
      },
    });
    expect(res.status).toBe(201);
    const p = res.body;
    expect(p.id).toMatch(UUID);
    expect(p).toMatchObject({ name: 'acc-openai', type: 'openai', base_url: 'https://api.openai.com/v1', enabled: true });
    expect(typeof p.display_name).toBe('string');
    expect(p.created_at).toMatch(ISO);
    expect(p.updated_at).toMatch(ISO);
    expect(p.api_keys).toHaveLength(2);
    expect(p.api_keys[0]).toMatchObject({ name: 'work', masked: 'sk-p...1234' });
    expect(p.api_keys[0].id).toEqual(expect.any(String));
    expect(typeof p.api_keys[1].name).toBe('string');
    expect(p.api_keys[1].name.length).toBeGreaterThan(0);
    // The secret is never echoed.
    expect(res.text).not.toContain('sk-proj-abcdefghijklmnop1234');
    expect(res.text).not.toContain('sk-second-key-0000000');
  });

  it('keeps every optional field given on create: display_name, base_url, enabled, description, settings', async () => {
    const p = await create({
      name: 'acc-full',
      type: 'openai-compat',
      display_name: 'My LLM',
      base_url: 'http://127.0.0.1:9/v1',
      enabled: false,
      description: 'notes',
      settings: {},
    });
    expect(p).toMatchObject({ display_name: 'My LLM', base_url: 'http://127.0.0.1:9/v1', enabled: false, description: 'notes' });
    expect(p.api_keys).toEqual([]);
  });

  it('resolves catalog aliases (google → gemini, other → openai-compat)', async () => {
    expect((await create({ name: 'acc-google', type: 'google' })).type).toBe('gemini');
    expect((await create({ name: 'acc-other', type: 'other', base_url: 'http://127.0.0.1:9/v1' })).type).toBe('openai-compat');
  });

  it('answers 400 naming each bad field', async () => {
    const res = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'Not A Slug', type: 'no-such-type', base_url: 'ftp://example.com', api_keys: [{ value: '' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'type', 'base_url', 'api_keys[0].value']));
    for (const f of res.body.error.fields) expect(typeof f.message).toBe('string');

    const missing = await t.request('/api/v1/providers', { method: 'POST', json: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['name', 'type']));
  });

  it('answers 409 for a name already in use', async () => {
    await create({ name: 'acc-dup', type: 'mistral' });
    const res = await t.request('/api/v1/providers', { method: 'POST', json: { name: 'acc-dup', type: 'groq' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('GET /api/v1/providers/{idOrName} finds a provider by uuid (any case) or by name; 404 otherwise', async () => {
    const p = await create({ name: 'acc-get', type: 'deepseek' });
    for (const key of [p.id, p.id.toUpperCase(), 'acc-get']) {
      const res = await t.request(`/api/v1/providers/${key}`);
      expect(res.status, key).toBe(200);
      expect(res.body.id).toBe(p.id);
    }
    const missing = await t.request('/api/v1/providers/acc-nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await t.request('/api/v1/providers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('PATCH changes only the fields given, bumps updated_at/revision, validates, and 404s for an unknown provider', async () => {
    const p = await create({ name: 'acc-patch', type: 'groq', display_name: 'Groq' });
    await new Promise((r) => setTimeout(r, 5));
    const res = await t.request('/api/v1/providers/acc-patch', { method: 'PATCH', json: { enabled: false, description: 'x' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      enabled: false,
      description: 'x',
      display_name: 'Groq',
      base_url: p.base_url,
      created_at: p.created_at,
    });
    expect(res.body.revision).toBeGreaterThan(p.revision);
    expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(p.updated_at));
    const bad = await t.request('/api/v1/providers/acc-patch', { method: 'PATCH', json: { base_url: 'not a url' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toContain('base_url');
    expect((await t.request('/api/v1/providers/acc-none', { method: 'PATCH', json: { enabled: true } })).status).toBe(404);
  });

  it('DELETE removes the provider; a repeated DELETE and a GET are 404', async () => {
    const p = await create({ name: 'acc-del', type: 'xai', api_keys: [{ value: 'xai-abcdefghijklmnop' }] });
    const res = await t.request(`/api/v1/providers/${p.id}`, { method: 'DELETE' });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect((await t.request(`/api/v1/providers/${p.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await t.request('/api/v1/providers/acc-del')).status).toBe(404);
  });
});

describe('native API: keys', () => {
  it('adds (201), changes and deletes a key; unknown keys and providers are 404', async () => {
    const p = await create({ name: 'acc-keys', type: 'openai' });
    const added = await t.request('/api/v1/providers/acc-keys/keys', {
      method: 'POST',
      json: { name: 'main', value: 'sk-key-value-abcdefghij' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'main', masked: 'sk-k...ghij', enabled: true });
    expect(added.text).not.toContain('sk-key-value-abcdefghij');
    const keyId = added.body.id;

    const changed = await t.request(`/api/v1/providers/${p.id}/keys/${keyId}`, {
      method: 'PATCH',
      json: { enabled: false, value: 'sk-other-value-zzzzzzzz' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: keyId, enabled: false, masked: 'sk-o...zzzz' });

    const bad = await t.request('/api/v1/providers/acc-keys/keys', { method: 'POST', json: { value: ' padded ' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toContain('value');

    expect((await t.request('/api/v1/providers/acc-keys/keys/nope', { method: 'PATCH', json: { enabled: true } })).status).toBe(404);
    expect((await t.request('/api/v1/providers/acc-nope/keys', { method: 'POST', json: { value: 'sk-abcdefghijkl' } })).status).toBe(404);

    expect((await t.request(`/api/v1/providers/acc-keys/keys/${keyId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.request(`/api/v1/providers/acc-keys/keys/${keyId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await t.request('/api/v1/providers/acc-keys')).body.api_keys).toEqual([]);
  });
});

describe('native API: listing', () => {
  let fresh: TestServer;
  beforeAll(async () => {
    fresh = await startTestServer();
    for (const [name, display_name] of [
      ['alpha', 'Zeta'],
      ['bravo', 'Yankee'],
      ['charlie', 'Xray'],
      ['delta', 'Whiskey'],
    ] as const) {
      const res = await fresh.request('/api/v1/providers', { method: 'POST', json: { name, type: 'mistral', display_name } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => fresh.close());

  it('pages with limit/offset; total counts every (filtered) row before paging', async () => {
    const page = await fresh.request('/api/v1/providers?sort=name&order=asc&limit=2&offset=1');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(4);
    expect(page.body.items.map((p: { name: string }) => p.name)).toEqual(['bravo', 'charlie']);
  });

  it('searches case-insensitively and sorts by name or display_name both ways', async () => {
    const found = await fresh.request('/api/v1/providers?search=YANK');
    expect(found.body.total).toBe(1);
    expect(found.body.items[0].name).toBe('bravo');
    const desc = await fresh.request('/api/v1/providers?sort=name&order=desc');
    expect(desc.body.items.map((p: { name: string }) => p.name)).toEqual(['delta', 'charlie', 'bravo', 'alpha']);
    const byDisplay = await fresh.request('/api/v1/providers?sort=display_name&order=asc');
    expect(byDisplay.body.items.map((p: { name: string }) => p.name)).toEqual(['delta', 'charlie', 'bravo', 'alpha']);
  });

  it('rejects a non-numeric limit with 400 naming the field', async () => {
    const res = await fresh.request('/api/v1/providers?limit=abc');
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('limit');
  });
});

describe('native API: generic failures', () => {
  it('answers malformed JSON with 400, an unknown route with 404, an oversized body with 413, all in the native shape', async () => {
    const bad = await t.request('/api/v1/providers', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toEqual(expect.any(String));
    const unknown = await t.request('/api/v1/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const big = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'big', type: 'openai', description: 'x'.repeat(1_100_000) },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });
});

describe('native API: OpenAPI document', () => {
  it('is OpenAPI 3.1 with info, bearer security, and every route of the native API', async () => {
    const res = await t.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(doc.components.securitySchemes).toBeTruthy();
    const schemes = Object.values(doc.components.securitySchemes) as Array<{ type: string; scheme?: string }>;
    expect(schemes.some((s) => s.type === 'http' && s.scheme === 'bearer')).toBe(true);
    const expected: Record<string, string[]> = {
      '/api/v1/health': ['get'],
      '/api/v1/providers': ['get', 'post'],
      '/api/v1/providers/{idOrName}': ['get', 'patch', 'delete'],
      '/api/v1/providers/{idOrName}/keys': ['post'],
      '/api/v1/providers/{idOrName}/keys/{keyId}': ['patch', 'delete'],
      '/api/v1/providers/{idOrName}/test': ['post'],
      '/api/v1/providers/{idOrName}/models': ['get'],
      '/api/v1/providers/{idOrName}/models/refresh': ['post'],
      '/api/v1/test-all': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
    }
    expect(doc.paths['/api/v1/health'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/providers'].post.responses['201']).toBeTruthy();
  });

  it('declares every path parameter, has unique operationIds and a success response per operation, and its component refs resolve', async () => {
    const doc = (await t.request('/api/v1/openapi.json')).body;
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(op.operationId, `${method} ${path}`).toEqual(expect.any(String));
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        const declared = (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name);
        expect(declared.sort(), `${method} ${path}`).toEqual([...params].sort());
        for (const p of op.parameters ?? []) if (p.in === 'path') expect(p.required).toBe(true);
        expect(
          Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
          `${method} ${path}`,
        ).toBe(true);
      }
    }
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
    };
    walk(doc);
    for (const ref of refs.filter((r) => r.startsWith('#/components/'))) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce<any>((node, part) => node?.[part], doc);
      expect(target, ref).toBeTruthy();
    }
  });

  it('documents the provider and key operations with examples, and every example output matches its schema', async () => {
    const doc = (await t.request('/api/v1/openapi.json')).body;
    const documented: Array<[string, string]> = [
      ['/api/v1/providers', 'get'],
      ['/api/v1/providers', 'post'],
      ['/api/v1/providers/{idOrName}', 'get'],
      ['/api/v1/providers/{idOrName}', 'patch'],
      ['/api/v1/providers/{idOrName}', 'delete'],
      ['/api/v1/providers/{idOrName}/keys', 'post'],
      ['/api/v1/providers/{idOrName}/keys/{keyId}', 'patch'],
      ['/api/v1/providers/{idOrName}/keys/{keyId}', 'delete'],
      ['/api/v1/providers/{idOrName}/test', 'post'],
      ['/api/v1/providers/{idOrName}/models', 'get'],
    ];
    for (const [path, method] of documented) {
      const op = doc.paths[path][method];
      const success = Object.entries(op.responses as Record<string, { content?: Record<string, { example?: unknown }> }>).find(([code]) =>
        /^2/.test(code),
      )?.[1];
      expect(Object.values(success?.content ?? {})[0]?.example, `${method} ${path}`).toBeDefined();
    }
    for (const name of OPERATION_NAMES) {
      const example = operations[name].example?.output;
      if (example === undefined) continue;
      const parsed = operations[name].output.safeParse(example);
      expect(parsed.success, `${name}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
  });

  it('every $ref resolves against the document root', async () => {
    const doc = (await t.request('/api/v1/openapi.json')).body;
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          if (key === '$ref' && typeof item === 'string') refs.push(item);
          else walk(item);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<any>((node, part) => node?.[part], doc);
      expect(target, ref).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toContain('"$defs"');
  });
});

describe('native API: test and models (issue 4)', () => {
  it('POST …/test answers {ok, results: [{key_id, ok, latency_ms, http_status, error_class, message}]}, one per enabled key', async () => {
    const p = await create({
      name: 'acc-probe',
      type: 'openai',
      base_url: openai.baseUrl,
      api_keys: [
        { name: 'good', value: GOOD },
        { name: 'bad', value: BAD },
        { name: 'off', value: 'sk-off-key-000000000', enabled: false },
      ],
    });
    const res = await t.request('/api/v1/providers/acc-probe/test', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.results).toHaveLength(2);
    for (const r of res.body.results) {
      for (const field of ['key_id', 'ok', 'latency_ms', 'http_status', 'error_class', 'message']) expect(r, field).toHaveProperty(field);
      expect(typeof r.latency_ms).toBe('number');
      expect(typeof r.message).toBe('string');
    }
    const byKey = new Map(res.body.results.map((r: { key_id: string }) => [r.key_id, r]));
    expect(byKey.get(p.api_keys[0].id)).toMatchObject({ ok: true, http_status: 200, error_class: null });
    expect(byKey.get(p.api_keys[1].id)).toMatchObject({ ok: false, http_status: 401, error_class: 'auth_failed' });
    expect(res.text).not.toContain(BAD);

    const onlyGood = await t.request('/api/v1/providers/acc-probe/test', { method: 'POST', json: {} });
    expect(onlyGood.status).toBe(200);
    await t.request(`/api/v1/providers/acc-probe/keys/${p.api_keys[1].id}`, { method: 'DELETE' });
    const allOk = await t.request(`/api/v1/providers/${p.id}/test`, { method: 'POST', json: {} });
    expect(allOk.body.ok).toBe(true);
    expect(allOk.body.results).toHaveLength(1);
  });

  it('GET …/models fetches when nothing is stored: {models: [{id, display_name, capabilities, context_window}], fetched_at}', async () => {
    await create({ name: 'acc-models', type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: GOOD }] });
    const res = await t.request('/api/v1/providers/acc-models/models');
    expect(res.status).toBe(200);
    expect(res.body.fetched_at).toMatch(ISO);
    expect(res.body.models.length).toBeGreaterThan(0);
    for (const m of res.body.models) {
      expect(typeof m.id).toBe('string');
      expect(typeof m.display_name).toBe('string');
      expect(Array.isArray(m.capabilities)).toBe(true);
      expect(m).toHaveProperty('context_window');
    }
    expect(res.body.models.map((m: { id: string }) => m.id)).toContain('gpt-4o-mini');
    const refreshed = await t.request('/api/v1/providers/acc-models/models/refresh', { method: 'POST' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.models.length).toBe(res.body.models.length);
  });

  it('answers 502 (never an empty list) when the upstream listing fails, and 404 for an unknown provider', async () => {
    await create({ name: 'acc-down', type: 'openai', base_url: 'http://127.0.0.1:9/v1', api_keys: [{ value: GOOD }] });
    const down = await t.request('/api/v1/providers/acc-down/models');
    expect(down.status).toBe(502);
    expect(down.body.error.code).toBe('upstream_failed');
    expect(down.body.error.details).toMatchObject({ ok: false, error_class: 'connection_refused' });
    expect(down.body.models).toBeUndefined();

    await create({ name: 'acc-badkey', type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: BAD }] });
    const rejected = await t.request('/api/v1/providers/acc-badkey/models');
    expect(rejected.status).toBe(502);
    expect(rejected.body.error.details).toMatchObject({ http_status: 401, error_class: 'auth_failed' });
    expect((await t.request('/api/v1/providers/acc-badkey/models/refresh', { method: 'POST' })).status).toBe(502);

    expect((await t.request('/api/v1/providers/acc-nope/models')).status).toBe(404);
    expect((await t.request('/api/v1/providers/acc-nope/test', { method: 'POST' })).status).toBe(404);
  });

  it('a deep test sends a one-token request to the chosen model; a wrongly typed option is 400 naming the field', async () => {
    await create({ name: 'acc-deep', type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: GOOD }] });
    const before = openai.requests.length;
    const res = await t.request('/api/v1/providers/acc-deep/test', { method: 'POST', json: { deep: true, model: 'gpt-4o-mini' } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const chat = openai.requests.slice(before).find((r) => r.method === 'POST');
    expect(chat && JSON.parse(chat.body)).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1 });
    const bad = await t.request('/api/v1/providers/acc-deep/test', { method: 'POST', json: { deep: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toContain('deep');
  });

  it('POST /api/v1/test-all streams one progress line per enabled provider, then the summary', async () => {
    const s = await startTestServer();
    try {
      for (const [name, key] of [
        ['all-good', GOOD],
        ['all-bad', BAD],
      ])
        await s.request('/api/v1/providers', {
          method: 'POST',
          json: { name, type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: key }] },
        });
      await s.request('/api/v1/providers', { method: 'POST', json: { name: 'all-off', type: 'openai', enabled: false } });
      const res = await s.request('/api/v1/test-all', { method: 'POST', json: {} });
      expect(res.status).toBe(200);
      const lines = res.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; result?: { total: number; passed: number; failed: number } });
      expect(lines.filter((l) => l.type === 'progress')).toHaveLength(2);
      expect(lines.at(-1)).toMatchObject({ type: 'result', result: { total: 2, passed: 1, failed: 1 } });
    } finally {
      await s.close();
    }
  });
});
