import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { operations, OPERATION_NAMES } from '../../src-main/core/contract/operations.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

describe('native API', () => {
  it('answers health without a token', async () => {
    const res = await t.request('/api/v1/health', { noAuth: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: '0.1.0' });
  });

  it('requires the token on every other route of the contract', async () => {
    for (const name of OPERATION_NAMES) {
      const op = operations[name];
      if (op.public || !(op.transports ?? ['http']).includes('http')) continue;
      const path = op.path.replace(/\{\w+\}/g, 'x');
      const res = await t.request(path, { method: op.method, noAuth: true, ...(op.method === 'GET' ? {} : { json: {} }) });
      expect(res.status, `${op.method} ${path}`).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'Authentication required' } });
    }
    expect((await t.request('/api/v1/openapi.json', { noAuth: true })).status).toBe(401);
  });

  it('accepts the token as Bearer, Coder-Session-Token or Basic password, and rejects a wrong one', async () => {
    const basic = Buffer.from(`anyone:${t.token}`).toString('base64');
    expect((await t.request('/api/v1/providers', { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
    expect((await t.request('/api/v1/providers', { noAuth: true, headers: { 'coder-session-token': t.token } })).status).toBe(200);
    expect((await t.request('/api/v1/providers', { headers: { authorization: `Bearer ${t.token}x` } })).status).toBe(401);
  });

  it('creates a provider (201, catalog default base URL, masked keys) and reads it by id or name', async () => {
    const res = await t.request('/api/v1/providers', {
      method: 'POST',
      json: {
        name: 'openai-work',
        type: 'openai',
        display_name: 'OpenAI (work)',
        api_keys: [{ name: 'main', value: 'sk-proj-abcdefghijklmnopqrstuvwxyz' }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'openai-work',
      type: 'openai',
      display_name: 'OpenAI (work)',
      base_url: 'https://api.openai.com/v1',
      enabled: true,
      api_keys: [{ name: 'main', masked: 'sk-p...wxyz' }],
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.text).not.toContain('abcdefghijklmnop');
    const byId = await t.request(`/api/v1/providers/${res.body.id}`);
    const byName = await t.request('/api/v1/providers/openai-work');
    expect(byId.body).toEqual(byName.body);
  });

  it('validates bodies with 400 naming each field', async () => {
    const res = await t.request('/api/v1/providers', { method: 'POST', json: { name: 'UPPER', type: 'openai', enabled: 'yes' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['enabled', 'name']);
    const missing = await t.request('/api/v1/providers', { method: 'POST', json: {} });
    expect(missing.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['name', 'type']);
  });

  it('answers malformed JSON, non-object bodies, big bodies and unknown routes without a 5xx', async () => {
    const bad = await t.request('/api/v1/providers', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const arr = await t.request('/api/v1/providers', { method: 'POST', json: [1, 2] });
    expect(arr.status).toBe(400);
    const big = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'big', type: 'openai', description: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(big.status).toBe(413);
    const unknown = await t.request('/api/v1/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('lists with search, sort, limit and offset', async () => {
    for (const name of ['zeta', 'eta', 'theta']) await t.request('/api/v1/providers', { method: 'POST', json: { name, type: 'groq' } });
    const res = await t.request('/api/v1/providers?search=eta&sort=name&order=asc&limit=2&offset=0');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    expect(res.body.items.map((p: { name: string }) => p.name)).toEqual(['eta', 'theta']);
    const bad = await t.request('/api/v1/providers?limit=-1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('limit');
  });

  it('patches with If-Match: the current ETag works, a stale one gets 412', async () => {
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'etag-test', type: 'mistral' } });
    const ok = await t.request('/api/v1/providers/etag-test', {
      method: 'PATCH',
      json: { display_name: 'A' },
      headers: { 'if-match': '"1"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await t.request('/api/v1/providers/etag-test', {
      method: 'PATCH',
      json: { display_name: 'B' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect((await t.request('/api/v1/providers/etag-test')).body.display_name).toBe('A');
  });

  it('adds, changes and deletes keys', async () => {
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'keys-test', type: 'openai' } });
    const added = await t.request('/api/v1/providers/keys-test/keys', {
      method: 'POST',
      json: { name: 'k', value: 'sk-1234567890abcdef' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'k', masked: 'sk...ef' });
    const changed = await t.request(`/api/v1/providers/keys-test/keys/${added.body.id}`, { method: 'PATCH', json: { enabled: false } });
    expect(changed.body.enabled).toBe(false);
    const removed = await t.request(`/api/v1/providers/keys-test/keys/${added.body.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect((await t.request(`/api/v1/providers/keys-test/keys/${added.body.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await t.request('/api/v1/providers/keys-test')).body.api_keys).toEqual([]);
  });

  it('never offers key reveal or copy over HTTP', async () => {
    const res = await t.request('/api/v1/providers/keys-test/keys/x/copy', { method: 'POST', json: {} });
    expect(res.status).toBe(404);
  });

  it('deletes a provider; a second delete is 404', async () => {
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'gone', type: 'xai' } });
    expect((await t.request('/api/v1/providers/gone', { method: 'DELETE' })).status).toBe(200);
    expect((await t.request('/api/v1/providers/gone', { method: 'DELETE' })).status).toBe(404);
  });

  it('serves an OpenAPI 3.1 document generated from the contract', async () => {
    const res = await t.request('/api/v1/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/providers', '/api/v1/providers/{idOrName}', '/api/v1/providers/{idOrName}/keys/{keyId}']),
    );
    expect(res.body.paths['/api/v1/providers'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['name', 'type']),
    );
    expect(res.body.paths['/api/v1/providers/{idOrName}/keys/{keyId}/copy']).toBeUndefined();
  });

  it('refuses a Host that is not loopback with the server port (DNS rebinding)', async () => {
    for (const host of ['evil.example:' + t.server.port, '127.0.0.1:1', 'localhost', `127.0.0.1.nip.io:${t.server.port}`]) {
      const res = await t.raw('/api/v1/providers', { host, authorization: `Bearer ${t.token}` });
      expect(res.status, host).toBe(403);
    }
    for (const host of [`localhost:${t.server.port}`, `[::1]:${t.server.port}`]) {
      expect((await t.raw('/api/v1/providers', { host, authorization: `Bearer ${t.token}` })).status).toBe(200);
    }
  });

  it('refuses foreign browser Origins without CORS headers, and allows its own', async () => {
    const evil = await t.request('/api/v1/providers', { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const own = await t.request('/api/v1/providers', { headers: { origin: t.url } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(t.url);
  });

  it('reads and changes preferences, validating each field', async () => {
    expect((await t.request('/api/v1/preferences')).body).toEqual({
      theme: 'system',
      apiPort: 3100,
      apiEnabled: true,
      checkIntervalMinutes: 0,
      testTimeoutSeconds: 20,
    });
    const changed = await t.request('/api/v1/preferences', { method: 'PATCH', json: { theme: 'dark', apiPort: 4100 } });
    expect(changed.body).toEqual({ theme: 'dark', apiPort: 4100, apiEnabled: true, checkIntervalMinutes: 0, testTimeoutSeconds: 20 });
    const bad = await t.request('/api/v1/preferences', { method: 'PATCH', json: { theme: 'neon', apiPort: 80 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['apiPort', 'theme']);
    expect((await t.request('/api/v1/preferences')).body.theme).toBe('dark');
  });

  it('shows the token and its file, reports app info, and rotates the token (the old one stops working)', async () => {
    const token = await t.request('/api/v1/token');
    expect(token.body).toEqual({ token: t.token, file: expect.stringMatching(/api-token$/), from_environment: false });
    const info = await t.request('/api/v1/info');
    expect(info.body).toMatchObject({ version: '0.1.0', api: { url: t.url, enabled: true }, vault: { slots: ['keyfile'], warning: null } });
    const rotated = await t.request('/api/v1/token/rotate', { method: 'POST', json: {} });
    expect(rotated.body.token).not.toBe(t.token);
    expect((await t.request('/api/v1/providers')).status).toBe(401);
    expect((await t.request('/api/v1/providers', { headers: { authorization: `Bearer ${rotated.body.token}` } })).status).toBe(200);
  });
});
