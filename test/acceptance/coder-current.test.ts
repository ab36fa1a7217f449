/**
 * Acceptance: the Coder surface as Coder's current client uses it. Each case sends what `coderd/ai_providers_test.go`
 * sends through `codersdk` (the same bodies, the same fixture keys) and asserts what that test asserts; notes in
 * docs/peers/coder.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { CODER_BASE as BASE, coderClient } from './coder-client.js';
import { startFakeProvider, type FakeFamily, type FakeProvider } from '../fakes/providers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BEDROCK = { _type: 'bedrock', _version: 1 };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t.close());

const { coder, create, patch: update } = coderClient(() => t);

async function get(idOrName: string) {
  const res = await coder(`${BASE}/${idOrName}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('Coder current: keys come back in the order sent', () => {
  const primary = 'sk-openai-primary-fixture-aaaaaa';
  const secondary = 'sk-openai-secondary-fixture-bbbbbb';
  const five = [primary, secondary, 'sk-openai-third-fixture-cccccc', 'sk-openai-fourth-fixture-dddddd', 'sk-openai-fifth-fixture-eeeeee'];

  it('CreateWithKeysReturnsMasked: five keys created together, the first sent is first (create, GET and list)', async () => {
    // Two providers of five keys each: ordered by random ids, both would come back in the sent order 1 time in 14,400.
    for (const name of ['keys-openai', 'keys-openai-2']) {
      const provider = await create({ type: 'openai', name, enabled: true, base_url: 'https://api.openai.com/v1', api_keys: five });
      expect(provider.api_keys).toHaveLength(5);
      expect(provider.api_keys[0].masked.startsWith('sk-o')).toBe(true);
      expect(provider.api_keys[0].masked.endsWith('aaaa')).toBe(true);
      expect(provider.api_keys[0].masked).not.toContain(primary);
      expect(provider.api_keys[1].masked).not.toContain(secondary);
      for (const key of provider.api_keys) expect(key.id).toMatch(UUID);
      expect(provider.api_keys.map((k: { masked: string }) => k.masked.slice(-4))).toEqual(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']);
      expect((await get(name)).api_keys).toEqual(provider.api_keys);
      const listed = (await coder(BASE)).body.find((p: { name: string }) => p.name === name);
      expect(listed.api_keys).toEqual(provider.api_keys);
    }
  });

  it('UpdateKeepsExistingByID: the kept key stays first and unchanged, new keys follow in the order sent', async () => {
    const provider = await create({
      type: 'openai',
      name: 'keys-keep-by-id',
      enabled: true,
      base_url: 'https://api.openai.com/v1',
      api_keys: ['sk-openai-keep-aaaaaaaaaaaaaaaaaaaaaa', 'sk-openai-evict-bbbbbbbbbbbbbbbbbbbbbb'],
    });
    const [keep, evict] = provider.api_keys;
    // Sent new-first, in the same millisecond as the create: Coder still shows the older (kept) key first.
    const res = await update(provider.name, {
      api_keys: [
        { api_key: 'sk-openai-added-cccccccccccccccccccccc' },
        { api_key: 'sk-openai-added-2-dddddddddddddddddddd' },
        { id: keep.id },
        { api_key: 'sk-openai-added-3-eeeeeeeeeeeeeeeeeeee' },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const ids = res.body.api_keys.map((k: { id: string }) => k.id);
    expect(ids).toContain(keep.id);
    expect(ids).not.toContain(evict.id);
    expect(res.body.api_keys[0]).toEqual(keep);
    expect(res.body.api_keys.map((k: { masked: string }) => k.masked.slice(-4))).toEqual(['aaaa', 'cccc', 'dddd', 'eeee']);
    expect((await get(provider.name)).api_keys).toEqual(res.body.api_keys);
  });
});

describe('Coder current: base_url is stored exactly as given', () => {
  it('CreateGetUpdateDelete: trailing slash kept on create, GET by id and name, list; PATCH to …/v1 echoed; icon too', async () => {
    const req = {
      type: 'anthropic',
      name: 'primary-anthropic',
      display_name: 'Primary Anthropic',
      icon: 'https://example.com/anthropic.svg',
      enabled: true,
      base_url: 'https://api.anthropic.com/',
      settings: { ...BEDROCK, region: 'us-east-1', model: 'anthropic.claude-3-5-sonnet', small_fast_model: 'anthropic.claude-3-5-haiku' },
    };
    const created = await create(req);
    expect(created.id).toMatch(UUID);
    expect(created).toMatchObject({
      type: req.type,
      name: req.name,
      display_name: req.display_name,
      icon: req.icon,
      enabled: true,
      base_url: 'https://api.anthropic.com/',
    });
    expect(created.settings.region).toBe('us-east-1');
    expect((await get(created.id)).id).toBe(created.id);
    expect(await get(created.name)).toEqual(created);
    const list = (await coder(BASE)).body.filter((p: { id: string }) => p.id === created.id);
    expect(list).toEqual([created]);

    const res = await update(created.name, {
      display_name: 'Updated Display',
      icon: '🦜',
      base_url: 'https://api.anthropic.com/v1',
      enabled: false,
      settings: { ...BEDROCK, region: 'us-west-2', model: 'anthropic.claude-3-5-sonnet', small_fast_model: 'anthropic.claude-3-5-haiku' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      display_name: 'Updated Display',
      icon: '🦜',
      base_url: 'https://api.anthropic.com/v1',
      enabled: false,
    });
    expect(res.body.settings).toMatchObject({ region: 'us-west-2', model: 'anthropic.claude-3-5-sonnet' });

    expect((await coder(`${BASE}/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await coder(`${BASE}/${created.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toContain('Resource not found');
    expect((await coder(BASE)).body.some((p: { id: string }) => p.id === created.id)).toBe(false);
    const recreated = await create(req);
    expect(recreated.id).not.toBe(created.id);
    expect(recreated.name).toBe(req.name);
    expect(recreated.base_url).toBe('https://api.anthropic.com/');
  });

  it('RequiredBaseURL: PATCH base_url echoes exactly, with or without a trailing slash; "" is required', async () => {
    const created = await create({ type: 'openai', name: 'required-base-url', enabled: true, base_url: 'https://api.openai.com/v1' });
    for (const baseUrl of ['https://proxy.example.com/v1', 'https://proxy.example.com/v1/']) {
      const res = await update(created.name, { base_url: baseUrl });
      expect(res.status).toBe(200);
      expect(res.body.base_url).toBe(baseUrl);
      expect((await get(created.name)).base_url).toBe(baseUrl);
    }
    const empty = await update(created.name, { base_url: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe('Invalid AI provider request.');
    expect(empty.body.validations).toContainEqual({ field: 'base_url', detail: 'base_url is required' });
  });

  describe('probes still build correct URLs from a base URL that ends in a slash', () => {
    const fakes: FakeProvider[] = [];
    afterAll(async () => Promise.all(fakes.map((f) => f.close())));

    const cases: Array<{ type: string; family: FakeFamily; path: (fake: FakeProvider) => string }> = [
      { type: 'openai-compat', family: 'openai', path: (fake) => `${fake.baseUrl}/` },
      { type: 'anthropic', family: 'anthropic', path: (fake) => `${fake.url}/v1/` },
      { type: 'google', family: 'gemini', path: (fake) => `${fake.url}/v1beta/openai/` },
    ];
    for (const { type, family, path } of cases) {
      it(`${type}: the test passes and no request path has a doubled slash`, async () => {
        const key = `sk-${family}-slash-fixture-0000000001`;
        const fake = await startFakeProvider(family, { keys: [key] });
        fakes.push(fake);
        const baseUrl = path(fake);
        const created = await create({ type, name: `slash-${family}`, enabled: true, base_url: baseUrl, api_keys: [key] });
        expect(created.base_url).toBe(baseUrl);
        const test = await t.request(`/api/v1/providers/${created.name}/test`, { method: 'POST', json: {} });
        expect(test.status, test.text).toBe(200);
        expect(test.body.ok, test.text).toBe(true);
        expect(fake.requests.length).toBeGreaterThan(0);
        for (const request of fake.requests) expect(request.path).not.toContain('//');
        expect((await get(created.name)).base_url).toBe(baseUrl);
      });
    }
  });
});

describe('Coder current: PATCH settings must carry the _type discriminator', () => {
  it('UpdateSettingsEmptyObjectRejected: raw {"settings":{}} → 400 "valid JSON" / "_type discriminator", nothing changes', async () => {
    const created = await create({ type: 'openai', name: 'patch-settings-empty', enabled: true, base_url: 'https://api.openai.com/v1' });
    const res = await coder(`${BASE}/${created.name}`, {
      method: 'PATCH',
      body: '{"settings":{}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('valid JSON');
    expect(res.body.detail).toContain('_type discriminator');
    expect(await get(created.name)).toEqual(created);
  });
});

describe('Coder current: every provider type of codersdk', () => {
  it('CreatePreservesPresetProviderTypes: azure, google, openai-compat, openrouter, vercel come back as sent (create and GET)', async () => {
    const tests = [
      { type: 'azure', baseUrl: 'https://example.openai.azure.com/openai/v1' },
      { type: 'google', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/' },
      { type: 'openai-compat', baseUrl: 'https://compat.example.com/v1' },
      { type: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' },
      { type: 'vercel', baseUrl: 'https://ai-gateway.vercel.sh/v1' },
    ];
    for (const { type, baseUrl } of tests) {
      const created = await create({ type, name: `type-preserve-${type}`, enabled: true, base_url: baseUrl, api_keys: ['sk-test'] });
      expect(created.type).toBe(type);
      expect(created.base_url).toBe(baseUrl);
      expect((await get(created.id)).type).toBe(type);
    }
  });

  it('accepts all nine types, each returned as sent on create, GET and list', async () => {
    const bodies: Array<Record<string, unknown>> = [
      { type: 'openai', base_url: 'https://api.openai.com/v1', api_keys: ['sk-openai-all-types-0000000001'] },
      { type: 'anthropic', base_url: 'https://api.anthropic.com/', api_keys: ['sk-ant-all-types-0000000001'] },
      { type: 'azure', base_url: 'https://example.openai.azure.com/openai/v1', api_keys: ['azure-all-types-0000000001'] },
      { type: 'google', base_url: 'https://generativelanguage.googleapis.com/v1beta/openai/', api_keys: ['AIza-all-types-01'] },
      { type: 'openai-compat', base_url: 'https://compat.example.com/v1', api_keys: ['compat-all-types-0001'] },
      { type: 'openrouter', base_url: 'https://openrouter.ai/api/v1', api_keys: ['sk-or-all-types-0001'] },
      { type: 'vercel', base_url: 'https://ai-gateway.vercel.sh/v1', api_keys: ['vck-all-types-0001'] },
      {
        type: 'bedrock',
        base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com/',
        settings: { ...BEDROCK, region: 'us-east-1', model: 'anthropic.claude-3-5-sonnet', small_fast_model: 'anthropic.claude-3-5-haiku' },
      },
      { type: 'copilot', base_url: 'https://api.githubcopilot.com/' },
    ];
    for (const body of bodies) {
      const created = await create({ ...body, name: `all-${String(body.type)}`, enabled: true });
      expect(created.type).toBe(body.type);
      expect(created.base_url).toBe(body.base_url);
      expect((await get(created.name)).type).toBe(body.type);
      const listed = (await coder(BASE)).body.find((p: { id: string }) => p.id === created.id);
      expect(listed?.type).toBe(body.type);
    }
  });

  it('CopilotCreateWithoutKeys: 201, type copilot, no keys; stored as an OpenAI-compatible provider', async () => {
    const provider = await create({
      type: 'copilot',
      name: 'keys-copilot',
      enabled: true,
      base_url: 'https://api.business.githubcopilot.com',
    });
    expect(provider.type).toBe('copilot');
    expect(provider.api_keys).toEqual([]);
    const native = await t.request('/api/v1/providers/keys-copilot');
    expect(native.body).toMatchObject({ type: 'openai-compat', base_url: 'https://api.business.githubcopilot.com', api_keys: [] });
  });

  it('CopilotRejectsCreateWithKeys: 400 with exactly one validation, api_keys "type=copilot does not accept api_keys"', async () => {
    const res = await coder(BASE, {
      method: 'POST',
      json: {
        type: 'copilot',
        name: 'keys-copilot-create',
        enabled: true,
        base_url: 'https://api.business.githubcopilot.com',
        api_keys: ['sk-should-be-rejected'],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.validations).toHaveLength(1);
    expect(res.body.validations[0].field).toBe('api_keys');
    expect(res.body.validations[0].detail).toContain('type=copilot does not accept api_keys');
    expect((await coder(`${BASE}/keys-copilot-create`)).status).toBe(404);
  });

  it('CopilotRejectsUpdateWithKeys: PATCH api_keys on a copilot provider → 400 "Copilot providers do not accept api_keys"', async () => {
    const provider = await create({
      type: 'copilot',
      name: 'keys-copilot-update',
      enabled: true,
      base_url: 'https://api.business.githubcopilot.com',
    });
    const res = await update(provider.name, { api_keys: [{ api_key: 'sk-copilot-no' }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Copilot providers do not accept api_keys');
    expect(await get(provider.name)).toEqual(provider);
  });
});

describe('Coder current: icon and fields PATCH ignores', () => {
  it('icon is "" when unset, set on create, changed and cleared by PATCH', async () => {
    const plain = await create({ type: 'openai', name: 'no-icon', enabled: true, base_url: 'https://api.openai.com/v1' });
    expect(plain.icon).toBe('');
    const res = await update(plain.name, { icon: '🦜' });
    expect(res.status).toBe(200);
    expect(res.body.icon).toBe('🦜');
    expect((await get(plain.name)).icon).toBe('🦜');
    // {"icon": ""} is a field that is present, so the patch is not empty; it clears the icon.
    const cleared = await update(plain.name, { icon: '' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.icon).toBe('');
  });

  it('UpdateCannotMutateName: raw {"name":"renamed","display_name":"New Display"} → 200, name kept, display name changed', async () => {
    await create({ type: 'openai', name: 'stable-name', enabled: true, base_url: 'https://api.openai.com/v1' });
    const res = await coder(`${BASE}/stable-name`, {
      method: 'PATCH',
      body: '{"name":"renamed","display_name":"New Display"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const got = await get('stable-name');
    expect(got.name).toBe('stable-name');
    expect(got.display_name).toBe('New Display');
    expect((await coder(`${BASE}/renamed`)).status).toBe(404);
  });
});
