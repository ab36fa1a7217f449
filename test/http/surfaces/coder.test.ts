import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/desk.js';
import { openProviderSecrets } from '../../../src-main/core/service/provider-writer.js';

const BASE = '/api/v2/ai/providers';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NOT_FOUND = { message: 'Resource not found or you do not have access to this resource' };
const INVALID = 'Invalid AI provider request.';
const BAD_ID_OR_NAME = { message: 'Invalid provider id or name: must be a UUID or match ^[a-z0-9]+(-[a-z0-9]+)*$' };
const SIGNED_OUT = 'You are signed out or your session has expired. Please sign in again to continue.';

let t: TestServer;

/** Requests as Coder's clients send them: the token in Coder-Session-Token. */
function coder(path: string, init: RequestInit & { json?: unknown } = {}) {
  return t.request(path, {
    ...init,
    noAuth: true,
    headers: { 'coder-session-token': t.token, accept: 'application/json', ...(init.headers as object) },
  });
}

function create(json: Record<string, unknown>) {
  return coder(BASE, { method: 'POST', json: { enabled: true, base_url: 'https://api.example.com/v1', ...json } });
}

function patch(idOrName: string, json: unknown) {
  return coder(`${BASE}/${idOrName}`, { method: 'PATCH', json });
}

function native(path: string, init: RequestInit & { json?: unknown } = {}) {
  return t.request(`/api/v1/providers${path}`, init);
}

describe('Coder surface: auth and the seed examples', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('answers 401 in Coder shape without a token or with a wrong one', async () => {
    const missing = await t.request(BASE, { noAuth: true });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ message: SIGNED_OUT, detail: expect.any(String) });
    const wrong = await t.request(BASE, { noAuth: true, headers: { 'coder-session-token': 'not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe(SIGNED_OUT);
    expect((await t.request(`${BASE}/x`, { method: 'DELETE', noAuth: true })).status).toBe(401);
  });

  it('lists nothing at first (seed: GET /api/v2/ai/providers → bare array)', async () => {
    const res = await coder(BASE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('rejects the seed create example verbatim: its settings {} has no _type, which current Coder cannot decode', async () => {
    const seed = { api_keys: ['string'], base_url: 'string', display_name: 'string', enabled: true, name: 'string', type: 'openai' };
    const res = await coder(BASE, { method: 'POST', json: { ...seed, settings: {} } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Request body must be valid JSON.', detail: 'settings missing _type discriminator' });
    // Without settings, "string" is no base URL.
    const bare = await coder(BASE, { method: 'POST', json: seed });
    expect(bare.status).toBe(400);
    expect(bare.body).toEqual({
      message: INVALID,
      validations: [{ field: 'base_url', detail: 'base_url must be an absolute URL (e.g. https://api.example.com/)' }],
    });
  });

  let created: any;
  it('creates the seed create example adapted (201, every field of codersdk.AIProvider)', async () => {
    const res = await coder(BASE, {
      method: 'POST',
      json: {
        api_keys: ['sk-ant-api03-abcdefgh'],
        base_url: 'https://api.openai.com/v1',
        display_name: 'string',
        enabled: true,
        name: 'string',
        type: 'openai',
      },
    });
    expect(res.status).toBe(201);
    created = res.body;
    expect(Object.keys(created).sort()).toEqual([
      'api_keys',
      'base_url',
      'created_at',
      'display_name',
      'enabled',
      'icon',
      'id',
      'name',
      'settings',
      'type',
      'updated_at',
    ]);
    expect(created).toMatchObject({
      id: expect.stringMatching(UUID),
      type: 'openai',
      name: 'string',
      display_name: 'string',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
      settings: null,
      created_at: expect.stringMatching(RFC3339),
      updated_at: expect.stringMatching(RFC3339),
    });
    expect(created.api_keys).toEqual([
      { id: expect.stringMatching(UUID), masked: 'sk-a...efgh', created_at: expect.stringMatching(RFC3339) },
    ]);
    expect(res.text).not.toContain('abcdefgh');
  });

  it('gets it by id and by name (seed: GET /api/v2/ai/providers/{idOrName})', async () => {
    const byId = await coder(`${BASE}/${created.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(created);
    expect((await coder(`${BASE}/string`)).body).toEqual(created);
    expect((await coder(`${BASE}/${created.id.toUpperCase()}`)).body).toEqual(created);
    expect((await coder(BASE)).body).toEqual([created]);
  });

  it('rejects the seed patch example verbatim (settings {} cannot decode; without it, an entry with both id and api_key)', async () => {
    const seed = {
      api_keys: [{ api_key: 'string', id: '497f6eca-6276-4993-bfeb-53cbbbba6f08' }],
      base_url: 'string',
      display_name: 'string',
      enabled: true,
    };
    const verbatim = await patch('string', { ...seed, settings: {} });
    expect(verbatim.status).toBe(400);
    expect(verbatim.body).toEqual({ message: 'Request body must be valid JSON.', detail: 'settings missing _type discriminator' });
    const res = await patch('string', seed);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(INVALID);
    expect(res.body.validations).toEqual([
      { field: 'base_url', detail: 'base_url must be an absolute URL (e.g. https://api.example.com/)' },
      { field: 'api_keys[0]', detail: 'exactly one of id or api_key must be set' },
    ]);
  });

  it('applies the seed patch example adapted (200)', async () => {
    const keyId = created.api_keys[0].id;
    const res = await patch(created.id, {
      api_keys: [{ id: keyId }, { api_key: 'sk-proj-new-key-0123456789' }],
      base_url: 'https://proxy.example.com/v1',
      display_name: 'Renamed',
      enabled: false,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: 'string',
      display_name: 'Renamed',
      enabled: false,
      base_url: 'https://proxy.example.com/v1',
      settings: null,
    });
    expect(res.body.api_keys.map((k: any) => k.masked).sort()).toEqual(['sk-a...efgh', 'sk-p...6789']);
    expect(res.body.api_keys.map((k: any) => k.id)).toContain(keyId);
    expect(res.body.updated_at >= created.updated_at).toBe(true);
  });

  it('deletes (seed: 204, no body), then answers 404', async () => {
    const res = await coder(`${BASE}/${created.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const path of [`${BASE}/${created.id}`, `${BASE}/string`]) {
      expect((await coder(path, { method: 'DELETE' })).body).toEqual(NOT_FOUND);
      expect((await coder(path)).status).toBe(404);
    }
    expect((await native('/string')).status).toBe(404);
  });
});

describe('Coder surface: create validation', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  async function expectValidation(json: Record<string, unknown>, validations: Array<{ field: string; detail: string }>) {
    const res = await coder(BASE, { method: 'POST', json });
    expect(res.status, JSON.stringify(json)).toBe(400);
    expect(res.body).toEqual({ message: INVALID, validations });
  }

  it('requires type, name and base_url with codersdk field paths and details', async () => {
    await expectValidation({}, [
      { field: 'type', detail: 'type is required' },
      { field: 'name', detail: 'name is required' },
      { field: 'base_url', detail: 'base_url is required' },
    ]);
    await expectValidation({ type: 'cohere', name: 'Bad_Name', base_url: 'ftp://files.example.com' }, [
      { field: 'type', detail: 'unsupported provider type "cohere"' },
      { field: 'name', detail: 'name must match ^[a-z0-9]+(-[a-z0-9]+)*$ (lowercase alphanumeric, hyphens between words)' },
      { field: 'base_url', detail: 'base_url scheme must be http or https, got "ftp"' },
    ]);
    await expectValidation({ type: 'gemini', name: 'a'.repeat(65), base_url: '/v1' }, [
      { field: 'type', detail: 'unsupported provider type "gemini"' },
      { field: 'name', detail: 'name must be at most 64 characters' },
      { field: 'base_url', detail: 'base_url must be an absolute URL (e.g. https://api.example.com/)' },
    ]);
  });

  it('rejects empty keys and keys with surrounding whitespace instead of trimming them', async () => {
    await expectValidation(
      { type: 'openai', name: 'keys', base_url: 'https://api.openai.com/v1', api_keys: ['sk-ok-123', '', ' sk-padded', 'sk-tab\t'] },
      [
        { field: 'api_keys[1]', detail: 'api_keys entries must not be empty' },
        { field: 'api_keys[2]', detail: 'api_keys entries must not contain leading or trailing whitespace' },
        { field: 'api_keys[3]', detail: 'api_keys entries must not contain leading or trailing whitespace' },
      ],
    );
    expect((await native('/keys')).status).toBe(404);
  });

  it('enforces the Bedrock rules: settings needed, no api_keys, settings only for anthropic or bedrock', async () => {
    await expectValidation({ type: 'bedrock', name: 'br', base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com' }, [
      { field: 'settings.region', detail: expect.stringMatching(/region, role_arn, access_key or access_key_secret/) as unknown as string },
    ]);
    await expectValidation(
      {
        type: 'bedrock',
        name: 'br',
        base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com',
        settings: { _type: 'bedrock', _version: 1, model: 'm' },
        api_keys: ['ABSKkey1234'],
      },
      [
        { field: 'settings.region', detail: expect.any(String) as unknown as string },
        { field: 'api_keys', detail: 'type=bedrock does not accept api_keys' },
      ],
    );
    await expectValidation(
      {
        type: 'openai',
        name: 'oa',
        base_url: 'https://api.openai.com/v1',
        settings: { _type: 'bedrock', _version: 1, region: 'us-east-1' },
      },
      [{ field: 'settings', detail: 'bedrock settings are only valid for type=anthropic or type=bedrock' }],
    );
    const anthropicKeys = await create({
      type: 'anthropic',
      name: 'claude-br',
      settings: { _type: 'bedrock', _version: 1, region: 'us-east-1' },
      api_keys: ['sk-ant-1234567890'],
    });
    expect(anthropicKeys.status).toBe(400);
    expect(anthropicKeys.body).toEqual({ message: 'Bedrock providers do not accept api_keys; configure access credentials via settings.' });
  });

  it('answers a wrong JSON type the way Go decoding does', async () => {
    const res = await create({ type: 'openai', name: 5 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: 'Request body must be valid JSON.',
      detail: 'json: cannot unmarshal number into Go struct field CreateAIProviderRequest.name of type string',
    });
    for (const json of [
      { type: 'openai', name: 'x', enabled: 'yes' },
      { type: 'openai', name: 'x', api_keys: 'sk-1' },
      { type: 'openai', name: 'x', api_keys: [1] },
      { type: ['openai'], name: 'x' },
    ]) {
      const r = await create(json);
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.message).toBe('Request body must be valid JSON.');
      expect(r.body.detail).toMatch(/^json: cannot unmarshal/);
    }
    const array = await coder(BASE, { method: 'POST', json: [] });
    expect(array.body).toEqual({
      message: 'Request body must be valid JSON.',
      detail: 'json: cannot unmarshal array into Go value of type codersdk.CreateAIProviderRequest',
    });
  });

  it('rejects settings that are not a known, versioned block', async () => {
    const cases: Array<[unknown, string]> = [
      [{ region: 'us-east-1' }, 'settings missing _type discriminator'],
      [{ _type: 'vertex', _version: 1 }, 'unknown settings type "vertex"'],
      [{ _type: 'bedrock', _version: 2, region: 'us-east-1' }, 'unsupported "bedrock" settings version 2 (expected 1)'],
      ['bedrock', 'decode settings header: json: cannot unmarshal string into Go value of type codersdk.aiProviderSettingsHeader'],
      [
        { _type: 'bedrock', _version: 1, region: 5 },
        'decode bedrock settings: json: cannot unmarshal number into Go struct field AIProviderBedrockSettings.region of type string',
      ],
    ];
    for (const [settings, detail] of cases) {
      const res = await create({ type: 'bedrock', name: 'br', base_url: 'https://bedrock.example.com', settings });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'Request body must be valid JSON.', detail });
    }
  });

  it('answers malformed JSON in Coder shape', async () => {
    const res = await coder(BASE, { method: 'POST', body: '{"type": "openai",', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Request body must be valid JSON.', detail: expect.any(String) });
    const empty = await coder(BASE, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(empty.body).toEqual({ message: 'Request body must be valid JSON.', detail: 'EOF' });
    const huge = await create({ type: 'openai', name: 'huge', api_keys: ['k'.repeat(2_000_000)] });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ message: expect.any(String) });
  });

  it('answers 409 for a name already used by any provider of the store', async () => {
    expect((await create({ type: 'openai', name: 'dup' })).status).toBe(201);
    const again = await create({ type: 'anthropic', name: 'dup' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ message: 'AI provider "dup" already exists.' });
    await native('', { method: 'POST', json: { name: 'cohere-native', type: 'cohere' } });
    expect((await create({ type: 'openai', name: 'cohere-native' })).body).toEqual({
      message: 'AI provider "cohere-native" already exists.',
    });
  });

  it('creates with enabled false when enabled is omitted (Go zero value) and display_name falling back to name', async () => {
    const res = await coder(BASE, {
      method: 'POST',
      json: { type: 'openrouter', name: 'quiet', base_url: 'https://openrouter.ai/api/v1' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ enabled: false, display_name: 'quiet', api_keys: [] });
    expect((await native('/quiet')).body).toMatchObject({ enabled: false, display_name: '' });
  });
});

describe('Coder surface: masking, types and listing', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('masks keys by length: 4/2/1/0 characters at each end, "..." when nothing shows', async () => {
    const keys = ['sk-ant-api03-abcdefgh', 'abcdefghijkl', 'abcdef', 'abcd', 'a'.repeat(19), 'b'.repeat(20)];
    const res = await create({ type: 'anthropic', name: 'masking', base_url: 'https://api.anthropic.com', api_keys: keys });
    expect(res.status).toBe(201);
    // Keys created together come back in the order sent.
    expect(res.body.api_keys.map((k: any) => k.masked)).toEqual(['sk-a...efgh', 'ab...kl', 'a...f', '...', 'aa...aa', 'bbbb...bbbb']);
    for (const key of keys.slice(0, 3)) expect(res.text).not.toContain(key);
  });

  it('maps google ⇄ gemini and shows other OpenAI-compatible types as openai-compat', async () => {
    const google = await create({ type: 'google', name: 'gem', base_url: 'https://generativelanguage.googleapis.com' });
    expect(google.body.type).toBe('google');
    expect((await native('/gem')).body.type).toBe('gemini');
    await native('', { method: 'POST', json: { name: 'fast-groq', type: 'groq' } });
    await native('', { method: 'POST', json: { name: 'gemini-native', type: 'gemini' } });
    expect((await coder(`${BASE}/fast-groq`)).body).toMatchObject({ type: 'openai-compat', base_url: 'https://api.groq.com/openai/v1' });
    expect((await coder(`${BASE}/gemini-native`)).body.type).toBe('google');
    const compat = await create({ type: 'openai-compat', name: 'local-llm', base_url: 'http://127.0.0.1:8080/v1' });
    expect((await native('/local-llm')).body.type).toBe('openai-compat');
    expect(compat.body.type).toBe('openai-compat');
  });

  it('leaves out types Coder cannot express and answers 404 for them', async () => {
    const cohere = (await native('', { method: 'POST', json: { name: 'cohere-x', type: 'cohere' } })).body;
    await native('', { method: 'POST', json: { name: 'voices', type: 'elevenlabs' } });
    const names = (await coder(BASE)).body.map((p: any) => p.name);
    expect(names).not.toContain('cohere-x');
    expect(names).not.toContain('voices');
    for (const idOrName of ['cohere-x', cohere.id]) {
      expect((await coder(`${BASE}/${idOrName}`)).body).toEqual(NOT_FOUND);
      expect((await patch(idOrName, { enabled: false })).body).toEqual(NOT_FOUND);
      expect((await coder(`${BASE}/${idOrName}`, { method: 'DELETE' })).status).toBe(404);
    }
    expect((await native('/cohere-x')).status).toBe(200);
  });

  it('lists every visible provider sorted by name, disabled ones included', async () => {
    await create({ type: 'openai', name: 'aaa-disabled', enabled: false });
    const res = await coder(BASE);
    const names = res.body.map((p: any) => p.name);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe('aaa-disabled');
    expect(res.body[0].enabled).toBe(false);
    expect(names).toEqual(expect.arrayContaining(['gem', 'fast-groq', 'gemini-native', 'local-llm', 'masking']));
  });

  it('answers 400 for an idOrName that is neither a UUID nor a valid name, 404 for an unknown one', async () => {
    for (const bad of ['Bad_Name', 'UPPER', 'a--b', '-a', 'ünï', '%20x']) {
      for (const method of ['GET', 'DELETE'] as const) {
        const res = await coder(`${BASE}/${bad}`, { method });
        expect(res.status, `${method} ${bad}`).toBe(400);
        expect(res.body).toEqual(BAD_ID_OR_NAME);
      }
      expect((await patch(bad, { enabled: true })).body).toEqual(BAD_ID_OR_NAME);
    }
    expect((await coder(`${BASE}/no-such-provider`)).body).toEqual(NOT_FOUND);
    expect((await coder(`${BASE}/497f6eca-6276-4993-bfeb-53cbbbba6f08`)).body).toEqual(NOT_FOUND);
  });
});

describe('Coder surface: PATCH semantics', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  async function fresh(name: string, keys: string[] = ['sk-key-one-000000000001', 'sk-key-two-000000000002']) {
    const res = await create({ type: 'openai', name, display_name: 'Display', api_keys: keys });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('requires at least one field', async () => {
    await fresh('empty');
    for (const body of [{}, { name: 'renamed' }, { display_name: null, enabled: null }, null]) {
      const res = await patch('empty', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual({ message: 'At least one field must be provided.' });
    }
    const noBody = await coder(`${BASE}/empty`, { method: 'PATCH' });
    expect(noBody.body).toEqual({ message: 'At least one field must be provided.' });
    expect((await coder(`${BASE}/empty`, { method: 'PATCH', json: [] })).body.message).toBe('Request body must be valid JSON.');
  });

  it('clears display_name with "" (falls back to name) and validates base_url', async () => {
    await fresh('dn');
    const res = await patch('dn', { display_name: '' });
    expect(res.status).toBe(200);
    expect(res.body.display_name).toBe('dn');
    expect((await native('/dn')).body.display_name).toBe('');
    const bad = await patch('dn', { base_url: '' });
    expect(bad.body).toEqual({ message: INVALID, validations: [{ field: 'base_url', detail: 'base_url is required' }] });
  });

  it('makes api_keys the complete list: {id} keeps, {api_key} inserts, the rest are deleted', async () => {
    const p = await fresh('rotate');
    const one = p.api_keys.find((k: any) => k.masked === 'sk-k...0001');
    const two = p.api_keys.find((k: any) => k.masked === 'sk-k...0002');
    const res = await patch('rotate', { api_keys: [{ api_key: 'sk-key-three-00000000003' }, { id: two.id }] });
    expect(res.status).toBe(200);
    const ids = res.body.api_keys.map((k: any) => k.id);
    expect(ids).toContain(two.id);
    expect(ids).not.toContain(one.id);
    expect(res.body.api_keys.map((k: any) => k.masked).sort()).toEqual(['sk-k...0002', 'sk-k...0003']);
    const nativeKeys = (await native('/rotate')).body.api_keys;
    expect(nativeKeys).toHaveLength(2);
    const cleared = await patch('rotate', { api_keys: [] });
    expect(cleared.body.api_keys).toEqual([]);
    expect((await native('/rotate')).body.api_keys).toEqual([]);
  });

  it('orders keys by creation: created_at, and keys created together in the order sent (never by id)', async () => {
    const p = await fresh('order', ['sk-c-0000000003', 'sk-a-0000000001', 'sk-b-0000000002']);
    expect(p.api_keys.map((k: any) => k.masked)).toEqual(['sk...03', 'sk...01', 'sk...02']);
    expect((await coder(`${BASE}/order`)).body.api_keys).toEqual(p.api_keys);
  });

  it('rejects an unknown id, a duplicate id, or an entry with neither or both fields, changing nothing', async () => {
    const p = await fresh('strict');
    const other = await fresh('other');
    const before = (await native('/strict')).body;
    const unknown = await patch('strict', { display_name: 'Changed', api_keys: [{ id: p.api_keys[0].id }, { id: other.api_keys[0].id }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      message: 'api_keys references an unknown id for this provider',
      detail: `api_keys references an unknown id for this provider: ${other.api_keys[0].id}`,
    });
    const after = (await native('/strict')).body;
    expect(after.display_name).toBe('Display');
    expect(after.api_keys.map((k: any) => k.id)).toEqual(before.api_keys.map((k: any) => k.id));
    expect(after.revision).toBe(before.revision);

    const dup = await patch('strict', { api_keys: [{ id: p.api_keys[0].id }, { id: p.api_keys[0].id.toUpperCase() }] });
    expect(dup.body).toEqual({
      message: INVALID,
      validations: [{ field: 'api_keys[1].id', detail: `id ${p.api_keys[0].id.toUpperCase()} already referenced at api_keys[0]` }],
    });
    const shapes = await patch('strict', {
      api_keys: [{}, { id: p.api_keys[0].id, api_key: 'sk-x' }, { api_key: '' }, { api_key: ' sk-pad' }, null],
    });
    expect(shapes.body).toEqual({
      message: INVALID,
      validations: [
        { field: 'api_keys[0]', detail: 'exactly one of id or api_key must be set' },
        { field: 'api_keys[1]', detail: 'exactly one of id or api_key must be set' },
        { field: 'api_keys[2].api_key', detail: 'api_key must not be empty' },
        { field: 'api_keys[3].api_key', detail: 'api_key must not contain leading or trailing whitespace' },
        { field: 'api_keys[4]', detail: 'exactly one of id or api_key must be set' },
      ],
    });
    expect((await native('/strict')).body.revision).toBe(before.revision);
    const typed = await patch('strict', { api_keys: [{ id: 7 }] });
    expect(typed.body.message).toBe('Request body must be valid JSON.');
  });

  it('keeps a key by id even when it is not a UUID (keys imported natively)', async () => {
    await native('', {
      method: 'POST',
      json: { name: 'imported', type: 'openai', api_keys: [{ id: 'main-key', value: 'sk-main-000000000001' }] },
    });
    const res = await patch('imported', { api_keys: [{ id: 'main-key' }, { api_key: 'sk-new-0000000000002' }] });
    expect(res.status).toBe(200);
    expect(res.body.api_keys.map((k: any) => k.id)).toContain('main-key');
  });

  it('stores Bedrock settings with secrets in the vault, never returns them, keeps omitted secrets and clears with null', async () => {
    const res = await create({
      type: 'bedrock',
      name: 'aws',
      base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      settings: {
        _type: 'bedrock',
        _version: 1,
        region: 'us-east-1',
        model: 'anthropic.claude-sonnet',
        access_key: 'AKIAEXAMPLEKEY000001',
        access_key_secret: 'very/secret+value0123456789',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.settings).toEqual({ _type: 'bedrock', _version: 1, model: 'anthropic.claude-sonnet', region: 'us-east-1' });
    expect(res.text).not.toContain('AKIAEXAMPLEKEY000001');
    expect(res.text).not.toContain('very/secret');
    const secrets = () => openProviderSecrets(t.desk.vault, t.desk.providers.requireRow('aws'));
    expect(secrets()).toEqual({ access_key: 'AKIAEXAMPLEKEY000001', access_key_secret: 'very/secret+value0123456789' });
    expect(JSON.stringify((await native('/aws')).body)).not.toContain('AKIAEXAMPLEKEY000001');

    const replaced = await patch('aws', {
      settings: { _type: 'bedrock', _version: 1, region: 'eu-west-1', role_arn: 'arn:aws:iam::123456789012:role/bedrock' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.settings).toEqual({
      _type: 'bedrock',
      _version: 1,
      region: 'eu-west-1',
      role_arn: 'arn:aws:iam::123456789012:role/bedrock',
    });
    expect(secrets()).toEqual({ access_key: 'AKIAEXAMPLEKEY000001', access_key_secret: 'very/secret+value0123456789' });

    const clearOne = await patch('aws', {
      settings: { _type: 'bedrock', _version: 1, region: 'eu-west-1', access_key: '', access_key_secret: 'rotated-secret-000000001' },
    });
    expect(clearOne.status).toBe(200);
    expect(secrets()).toEqual({ access_key_secret: 'rotated-secret-000000001' });

    const keys = await patch('aws', { api_keys: [{ api_key: 'ABSK-bedrock-key-0001' }] });
    expect(keys.body).toEqual({ message: 'Bedrock providers do not accept api_keys; configure access credentials via settings.' });

    const cleared = await patch('aws', { settings: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.settings).toBeNull();
    expect(secrets()).toEqual({});
    expect((await native('/aws')).body.settings).toEqual({});
  });

  it('accepts Bedrock settings only on anthropic or bedrock providers', async () => {
    await fresh('plain-openai');
    const res = await patch('plain-openai', { settings: { _type: 'bedrock', _version: 1, region: 'us-east-1' } });
    expect(res.body).toEqual({ message: 'Bedrock settings are only valid for type=anthropic or type=bedrock.' });
    const claude = await create({ type: 'anthropic', name: 'claude-aws', base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com' });
    expect(claude.body.settings).toBeNull();
    const withSettings = await patch('claude-aws', {
      settings: { _type: 'bedrock', _version: 1, region: 'us-west-2', small_fast_model: 'haiku' },
    });
    expect(withSettings.body.settings).toEqual({ _type: 'bedrock', _version: 1, region: 'us-west-2', small_fast_model: 'haiku' });
    expect((await patch('claude-aws', { api_keys: [{ api_key: 'sk-ant-000000000001' }] })).status).toBe(400);
  });

  it('never answers 5xx or a stack trace, whatever the body or path', async () => {
    await fresh('fuzz');
    const long = 'x'.repeat(200_000);
    const bodies: unknown[] = [
      { display_name: long },
      { base_url: `https://${long}.example` },
      { api_keys: Array.from({ length: 150 }, () => ({ api_key: 'sk-1234567890' })) },
      { api_keys: [{ api_key: 'k'.repeat(70_000) }] },
      { api_keys: [{ id: 'ünï-🔑' }] },
      { settings: { _type: 'bedrock', _version: 1.5 } },
      { settings: [] },
      { settings: { _type: 'bedrock', _version: 1, region: long } },
      { enabled: 'true' },
      { display_name: { nested: true } },
      { __proto__: { enabled: true } },
      'string',
      42,
    ];
    for (const body of bodies) {
      const res = await patch('fuzz', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.body.message).toBe('string');
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    for (const body of [
      { type: 'openai', name: long, base_url: 'https://x.example' },
      { type: long },
      { type: 'openai', name: 'ok', base_url: 'https://x.example', display_name: 'ünïcødé 🔑' },
    ]) {
      const res = await coder(BASE, { method: 'POST', json: body });
      expect(res.status).toBeLessThan(500);
    }
    expect((await coder(`${BASE}/${'a'.repeat(400)}`)).status).toBe(404);
    expect((await coder(`${BASE}/%E2%80%AE`)).status).toBe(400);
  });
});

describe('Coder surface: one store', () => {
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('shows a provider created on Coder through the native API, and the other way round', async () => {
    const created = (
      await create({
        type: 'vercel',
        name: 'gateway',
        display_name: 'Gateway',
        base_url: 'https://ai-gateway.vercel.sh/v1',
        api_keys: ['vck_abcdefghijklmnop'],
      })
    ).body;
    const viaNative = await native('/gateway');
    expect(viaNative.status).toBe(200);
    expect(viaNative.body).toMatchObject({
      id: created.id,
      type: 'vercel',
      display_name: 'Gateway',
      enabled: true,
      base_url: 'https://ai-gateway.vercel.sh/v1',
    });
    expect(viaNative.body.api_keys.map((k: any) => k.id)).toEqual(created.api_keys.map((k: any) => k.id));

    const nativeCreated = (
      await native('', {
        method: 'POST',
        json: {
          name: 'work-azure',
          type: 'azure',
          base_url: 'https://work.openai.azure.com',
          api_keys: [{ value: '0123456789abcdef0123456789abcdef' }],
        },
      })
    ).body;
    const viaCoder = await coder(`${BASE}/work-azure`);
    expect(viaCoder.body).toMatchObject({
      id: nativeCreated.id,
      type: 'azure',
      base_url: 'https://work.openai.azure.com',
      display_name: 'work-azure',
    });
    expect(viaCoder.body.api_keys[0]).toEqual({
      id: nativeCreated.api_keys[0].id,
      masked: '0123...cdef',
      created_at: nativeCreated.api_keys[0].created_at,
    });

    const viaZiri = await t.request('/api/providers', { method: 'POST', json: { name: 'anthropic', apiKey: 'sk-ant-api03-abcdefgh' } });
    expect(viaZiri.status).toBe(200);
    expect((await coder(`${BASE}/anthropic`)).body).toMatchObject({ type: 'anthropic', api_keys: [{ masked: 'sk-a...efgh' }] });
    expect((await coder(`${BASE}/gateway`, { method: 'DELETE' })).status).toBe(204);
    expect((await native('/gateway')).status).toBe(404);
  });
});
