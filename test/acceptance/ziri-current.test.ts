/**
 * Acceptance: the ZIRI surface as ZIRI's current UI uses it (packages/ui/composables/useProviders.ts, pages/providers.vue,
 * composables/useAIPolicyChatModal.ts) and as its server answers (packages/proxy/src/routes/providers.ts). Each case
 * sends what the UI sends and checks what the UI reads; notes in docs/peers/ziri.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const NOTHING = { error: 'Nothing to update', code: 'NOTHING_TO_UPDATE' };
const UNKNOWN = { error: 'Provider not found', code: 'PROVIDER_NOT_FOUND' };
const BAD_KEY = { error: 'Invalid API key format', code: 'INVALID_API_KEY' };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

/** useProviders.addProvider: `{name: type lowercased, apiKey, metadata: {displayName}}`. */
async function addProvider(name: string, apiKey: string, metadata: Record<string, unknown> = { displayName: name }) {
  const res = await t.request('/api/providers', { method: 'POST', json: { name, apiKey, metadata } });
  expect(res.status, res.text).toBe(200);
  return res.body.provider;
}

/** useProviders.updateProvider: PUT with Content-Type and Authorization, the body built only from non-blank fields. */
function updateProvider(name: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request(`/api/providers/${name}`, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** useProviders.listProviders as the AI-policy chat modal loads it: `data.providers`. */
async function listProviders() {
  const res = await t.request('/api/providers');
  expect(res.status).toBe(200);
  return res.body.providers as Array<{ name: string; displayName: string; hasCredentials: boolean; models?: string[] }>;
}

/** useAIPolicyChatModal.availableModels: providers with credentials and models, each model as `<name>:<id>`. */
function availableModels(providers: Awaited<ReturnType<typeof listProviders>>): string[] {
  return providers.flatMap((p) => (!p.hasCredentials || !p.models?.length ? [] : p.models.map((id) => `${p.name}:${id}`)));
}

async function nativeKeys(name: string): Promise<Array<{ id: string; masked: string }>> {
  return (await t.request(`/api/v1/providers/${name}`)).body.api_keys;
}

describe('ZIRI current: PUT /api/providers/:name (the edit dialog)', () => {
  beforeAll(async () => {
    await addProvider('openai', 'sk-ziri-original-000000000001', { displayName: 'OpenAI' });
  });

  it('edits the display name: {"displayName"} → 200 {provider} with the new name, the key untouched', async () => {
    const before = await nativeKeys('openai');
    const res = await updateProvider('openai', { displayName: 'Work OpenAI' });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual(['provider']);
    expect(res.body.provider).toMatchObject({ name: 'openai', displayName: 'Work OpenAI', hasCredentials: true });
    expect(Array.isArray(res.body.provider.models)).toBe(true);
    expect((await t.request('/api/providers/openai')).body.provider.displayName).toBe('Work OpenAI');
    expect(await nativeKeys('openai')).toEqual(before);
  });

  it('stores the display name trimmed, as ZIRI does', async () => {
    const res = await updateProvider('openai', { displayName: '  Padded OpenAI  ' });
    expect(res.status).toBe(200);
    expect(res.body.provider.displayName).toBe('Padded OpenAI');
  });

  it('rotates the key: {"apiKey"} replaces the stored key (still one), never echoes it', async () => {
    const [before] = await nativeKeys('openai');
    const res = await updateProvider('openai', { apiKey: 'sk-ziri-rotated-000000000002' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.provider.hasCredentials).toBe(true);
    expect(res.text).not.toContain('sk-ziri-rotated-000000000002');
    const after = await nativeKeys('openai');
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before?.id);
    expect(after[0]?.masked).not.toBe(before?.masked);
    expect(after[0]?.masked.endsWith('0002')).toBe(true);
  });

  it('takes both at once: {"displayName", "apiKey"}', async () => {
    const res = await updateProvider('openai', { displayName: 'Both', apiKey: 'sk-ziri-both-000000000003' });
    expect(res.status).toBe(200);
    expect(res.body.provider.displayName).toBe('Both');
    expect((await nativeKeys('openai'))[0]?.masked.endsWith('0003')).toBe(true);
  });

  it('answers 400 {"error": "Nothing to update"} (JSON the UI can read) for {} and for blank fields', async () => {
    for (const body of [{}, { displayName: '   ' }, { apiKey: '' }, { displayName: '', apiKey: '' }, { apiKey: null }]) {
      const res = await updateProvider('openai', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.body).toEqual(NOTHING);
    }
    // ZIRI checks the body before it looks the provider up.
    expect((await updateProvider('nobody', {})).body).toEqual(NOTHING);
  });

  it('answers an unknown name as ZIRI does: 400 {"error": "Provider not found"}', async () => {
    const res = await updateProvider('nobody', { displayName: 'X' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(UNKNOWN);
  });

  it('looks the name up lowercased, as ZIRI does', async () => {
    const res = await updateProvider('OpenAI', { displayName: 'Upper' });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({ name: 'openai', displayName: 'Upper' });
  });

  it('checks a new key with the create rules and then changes nothing (400 INVALID_API_KEY)', async () => {
    const keys = await nativeKeys('openai');
    const res = await updateProvider('openai', { displayName: 'Not applied', apiKey: 'not-an-openai-key' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(BAD_KEY);
    expect((await t.request('/api/providers/openai')).body.provider.displayName).toBe('Upper');
    expect(await nativeKeys('openai')).toEqual(keys);
  });

  it('treats a whitespace-only key as "keep the key" (ZIRI: passes the empty check, changes nothing)', async () => {
    const keys = await nativeKeys('openai');
    const res = await updateProvider('openai', { apiKey: '   ' });
    expect(res.status).toBe(200);
    expect(await nativeKeys('openai')).toEqual(keys);
  });

  it('refuses fields of the wrong type with 400 naming the field, never 500', async () => {
    for (const [body, field] of [
      [{ displayName: 5 }, 'displayName'],
      [{ apiKey: { value: 'sk-x' } }, 'apiKey'],
      [{ displayName: 'x'.repeat(201) }, 'displayName'],
    ] as const) {
      const res = await updateProvider('openai', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.error).toContain(field);
    }
  });

  it('honours If-Match like the other ZIRI writes: a stale revision → 412, the current one → 200', async () => {
    const native = await t.request('/api/v1/providers/openai');
    const current = native.headers.get('etag') ?? `"${native.body.revision}"`;
    const stale = `"${native.body.revision - 1}"`;
    const refused = await updateProvider('openai', { displayName: 'Stale' }, { 'if-match': stale });
    expect(refused.status).toBe(412);
    expect(refused.body.code).toBe('PRECONDITION_FAILED');
    expect((await t.request('/api/providers/openai')).body.provider.displayName).toBe('Upper');
    const ok = await updateProvider('openai', { displayName: 'Fresh' }, { 'if-match': current });
    expect(ok.status).toBe(200);
    expect(ok.body.provider.displayName).toBe('Fresh');
    const malformed = await updateProvider('openai', { displayName: 'X' }, { 'if-match': 'W/"x"' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_IF_MATCH');
  });
});

describe('ZIRI current: every provider carries models: string[]', () => {
  let upstream: FakeProvider;
  const KEY = 'sk-ziri-models-000000000001';
  beforeAll(async () => {
    upstream = await startFakeProvider('openai', { keys: [KEY], models: ['gpt-4o', 'gpt-4o-mini', 'o3-mini'] });
  });
  afterAll(async () => upstream.close());

  it('a provider added through the UI is in the AI-policy model picker at once (models before any fetch)', async () => {
    const provider = await addProvider('anthropic', 'sk-ant-ziri-picker-0001', { displayName: 'Anthropic' });
    expect(Array.isArray(provider.models)).toBe(true);
    expect(provider.models.length).toBeGreaterThan(0);
    for (const id of provider.models) expect(typeof id).toBe('string');
    const picker = availableModels(await listProviders());
    expect(picker).toContain(`anthropic:${provider.models[0]}`);
  });

  it('sends models on list, get, create and update, [] when nothing is known for the type (never omitted)', async () => {
    const custom = await addProvider('my-gateway', 'gw-key-0123456789', { displayName: 'Gateway', baseUrl: 'https://gw.example.com/v1' });
    expect(custom.models).toEqual([]);
    expect((await t.request('/api/providers/my-gateway')).body.provider.models).toEqual([]);
    expect((await updateProvider('my-gateway', { displayName: 'GW' })).body.provider.models).toEqual([]);
    const keyless = await t.request('/api/v1/providers', { method: 'POST', json: { name: 'local-vllm', type: 'vllm' } });
    expect(keyless.status).toBe(201);
    for (const p of await listProviders()) expect(Array.isArray(p.models), p.name).toBe(true);
  });

  it('shows the models a listing found once one has run, instead of the starting list', async () => {
    await addProvider('listed', KEY, { displayName: 'Listed', baseUrl: upstream.baseUrl });
    expect((await t.request('/api/providers/listed/test', { method: 'POST' })).status).toBe(200);
    const provider = (await t.request('/api/providers/listed')).body.provider;
    expect([...provider.models].sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'o3-mini']);
    expect(availableModels(await listProviders())).toEqual(expect.arrayContaining(['listed:gpt-4o', 'listed:o3-mini']));
  });
});
