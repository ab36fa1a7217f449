import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const OPENAI_KEY = 'sk-check-0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-check-0123456789abcdef';
const ELEVEN_KEY = 'eleven-check-0123456789abcdef';

let t: TestServer;
const fakes: Record<string, FakeProvider> = {};

beforeAll(async () => {
  t = await startTestServer();
  fakes.openai = await startFakeProvider('openai', { keys: [OPENAI_KEY] });
  fakes.anthropic = await startFakeProvider('anthropic', { keys: [ANTHROPIC_KEY] });
  fakes.elevenlabs = await startFakeProvider('elevenlabs', { keys: [ELEVEN_KEY] });
  fakes.ollama = await startFakeProvider('ollama');
  const create = (json: unknown) => t.request('/api/v1/providers', { method: 'POST', json });
  await create({ name: 'oa', type: 'openai', base_url: fakes.openai.baseUrl, api_keys: [{ name: 'main', value: OPENAI_KEY }] });
  await create({
    name: 'oa-bad',
    type: 'openai',
    base_url: fakes.openai.baseUrl,
    api_keys: [{ name: 'old', value: 'sk-revoked-0123456789' }],
  });
  await create({ name: 'ant', type: 'anthropic', base_url: fakes.anthropic.baseUrl, api_keys: [{ name: 'main', value: ANTHROPIC_KEY }] });
  await create({ name: 'eleven', type: 'elevenlabs', base_url: fakes.elevenlabs.baseUrl, api_keys: [{ name: 'main', value: ELEVEN_KEY }] });
  await create({ name: 'local', type: 'ollama', base_url: fakes.ollama.baseUrl });
});

afterAll(async () => {
  await t?.close();
  for (const fake of Object.values(fakes)) await fake.close();
});

const check = (provider: string, json: Record<string, unknown>) =>
  t.request(`/api/v1/providers/${provider}/models/check`, { method: 'POST', json });

/** The one-token requests a fake received (what the provider would bill). */
const sent = (fake: FakeProvider | undefined, path: string) => (fake?.requests ?? []).filter((r) => r.method === 'POST' && r.path === path);

describe('POST /api/v1/providers/{idOrName}/models/check', () => {
  it('sends one one-token chat completion and says it was billed', async () => {
    const before = sent(fakes.openai, '/v1/chat/completions').length;
    const res = await check('oa', { model: 'gpt-4o-mini' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'gpt-4o-mini', status: 'ok', ok: true, billed: true, http_status: 200, error_class: null });
    expect(res.body.latency_ms).toEqual(expect.any(Number));
    const requests = sent(fakes.openai, '/v1/chat/completions');
    expect(requests).toHaveLength(before + 1);
    expect(JSON.parse(requests.at(-1)?.body ?? '{}')).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1 });
    // Only the chat request went out: no listing.
    expect(fakes.openai?.requests.filter((r) => r.path === '/v1/models')).toHaveLength(0);
  });

  it("answers the provider's refusal of a model it does not serve as an error, not billed", async () => {
    const res = await check('oa', { model: 'gpt-9-nope' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'error', ok: false, billed: false, http_status: 404, error_class: 'not_found' });
    expect(res.body.message).toMatch(/404/);
  });

  it('reports a rejected key as auth_failed', async () => {
    const res = await check('oa-bad', { model: 'gpt-4o' });
    expect(res.body).toMatchObject({ status: 'error', ok: false, billed: false, http_status: 401, error_class: 'auth_failed' });
    expect(res.text).not.toContain('sk-revoked-0123456789');
  });

  it("uses the provider's own one-token request (Anthropic messages, max_tokens 1)", async () => {
    const res = await check('ant', { model: 'claude-3-5-haiku-20241022' });
    expect(res.body).toMatchObject({ status: 'ok', ok: true, billed: true });
    const request = sent(fakes.anthropic, '/v1/messages').at(-1);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ model: 'claude-3-5-haiku-20241022', max_tokens: 1 });
    const missing = await check('ant', { model: 'claude-nope' });
    expect(missing.body).toMatchObject({ status: 'error', error_class: 'not_found', billed: false });
  });

  it('answers unsupported for a type without a one-token request, and sends nothing', async () => {
    const before = fakes.elevenlabs?.requests.length ?? 0;
    const res = await check('eleven', { model: 'eleven_multilingual_v2' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'unsupported', ok: false, billed: false, error_class: 'unsupported' });
    expect(res.body.message).toMatch(/nothing was sent/);
    expect(fakes.elevenlabs?.requests.length).toBe(before);
  });

  it('is not billed on a local server', async () => {
    const res = await check('local', { model: 'llama3.2:latest' });
    expect(res.body).toMatchObject({ status: 'ok', ok: true, billed: false, key_id: null });
  });

  it('validates its input and names the provider it cannot find', async () => {
    const empty = await check('oa', { model: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].path).toBe('model');
    expect((await check('nobody', { model: 'x' })).status).toBe(404);
    const key = await check('oa', { model: 'gpt-4o', key_id: 'nope' });
    expect(key.status).toBe(404);
  });
});

describe('curated models through the native API and the gateway', () => {
  it('lists only enabled models at /v1/models and refuses a disabled one with an OpenAI-style error', async () => {
    const refreshed = await t.request('/api/v1/providers/oa/models/refresh', { method: 'POST' });
    expect(refreshed.status).toBe(200);
    const patched = await t.request('/api/v1/providers/oa/models', { method: 'PATCH', json: { models: ['gpt-4o-mini'], enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body.models.find((m: { id: string }) => m.id === 'gpt-4o-mini')).toMatchObject({
      enabled: false,
      custom: false,
      gone_at: null,
    });

    const listed = await t.request('/v1/models');
    const ids = (listed.body.data as Array<{ id: string }>).map((m) => m.id).filter((id) => id.startsWith('oa/'));
    expect(ids).toContain('oa/gpt-4o');
    expect(ids).not.toContain('oa/gpt-4o-mini');

    const before = sent(fakes.openai, '/v1/chat/completions').length;
    const refused = await t.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'oa/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: { type: 'permission_error', code: 'model_disabled', message: expect.stringMatching(/oa\/gpt-4o-mini.*disabled/) },
    });
    expect(sent(fakes.openai, '/v1/chat/completions')).toHaveLength(before);

    const allowed = await t.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'oa/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 },
    });
    expect(allowed.status).toBe(200);
  });

  it('adds a custom id (201) and removes it again', async () => {
    const added = await t.request('/api/v1/providers/oa/models', {
      method: 'POST',
      json: { id: 'ft:gpt-4o-mini:acme::a1', display_name: 'Bot' },
    });
    expect(added.status).toBe(201);
    expect(added.body.models.find((m: { id: string }) => m.id === 'ft:gpt-4o-mini:acme::a1')).toMatchObject({
      custom: true,
      enabled: true,
      display_name: 'Bot',
    });
    const listed = await t.request('/api/v1/providers/oa/models');
    expect(listed.body.models.some((m: { id: string }) => m.id === 'ft:gpt-4o-mini:acme::a1')).toBe(true);
    const removed = await t.request('/api/v1/providers/oa/models/remove', {
      method: 'POST',
      json: { models: ['ft:gpt-4o-mini:acme::a1'] },
    });
    expect(removed.status).toBe(200);
    expect(removed.body.models.some((m: { id: string }) => m.id === 'ft:gpt-4o-mini:acme::a1')).toBe(false);
    const again = await t.request('/api/v1/providers/oa/models');
    expect(again.body.models.some((m: { id: string }) => m.id === 'ft:gpt-4o-mini:acme::a1')).toBe(false);
  });
});
