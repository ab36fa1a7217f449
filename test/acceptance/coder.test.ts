/**
 * Acceptance: the Coder-compatible surface `/api/v2/ai/providers`, rule by rule from shared/specs/coder.md and the seed
 * shared/seeds/coder-ai-providers.txt, black-box against a real server with `Coder-Session-Token` auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { CODER_BASE as BASE, coderClient } from './coder-client.js';
import { coderMask, maskParts } from '../../src-main/core/service/masking.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INVALID = 'Invalid AI provider request.';
const NOT_FOUND = { message: 'Resource not found or you do not have access to this resource' };
const BAD_ID_OR_NAME = 'Invalid provider id or name: must be a UUID or match ^[a-z0-9]+(-[a-z0-9]+)*$';
// `icon` is in the current codersdk.AIProvider (the seed predates it).
const FIELDS = ['id', 'type', 'name', 'display_name', 'icon', 'enabled', 'base_url', 'api_keys', 'settings', 'created_at', 'updated_at'];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

const { coder, create, patch } = coderClient(() => t);

function fields(body: { validations?: Array<{ field: string }> }): string[] {
  return (body.validations ?? []).map((v) => v.field);
}

describe('Coder: auth and generic failures', () => {
  it('answers 401 with a Coder body {message, detail?} without a token or with a wrong one', async () => {
    for (const headers of [{}, { 'coder-session-token': 'wrong' }, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      for (const [method, path] of [
        ['GET', BASE],
        ['POST', BASE],
        ['GET', `${BASE}/x`],
        ['PATCH', `${BASE}/x`],
        ['DELETE', `${BASE}/x`],
      ] as const) {
        const res = await t.request(path, { method, noAuth: true, headers });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(typeof res.body.message).toBe('string');
        expect(res.body).not.toHaveProperty('error');
      }
    }
  });

  it('accepts Coder-Session-Token, Bearer and Basic password', async () => {
    for (const headers of [
      { 'coder-session-token': t.token },
      { authorization: `Bearer ${t.token}` },
      { authorization: `Basic ${Buffer.from(`coder:${t.token}`).toString('base64')}` },
    ] as Array<Record<string, string>>) {
      expect((await t.request(BASE, { noAuth: true, headers })).status).toBe(200);
    }
  });

  it('answers malformed JSON with 400 {message: "Request body must be valid JSON.", detail}', async () => {
    const res = await coder(BASE, { method: 'POST', body: '{"type": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Request body must be valid JSON.');
    expect(typeof res.body.detail).toBe('string');
  });

  it('answers Host, Origin and body-size failures in Coder shape', async () => {
    const host = await t.raw(BASE, { host: 'rebind.example', 'coder-session-token': t.token });
    expect(host.status).toBe(403);
    expect(typeof JSON.parse(host.body).message).toBe('string');
    const origin = await coder(BASE, { headers: { origin: 'https://evil.example' } });
    expect(origin.status).toBe(403);
    expect(typeof origin.body.message).toBe('string');
    expect(origin.headers.get('access-control-allow-origin')).toBeNull();
    const big = await coder(BASE, { method: 'POST', json: { type: 'openai', name: 'big', display_name: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    expect(typeof big.body.message).toBe('string');
  });
});

describe('Coder: create and read', () => {
  it('POST → 201 AIProvider with every field; display_name falls back to name; RFC 3339 timestamps; settings null', async () => {
    const res = await coder(BASE, {
      method: 'POST',
      json: {
        type: 'openai',
        name: 'seed-openai',
        enabled: true,
        base_url: 'https://api.openai.com/v1',
        api_keys: ['sk-proj-abcdefghijklmnop'],
      },
    });
    expect(res.status).toBe(201);
    const p = res.body;
    expect(Object.keys(p).sort()).toEqual([...FIELDS].sort());
    expect(p.id).toMatch(UUID);
    expect(p).toMatchObject({
      type: 'openai',
      name: 'seed-openai',
      display_name: 'seed-openai',
      icon: '',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
      settings: null,
    });
    expect(p.created_at).toMatch(RFC3339);
    expect(p.updated_at).toMatch(RFC3339);
    expect(p.api_keys).toHaveLength(1);
    expect(Object.keys(p.api_keys[0]).sort()).toEqual(['created_at', 'id', 'masked']);
    expect(p.api_keys[0].id).toMatch(UUID);
    expect(p.api_keys[0].created_at).toMatch(RFC3339);
    expect(p.api_keys[0].masked).toBe('sk-p...mnop');
    expect(res.text).not.toContain('sk-proj-abcdefghijklmnop');
  });

  it('keeps a given display_name; enabled omitted is false (Go zero value)', async () => {
    const p = await create({ type: 'anthropic', name: 'named', display_name: 'Claude (work)', base_url: 'https://api.anthropic.com' });
    expect(p.display_name).toBe('Claude (work)');
    expect(p.enabled).toBe(false);
    expect(p.api_keys).toEqual([]);
  });

  it('GET by id (any case) and by name returns the same provider', async () => {
    const p = await create({ type: 'openrouter', name: 'router', enabled: true, base_url: 'https://openrouter.ai/api/v1' });
    for (const key of [p.id, p.id.toUpperCase(), 'router']) {
      const res = await coder(`${BASE}/${key}`);
      expect(res.status, key).toBe(200);
      expect(res.body).toEqual(p);
    }
  });

  it('answers 400 for an idOrName that is neither a UUID nor a valid name, 404 for an unknown one', async () => {
    for (const bad of ['Bad_Name', 'UPPER', '-lead', 'a--b', 'trail-']) {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const res = await coder(`${BASE}/${bad}`, { method, ...(method === 'PATCH' ? { json: { enabled: true } } : {}) });
        expect(res.status, `${method} ${bad}`).toBe(400);
        expect(res.body.message).toBe(BAD_ID_OR_NAME);
      }
    }
    for (const unknown of ['no-such-provider', '00000000-0000-4000-8000-000000000000']) {
      expect(await coder(`${BASE}/${unknown}`)).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await patch(unknown, { enabled: true })).toMatchObject({ status: 404, body: NOT_FOUND });
      expect(await coder(`${BASE}/${unknown}`, { method: 'DELETE' })).toMatchObject({ status: 404, body: NOT_FOUND });
    }
  });

  it('answers 409 {message: "AI provider \\"x\\" already exists."} for a name in use on any surface', async () => {
    await t.request('/api/v1/providers', { method: 'POST', json: { name: 'taken', type: 'cohere' } });
    const res = await coder(BASE, {
      method: 'POST',
      json: { type: 'openai', name: 'taken', enabled: true, base_url: 'https://x.example' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ message: 'AI provider "taken" already exists.' });
  });
});

describe('Coder: create validation', () => {
  async function invalid(json: unknown) {
    const res = await coder(BASE, { method: 'POST', json });
    expect(res.status, res.text).toBe(400);
    expect(res.body.message).toBe(INVALID);
    for (const v of res.body.validations) expect(typeof v.detail).toBe('string');
    return res.body as { validations: Array<{ field: string; detail: string }> };
  }

  it('requires type ("type is required"), name and base_url', async () => {
    const body = await invalid({});
    expect(fields(body)).toEqual(expect.arrayContaining(['type', 'name', 'base_url']));
    expect(body.validations.find((v) => v.field === 'type')?.detail).toBe('type is required');
  });

  it('rejects a type outside the enum with "unsupported provider type \\"x\\""', async () => {
    const body = await invalid({ type: 'cohere', name: 'x', base_url: 'https://x.example' });
    expect(body.validations).toEqual([{ field: 'type', detail: 'unsupported provider type "cohere"' }]);
  });

  it('checks the name pattern and that base_url is an absolute http(s) URL', async () => {
    for (const name of ['My Provider', 'UPPER', 'a_b', '-a', 'a-']) {
      expect(fields(await invalid({ type: 'openai', name, base_url: 'https://x.example' })), name).toEqual(['name']);
    }
    for (const base_url of ['string', '/v1', 'ftp://x.example', 'x.example']) {
      expect(fields(await invalid({ type: 'openai', name: 'ok', base_url })), base_url).toEqual(['base_url']);
    }
  });

  it('rejects empty keys and keys with surrounding whitespace (not trimmed) at api_keys[i]', async () => {
    const body = await invalid({
      type: 'openai',
      name: 'ok',
      base_url: 'https://x.example',
      api_keys: ['fine-key-1', '', ' padded', 'tail '],
    });
    expect(fields(body)).toEqual(['api_keys[1]', 'api_keys[2]', 'api_keys[3]']);
    expect((await coder(`${BASE}/ok`)).status).toBe(404);
  });

  it('bedrock: needs settings with region, role_arn, access_key or access_key_secret (settings.region) and rejects api_keys', async () => {
    const base = { type: 'bedrock', name: 'br', base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com' };
    expect(fields(await invalid(base))).toEqual(['settings.region']);
    expect(fields(await invalid({ ...base, settings: { _type: 'bedrock', _version: 1, model: 'anthropic.claude' } }))).toEqual([
      'settings.region',
    ]);
    const withKeys = await coder(BASE, {
      method: 'POST',
      json: { ...base, api_keys: ['abcdefghijkl'], settings: { _type: 'bedrock', _version: 1, region: 'us-east-1' } },
    });
    expect(withKeys.status).toBe(400);
    expect(typeof withKeys.body.message).toBe('string');
    for (const settings of [
      { _type: 'bedrock', _version: 1, region: 'us-east-1' },
      { _type: 'bedrock', _version: 1, role_arn: 'arn:aws:iam::123456789012:role/x' },
      { _type: 'bedrock', _version: 1, access_key: 'AKIAEXAMPLE' },
    ]) {
      const name = `br-${Object.keys(settings)[2]?.replace('_', '-')}`;
      expect((await coder(BASE, { method: 'POST', json: { ...base, name, settings } })).status, name).toBe(201);
    }
  });
});

describe('Coder: masking', () => {
  it('shows 4/2/1/0 characters at each end by length (≥20/≥10/≥5/else), "..." when nothing can show', async () => {
    const cases: Array<[string, string]> = [
      ['a', '...'],
      ['abcd', '...'],
      ['abcde', 'a...e'],
      ['abcdefghi', 'a...i'],
      ['abcdefghij', 'ab...ij'],
      ['abcdefghijklmnopqrs', 'ab...rs'],
      ['abcdefghijklmnopqrst', 'abcd...qrst'],
      ['sk-ant-api03-abcdefgh', 'sk-a...efgh'],
    ];
    for (const [key, masked] of cases) {
      const p = await create({
        type: 'openai-compat',
        name: `mask-${key.length}-${masked.length}`,
        base_url: 'http://127.0.0.1:9/v1',
        api_keys: [key],
      });
      expect(p.api_keys[0].masked, key).toBe(masked);
      expect(JSON.stringify(p)).not.toContain(key.length >= 5 ? key : '"' + key + '"');
    }
  });

  it('masks an empty key as "" (no surface can store one, so the rule is checked on the mask itself)', () => {
    expect(coderMask(maskParts(''))).toBe('');
    expect((['', 'a', 'abcd', 'abcde', 'abcdefghi', 'abcdefghij'] as const).map((k) => coderMask(maskParts(k)))).toEqual([
      '',
      '...',
      '...',
      'a...e',
      'a...i',
      'ab...ij',
    ]);
  });
});

describe('Coder: types and listing', () => {
  let s: TestServer;
  const list = async () => {
    const res = await s.request(BASE, { noAuth: true, headers: { 'coder-session-token': s.token } });
    expect(res.status).toBe(200);
    return res.body as Array<{ name: string; type: string; enabled: boolean }>;
  };
  beforeAll(async () => {
    s = await startTestServer();
    const native = (json: Record<string, unknown>) => s.request('/api/v1/providers', { method: 'POST', json });
    await native({ name: 'zed-gemini', type: 'gemini' });
    await native({ name: 'mid-mistral', type: 'mistral', enabled: false });
    await native({ name: 'alpha-openai', type: 'openai' });
    await native({ name: 'cohere-native', type: 'cohere' });
    await native({ name: 'eleven', type: 'elevenlabs' });
    await native({ name: 'bedrock-native', type: 'bedrock', settings: { region: 'us-east-1' } });
    await native({ name: 'gw', type: 'openai-compat', base_url: 'http://127.0.0.1:9/v1' });
  });
  afterAll(async () => s.close());

  it('GET lists a bare array sorted by name, disabled included, types Coder cannot express left out', async () => {
    const items = await list();
    expect(Array.isArray(items)).toBe(true);
    expect(items.map((p) => p.name)).toEqual(['alpha-openai', 'bedrock-native', 'gw', 'mid-mistral', 'zed-gemini']);
    expect(items.find((p) => p.name === 'mid-mistral')?.enabled).toBe(false);
  });

  it('maps gemini → google, other OpenAI-compatible types → openai-compat, the rest by the same id', async () => {
    const byName = Object.fromEntries((await list()).map((p) => [p.name, p.type]));
    expect(byName).toEqual({
      'alpha-openai': 'openai',
      'bedrock-native': 'bedrock',
      gw: 'openai-compat',
      'mid-mistral': 'openai-compat',
      'zed-gemini': 'google',
    });
    const res = await s.request(BASE, {
      method: 'POST',
      json: { type: 'google', name: 'made-google', base_url: 'https://generativelanguage.googleapis.com' },
    });
    expect(res.status).toBe(201);
    expect(res.body.type).toBe('google');
    expect((await s.request('/api/v1/providers/made-google')).body.type).toBe('gemini');
  });

  it('answers 404 for a provider of a type it cannot express (GET, PATCH, DELETE), leaving it intact', async () => {
    for (const name of ['cohere-native', 'eleven']) {
      expect((await s.request(`${BASE}/${name}`)).status).toBe(404);
      expect((await s.request(`${BASE}/${name}`, { method: 'PATCH', json: { enabled: true } })).status).toBe(404);
      expect((await s.request(`${BASE}/${name}`, { method: 'DELETE' })).status).toBe(404);
      expect((await s.request(`/api/v1/providers/${name}`)).status).toBe(200);
    }
  });
});

describe('Coder: PATCH', () => {
  it('answers 400 "At least one field must be provided." for an empty body', async () => {
    await create({ type: 'openai', name: 'p-empty', enabled: true, base_url: 'https://api.openai.com/v1' });
    for (const json of [{}, { unknown_field: 1 }]) {
      const res = await patch('p-empty', json);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('At least one field must be provided.');
    }
  });

  it('changes display_name ("" clears it back to the name), enabled and base_url; validates base_url; bumps updated_at', async () => {
    const p = await create({
      type: 'openai',
      name: 'p-fields',
      display_name: 'Shown',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
    });
    await new Promise((r) => setTimeout(r, 5));
    const res = await patch('p-fields', { enabled: false, base_url: 'https://proxy.example/v1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      display_name: 'Shown',
      enabled: false,
      base_url: 'https://proxy.example/v1',
      created_at: p.created_at,
    });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(p.updated_at));
    expect((await patch('p-fields', { display_name: '' })).body.display_name).toBe('p-fields');
    const bad = await patch('p-fields', { base_url: 'not-a-url' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(INVALID);
    expect(fields(bad.body)).toEqual(['base_url']);
  });

  it('api_keys is the complete list: {id} keeps, {api_key} inserts, unlisted are deleted, [] deletes all', async () => {
    const p = await create({
      type: 'anthropic',
      name: 'p-keys',
      enabled: true,
      base_url: 'https://api.anthropic.com',
      api_keys: ['sk-ant-keep-000000001', 'sk-ant-drop-000000002'],
    });
    const keep = p.api_keys.find((k: { masked: string }) => k.masked === 'sk-a...0001');
    const res = await patch('p-keys', { api_keys: [{ id: keep.id }, { api_key: 'sk-ant-new-0000000003' }] });
    expect(res.status).toBe(200);
    expect(res.body.api_keys).toHaveLength(2);
    expect(res.body.api_keys[0]).toEqual(keep);
    expect(res.body.api_keys[1].masked).toBe('sk-a...0003');
    expect(res.text).not.toContain('sk-ant-new-0000000003');
    const cleared = await patch('p-keys', { api_keys: [] });
    expect(cleared.status).toBe(200);
    expect(cleared.body.api_keys).toEqual([]);
  });

  it('orders keys by creation: created_at, and keys created together in the order sent', async () => {
    const p = await create({
      type: 'openai',
      name: 'p-order',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
      api_keys: ['key-one-1111111111', 'key-two-2222222222', 'key-three-333333333'],
    });
    const ids = p.api_keys.map((k: { id: string }) => k.id);
    expect(p.api_keys.map((k: { masked: string }) => k.masked)).toEqual(['ke...11', 'ke...22', 'ke...33']);
    await new Promise((r) => setTimeout(r, 5));
    const later = await patch('p-order', { api_keys: [{ api_key: 'key-later-000000000' }, ...ids.map((id: string) => ({ id }))] });
    expect(later.body.api_keys.map((k: { id: string }) => k.id).slice(0, 3)).toEqual(ids);
    expect(later.body.api_keys[3].masked).toBe('ke...00');
  });

  it('rejects bad key mutations with the spec messages and changes nothing (one transaction)', async () => {
    const p = await create({
      type: 'openai',
      name: 'p-atomic',
      display_name: 'Before',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
      api_keys: ['sk-original-key-0001'],
    });
    const keyId = p.api_keys[0].id;

    const both = await patch('p-atomic', { display_name: 'After', api_keys: [{ id: keyId, api_key: 'sk-x-0000000000' }] });
    expect(both.status).toBe(400);
    expect(both.body.validations).toEqual([{ field: 'api_keys[0]', detail: 'exactly one of id or api_key must be set' }]);

    const neither = await patch('p-atomic', { api_keys: [{}] });
    expect(neither.status).toBe(400);
    expect(neither.body.validations[0]).toEqual({ field: 'api_keys[0]', detail: 'exactly one of id or api_key must be set' });

    const twice = await patch('p-atomic', { api_keys: [{ id: keyId }, { id: keyId }] });
    expect(twice.status).toBe(400);
    expect(fields(twice.body)).toEqual(['api_keys[1].id']);

    const blank = await patch('p-atomic', { api_keys: [{ api_key: ' padded-key ' }] });
    expect(blank.status).toBe(400);
    expect(fields(blank.body)[0]).toMatch(/^api_keys\[0\]/);

    const unknown = await patch('p-atomic', {
      display_name: 'After',
      enabled: false,
      api_keys: [{ id: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('api_keys references an unknown id for this provider');

    const other = await create({
      type: 'openai',
      name: 'p-other',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
      api_keys: ['sk-someone-else-0001'],
    });
    const foreign = await patch('p-atomic', { display_name: 'After', api_keys: [{ id: other.api_keys[0].id }] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toBe('api_keys references an unknown id for this provider');

    const now = (await coder(`${BASE}/p-atomic`)).body;
    expect(now).toEqual(p);
  });

  it('settings: a bedrock block replaces the stored one keeping omitted secrets, null clears; secrets never returned', async () => {
    const p = await create({
      type: 'anthropic',
      name: 'p-bedrock',
      enabled: true,
      base_url: 'https://api.anthropic.com',
      settings: {
        _type: 'bedrock',
        _version: 1,
        region: 'us-east-1',
        model: 'anthropic.claude-x',
        access_key: 'AKIAEXAMPLEKEY000001',
        access_key_secret: 'verysecretvalue/abcdef',
      },
    });
    expect(p.settings).toEqual({ _type: 'bedrock', _version: 1, region: 'us-east-1', model: 'anthropic.claude-x' });
    const replaced = await patch('p-bedrock', { settings: { _type: 'bedrock', _version: 1, region: 'eu-west-1' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.settings).toEqual({ _type: 'bedrock', _version: 1, region: 'eu-west-1' });
    expect(replaced.text).not.toContain('AKIAEXAMPLEKEY000001');
    expect(replaced.text).not.toContain('verysecretvalue');
    const native = (await t.request('/api/v1/providers/p-bedrock')).body;
    // The native view shows a kept secret only as a marker, never its value.
    expect(native.settings.region).toBe('eu-west-1');
    expect(native.settings.model).toBeUndefined();
    expect(native.settings.access_key ?? native.settings.has_access_key).toBeTruthy();
    expect(native.settings.access_key_secret ?? native.settings.has_access_key_secret).toBeTruthy();
    expect(JSON.stringify(native)).not.toContain('verysecretvalue');

    const cleared = await patch('p-bedrock', { settings: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.settings).toBeNull();

    const wrongType = await patch('p-empty', { settings: { _type: 'bedrock', _version: 1, region: 'us-east-1' } });
    expect(wrongType.status).toBe(400);
  });
});

describe('Coder: DELETE', () => {
  it('answers 204 with no body, then 404 for the same id or name', async () => {
    const p = await create({ type: 'vercel', name: 'd-vercel', enabled: true, base_url: 'https://ai-gateway.vercel.sh/v1' });
    const res = await coder(`${BASE}/${p.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await coder(`${BASE}/${p.id}`, { method: 'DELETE' })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await coder(`${BASE}/d-vercel`)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await t.request('/api/v1/providers/d-vercel')).status).toBe(404);
    await create({ type: 'azure', name: 'd-azure', enabled: true, base_url: 'https://x.openai.azure.com' });
    expect((await coder(`${BASE}/d-azure`, { method: 'DELETE' })).status).toBe(204);
  });
});
