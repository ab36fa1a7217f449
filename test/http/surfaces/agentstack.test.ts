import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../../fakes/providers.js';
import { similarityRatio } from '../../../src-main/core/http/surfaces/agentstack/similarity.js';

let t: TestServer;
let openai: FakeProvider;
let anthropic: FakeProvider;
let ollama: FakeProvider;
let voyage: FakeProvider;
let basic = '';

const MP = '/api/v1/model_providers';
const OPENAI_KEY = 'sk-agentstack-good-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  t = await startTestServer();
  basic = `Basic ${Buffer.from(`agentstack-user:${t.token}`).toString('base64')}`;
  openai = await startFakeProvider('openai', { keys: [OPENAI_KEY] });
  anthropic = await startFakeProvider('anthropic', { keys: ['sk-ant-good-0123456789'] });
  ollama = await startFakeProvider('ollama');
  voyage = await startFakeProvider('voyage', { keys: ['pa-good-0123456789'] });
});
afterAll(async () => {
  await t.close();
  await Promise.all([openai.close(), anthropic.close(), ollama.close(), voyage.close()]);
});

/** Agent Stack clients authenticate with Basic; the token is the password. */
const as = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  t.request(path, { ...init, headers: { authorization: basic, ...(init.headers ?? {}) } });
const create = (json: unknown) => as(MP, { method: 'POST', json });
const nativeCount = async () => (await t.request('/api/v1/providers')).body.total as number;

describe('Agent Stack surface: auth', () => {
  it('answers 401 {"detail": ...} with a Basic challenge without credentials, and accepts any Basic user', async () => {
    const res = await t.request(MP, { noAuth: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'Not authenticated' });
    expect(res.headers.get('www-authenticate')).toBe('Basic');
    const wrong = await t.request(MP, { headers: { authorization: `Basic ${Buffer.from('u:wrong').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect((await as(MP)).status).toBe(200);
    expect((await t.request(MP)).status).toBe(200); // Bearer works too
  });
});

describe('Agent Stack surface: create', () => {
  it('lists nothing at first', async () => {
    expect((await as(MP)).body).toEqual({ items: [], total_count: 0, has_more: false, next_page_token: null });
  });

  it('replays the seed example: 201 ModelProvider after a real model listing (watsonx ids accepted, not returned)', async () => {
    const res = await create({
      type: 'anthropic',
      base_url: anthropic.baseUrl,
      api_key: 'sk-ant-good-0123456789',
      name: 'Claude (work)',
      description: 'Team Anthropic account',
      watsonx_project_id: 'project-1',
      watsonx_space_id: 'space-1',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      type: 'anthropic',
      base_url: anthropic.baseUrl,
      capabilities: ['llm'],
      name: 'Claude (work)',
      description: 'Team Anthropic account',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      registry: null,
      state: 'online',
    });
    expect(res.text).not.toContain('sk-ant-good');
    expect(anthropic.requests.some((r) => r.path === '/v1/models')).toBe(true);
    // The slug is derived from the name; the name is kept as the display name; the models are stored.
    const native = await t.request('/api/v1/providers/claude-work');
    expect(native.body).toMatchObject({
      id: res.body.id,
      type: 'anthropic',
      display_name: 'Claude (work)',
      state: 'online',
      status: 'active',
    });
    expect(native.body.api_keys).toHaveLength(1);
    expect(native.body.models_count).toBeGreaterThan(0);
  });

  it('rejects a provider whose models cannot be loaded, with the exact 400 message, leaving nothing behind', async () => {
    const before = await nativeCount();
    const res = await create({ type: 'openai', base_url: openai.baseUrl, api_key: 'sk-wrong-key-000000000000' });
    expect(res.status).toBe(400);
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.detail.startsWith(`Failed to load models from openai provider (${openai.baseUrl}): `)).toBe(true);
    expect(res.body.detail.length).toBeGreaterThan(`Failed to load models from openai provider (${openai.baseUrl}): `.length);
    expect(res.text).not.toContain('sk-wrong-key-000000000000');
    const refused = await create({ type: 'other', base_url: 'http://127.0.0.1:9/v1', api_key: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/^Failed to load models from other provider \(http:\/\/127\.0\.0\.1:9\/v1\): /);
    expect(await nativeCount()).toBe(before);
  });

  it('creates with a working key, derives capabilities from the type, and keeps the key encrypted', async () => {
    const res = await create({ type: 'openai', base_url: openai.baseUrl, api_key: OPENAI_KEY, name: 'OpenAI' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'openai',
      capabilities: ['llm', 'embedding'],
      name: 'OpenAI',
      description: null,
      state: 'online',
    });
    const native = await t.request('/api/v1/providers/openai');
    expect(native.body.api_keys[0].masked).not.toContain('0123456789');
    expect(t.desk.providers.revealKey('openai', native.body.api_keys[0].id).value).toBe(OPENAI_KEY);
  });

  it('rejects a base_url another provider already uses', async () => {
    const res = await create({ type: 'openai', base_url: openai.baseUrl, api_key: OPENAI_KEY });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: `Duplicate model_provider found: base_url='${openai.baseUrl}' already exists` });
    const slash = await create({ type: 'openai', base_url: `${openai.baseUrl}/`, api_key: OPENAI_KEY });
    expect(slash.body).toEqual({ detail: `Duplicate model_provider found: base_url='${openai.baseUrl}/' already exists` });
  });

  it('derives a unique slug from name (or type), keeping the name as given', async () => {
    const local = await create({ type: 'ollama', base_url: ollama.url, api_key: '', name: 'Local Ollama' });
    expect(local.status).toBe(201);
    expect(local.body).toMatchObject({ name: 'Local Ollama', capabilities: ['llm', 'embedding'] });
    expect((await t.request('/api/v1/providers/local-ollama')).body).toMatchObject({
      id: local.body.id,
      display_name: 'Local Ollama',
      api_keys: [],
    });
    const same = await create({ type: 'ollama', base_url: `${ollama.url}/v1`, api_key: 'unused', name: 'ollama-local' });
    expect((await t.request(`/api/v1/providers/ollama-local`)).body.id).toBe(same.body.id);
    const again = await create({ type: 'ollama', base_url: `${ollama.url}/api`, api_key: '', name: 'LOCAL   ollama!' });
    expect((await t.request('/api/v1/providers/local-ollama-2')).body).toMatchObject({
      id: again.body.id,
      display_name: 'LOCAL   ollama!',
    });
    const nameless = await create({ type: 'ollama', base_url: `http://localhost:${new URL(ollama.url).port}`, api_key: '' });
    expect(nameless.body.name).toBeNull();
    expect((await t.request('/api/v1/providers/ollama')).body.id).toBe(nameless.body.id);
  });

  it('needs exactly one of watsonx_project_id / watsonx_space_id for watsonx', async () => {
    const message = { detail: 'WatsonX providers must have either watsonx_project_id or watsonx_space_id' };
    const neither = await create({ type: 'watsonx', base_url: 'https://us-south.ml.cloud.ibm.com', api_key: 'ibm-key' });
    expect(neither.status).toBe(400);
    expect(neither.body).toEqual(message);
    const both = await create({
      type: 'watsonx',
      base_url: 'https://us-south.ml.cloud.ibm.com',
      api_key: 'ibm-key',
      watsonx_project_id: 'p',
      watsonx_space_id: 's',
    });
    expect(both.status).toBe(400);
    expect(both.body).toEqual(message);
  });

  it('answers schema violations with FastAPI 422 bodies', async () => {
    const empty = await create({});
    expect(empty.status).toBe(422);
    expect(empty.body).toEqual({
      detail: [
        { type: 'missing', loc: ['body', 'type'], msg: 'Field required' },
        { type: 'missing', loc: ['body', 'base_url'], msg: 'Field required' },
        { type: 'missing', loc: ['body', 'api_key'], msg: 'Field required' },
      ],
    });
    const unknown = await create({ type: 'azure', base_url: 'https://x.example', api_key: 'k' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toEqual([
      {
        type: 'enum',
        loc: ['body', 'type'],
        msg: "Input should be 'anthropic', 'bedrock', 'cerebras', 'chutes', 'cohere', 'deepseek', 'gemini', 'github', 'groq', 'watsonx', 'jan', 'mistral', 'moonshot', 'nvidia', 'ollama', 'openai', 'openrouter', 'perplexity', 'together', 'voyage', 'rits' or 'other'",
      },
    ]);
    const notUrl = await create({ type: 'openai', base_url: 'not a url', api_key: 'k' });
    expect(notUrl.status).toBe(422);
    expect(notUrl.body.detail).toEqual([
      { type: 'url_parsing', loc: ['body', 'base_url'], msg: 'Input should be a valid URL, relative URL without a base' },
    ]);
    const tooLong = await create({ type: 'openai', base_url: `https://example.com/${'a'.repeat(2100)}`, api_key: 'k' });
    expect(tooLong.body.detail).toEqual([
      { type: 'url_too_long', loc: ['body', 'base_url'], msg: 'URL should have at most 2083 characters' },
    ]);
    const scheme = await create({ type: 'openai', base_url: 'ftp://example.com', api_key: 'k' });
    expect(scheme.body.detail[0]).toMatchObject({ type: 'url_scheme', loc: ['body', 'base_url'] });
    const types = await create({ type: 'openai', base_url: 5, api_key: 7, name: 3 });
    expect(types.body.detail.map((d: { loc: string[] }) => d.loc[1])).toEqual(['base_url', 'api_key', 'name']);
    const array = await create([1]);
    expect(array.status).toBe(422);
    expect(array.body.detail[0]).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
    // Malformed JSON is a 400 on every surface (issue rule), in FastAPI's issue-list shape.
    const broken = await as(MP, { method: 'POST', body: '{"type": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', 0] });
    const none = await as(MP, { method: 'POST' });
    expect(none.status).toBe(422);
    expect(none.body).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] });
  });
});

describe('Agent Stack surface: read, list, delete', () => {
  it('reads a provider by id; unknown → 404, malformed uuid → 422', async () => {
    const list = (await as(MP)).body;
    const first = list.items[0];
    expect((await as(`${MP}/${first.id}`)).body).toEqual(first);
    expect((await as(`${MP}/${first.id.toUpperCase()}`)).body.id).toBe(first.id);
    const id = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
    const missing = await as(`${MP}/${id}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: `model_provider with id ${id} not found` });
    const malformed = await as(`${MP}/not-a-uuid`);
    expect(malformed.status).toBe(422);
    expect(malformed.body.detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'model_provider_id'] });
  });

  it('lists newest first with total_count, has_more false and next_page_token = the last id', async () => {
    const res = await as(MP);
    const { items } = res.body;
    expect(res.body.total_count).toBe(items.length);
    expect(res.body.has_more).toBe(false);
    expect(res.body.next_page_token).toBe(items.at(-1).id);
    const created = items.map((i: { created_at: string }) => i.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(items.at(-1).name).toBe('Claude (work)');
  });

  it('leaves providers of other types out, and shows natively created ones (name = display name)', async () => {
    const azure = await t.request('/api/v1/providers', { method: 'POST', json: { name: 'azure-work', type: 'azure' } });
    const native = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'groq-native', type: 'groq', display_name: 'Groq (native)', description: 'made natively' },
    });
    const items = (await as(MP)).body.items as Array<{ id: string }>;
    expect(items.some((i) => i.id === azure.body.id)).toBe(false);
    expect((await as(`${MP}/${azure.body.id}`)).status).toBe(404);
    expect(items[0]).toMatchObject({
      id: native.body.id,
      type: 'groq',
      name: 'Groq (native)',
      description: 'made natively',
      state: 'online',
    });
    const compat = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'compat', type: 'openai-compat', base_url: 'http://127.0.0.1:1/v1' },
    });
    expect((await as(`${MP}/${compat.body.id}`)).body).toMatchObject({ type: 'other', capabilities: ['llm', 'embedding'], name: null });
  });

  it('shows state offline after a failed check', async () => {
    const compat = (await t.request('/api/v1/providers/compat')).body;
    await t.request('/api/v1/providers/compat/test', { method: 'POST', json: {} });
    expect((await as(`${MP}/${compat.id}`)).body.state).toBe('offline');
  });

  it('deletes with 204 and no body, then 404', async () => {
    const compat = (await t.request('/api/v1/providers/compat')).body;
    const res = await as(`${MP}/${compat.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await t.request('/api/v1/providers/compat')).status).toBe(404);
    const again = await as(`${MP}/${compat.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: `model_provider with id ${compat.id} not found` });
    expect((await as(`${MP}/nope`, { method: 'DELETE' })).status).toBe(422);
  });
});

describe('Agent Stack surface: match', () => {
  beforeAll(async () => {
    // Only the OpenAI provider and a Voyage one (embedding only) hold models for these tests.
    for (const name of ['claude-work', 'local-ollama', 'ollama-local', 'local-ollama-2', 'ollama']) {
      await t.request(`/api/v1/providers/${name}`, { method: 'DELETE' });
    }
    const res = await create({ type: 'voyage', base_url: voyage.baseUrl, api_key: 'pa-good-0123456789' });
    expect(res.status).toBe(201);
    expect(res.body.capabilities).toEqual(['embedding']);
  });

  const match = (json: unknown) => as(`${MP}/match`, { method: 'POST', json });

  it('scores 0.5 + r/2 against the best suggestion (r > cutoff), sorted by score then id, rounded to 2 places', async () => {
    const res = await match({ capability: 'llm', suggested_models: ['gpt-4o'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { model_id: 'openai:gpt-4o', score: 0.82 },
        { model_id: 'openai:gpt-4o-mini', score: 0.75 },
      ],
      total_count: 2,
      has_more: false,
      next_page_token: null,
    });
    const two = await match({ capability: 'llm', suggested_models: ['gpt-4o-mini', 'whisper'] });
    expect(two.body.items).toEqual([
      { model_id: 'openai:gpt-4o-mini', score: 0.88 },
      { model_id: 'openai:whisper-1', score: 0.8 },
      { model_id: 'openai:gpt-4o', score: 0.75 },
    ]);
  });

  it('honours score_cutoff and answers nothing when nothing is close', async () => {
    const strict = await match({ capability: 'llm', suggested_models: ['gpt-4o'], score_cutoff: 0.6 });
    expect(strict.body.items.map((i: { model_id: string }) => i.model_id)).toEqual(['openai:gpt-4o']);
    const far = await match({ capability: 'llm', suggested_models: ['claude'] });
    expect(far.body).toEqual({ items: [], total_count: 0, has_more: false, next_page_token: null });
  });

  it('answers only the configured default model without suggestions: none is configured here, so nothing', async () => {
    for (const body of [
      { capability: 'embedding' },
      { capability: 'llm', suggested_models: [] },
      { capability: 'llm', suggested_models: null },
    ]) {
      const res = await match(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], total_count: 0, has_more: false, next_page_token: null });
    }
  });

  it('validates the match body with 422', async () => {
    const bad = await match({ capability: 'vision' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([{ type: 'enum', loc: ['body', 'capability'], msg: "Input should be 'llm' or 'embedding'" }]);
    const missing = await match({});
    expect(missing.body.detail).toEqual([{ type: 'missing', loc: ['body', 'capability'], msg: 'Field required' }]);
    const items = await match({ capability: 'llm', suggested_models: ['ok', 3], score_cutoff: 'high' });
    expect(items.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ['body', 'suggested_models', 1],
      ['body', 'score_cutoff'],
    ]);
  });

  it('implements difflib.SequenceMatcher.ratio (values from CPython, autojunk included)', () => {
    expect(similarityRatio('abcd', 'bcde')).toBe(0.75);
    expect(similarityRatio('qabxcd', 'abycdf')).toBeCloseTo(0.6666666666666666, 15);
    expect(similarityRatio('', '')).toBe(1);
    expect(similarityRatio('abc', '')).toBe(0);
    expect(similarityRatio('naïve-model', 'naive-model')).toBeCloseTo(0.9090909090909091, 15);
    expect(similarityRatio('ab'.repeat(120) + 'c', 'c' + 'ab'.repeat(120))).toBeCloseTo(0.004149377593360996, 15);
    expect(similarityRatio('x'.repeat(10) + 'y'.repeat(300), 'y'.repeat(300) + 'x'.repeat(10))).toBe(0);
  });
});

describe('Agent Stack surface: the one store and robustness', () => {
  it('shows a provider created here through the native API, and deletes it there', async () => {
    const url = `http://localhost:${new URL(openai.url).port}/v1`;
    const res = await create({ type: 'other', base_url: `${url}/`, api_key: OPENAI_KEY, name: 'My Compat' });
    expect(res.status).toBe(201);
    const native = await t.request('/api/v1/providers/my-compat');
    expect(native.body).toMatchObject({ id: res.body.id, type: 'openai-compat', base_url: url, display_name: 'My Compat' });
    await t.request('/api/v1/providers/my-compat', { method: 'DELETE' });
    expect((await as(`${MP}/${res.body.id}`)).status).toBe(404);
  });

  it('never answers 5xx or a stack trace, whatever the input', async () => {
    const bodies: unknown[] = [
      null,
      'x',
      7,
      { type: null, base_url: null, api_key: null },
      { type: 'openai', base_url: 'http://[::1', api_key: 'k' },
      { type: 'openai', base_url: 'http://', api_key: 'k' },
      { type: 'openai', base_url: 'https://example.com', api_key: ' padded ' },
      { type: 'other', base_url: 'http://127.0.0.1:9', api_key: '', name: '日本語', description: 'x'.repeat(5000) },
      { type: 'other', base_url: 'http://127.0.0.1:9', api_key: '', name: 'n'.repeat(300) },
      { capability: 'llm', suggested_models: 'gpt', score_cutoff: null },
      { capability: ['llm'] },
    ];
    for (const path of [MP, `${MP}/match`]) {
      for (const body of bodies) {
        const res = await as(path, { method: 'POST', json: body });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.body).toHaveProperty('detail');
        expect(res.text).not.toMatch(/\bat .*\.ts:\d+/);
      }
    }
    for (const path of [`${MP}/${'f'.repeat(400)}`, `${MP}/urn:uuid:zz`]) {
      for (const method of ['GET', 'DELETE']) expect((await as(path, { method })).status).toBe(422);
    }
    // A control character in the path is refused before routing, in the surface's shape.
    for (const method of ['GET', 'DELETE']) {
      const res = await as(`${MP}/%00`, { method });
      expect(res.status).toBe(400);
      expect(res.body).toHaveProperty('detail');
    }
  });
});
