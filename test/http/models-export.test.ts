import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { bifrostSchemaErrors } from '../acceptance/bifrost-config-schema.js';

const KEY_A = 'sk-export-a-0123456789abcdef';
const KEY_B = 'sk-export-b-0123456789abcdef';

let t: TestServer;
let fake: FakeProvider;

beforeAll(async () => {
  t = await startTestServer();
  fake = await startFakeProvider('openai', { keys: [KEY_A, KEY_B], models: ['gpt-4o', 'gpt-4o-mini', 'whisper-1'] });
  await t.request('/api/v1/providers', {
    method: 'POST',
    json: {
      name: 'openai',
      type: 'openai',
      base_url: fake.baseUrl,
      api_keys: [
        { name: 'all', value: KEY_A },
        { name: 'some', value: KEY_B, models: ['gpt-4o', 'gpt-4o-mini'] },
      ],
    },
  });
  await t.request('/api/v1/providers/openai/models/refresh', { method: 'POST' });
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

type KeyBlock = { name: string; models: string[]; blacklisted_models?: string[] };
const exported = async (server = t, secrets = 'redacted') =>
  (await server.request(`/api/v1/config/export?secrets=${secrets}`)).body as { providers: Record<string, any> };

/** What Bifrost reads: our own block (which Bifrost ignores, but its schema closes standard entries to) taken out. */
function withoutOurBlocks(doc: { providers: Record<string, any> }): unknown {
  const providers = Object.fromEntries(
    Object.entries(doc.providers).map(([name, block]) => {
      const { provider_desk: _ours, ...rest } = block as Record<string, unknown>;
      return [name, rest];
    }),
  );
  return { ...doc, providers };
}

describe('exports honour model curation', () => {
  it('writes each key with every model allowed while no model is disabled (unchanged format)', async () => {
    const doc = await exported();
    const keys = doc.providers.openai.keys as KeyBlock[];
    expect(keys.map((k) => [k.name, k.models, k.blacklisted_models])).toEqual([
      ['all', [], undefined],
      ['some', ['gpt-4o', 'gpt-4o-mini'], undefined],
    ]);
    expect(doc.providers.openai.provider_desk?.models).toBeUndefined();
  });

  it("leaves a disabled model out of each key's models, blacklists it, and keeps the choices in our block", async () => {
    await t.request('/api/v1/providers/openai/models', { method: 'PATCH', json: { models: ['gpt-4o-mini'], enabled: false } });
    await t.request('/api/v1/providers/openai/models', { method: 'POST', json: { id: 'ft:gpt-4o:acme::z9', display_name: 'Tuned' } });
    const doc = await exported();
    expect(bifrostSchemaErrors(withoutOurBlocks(doc))).toEqual([]);
    const keys = doc.providers.openai.keys as KeyBlock[];
    const [all, some] = keys;
    expect(all?.models).toEqual(['ft:gpt-4o:acme::z9', 'gpt-4o', 'whisper-1']);
    expect(all?.models).not.toContain('gpt-4o-mini');
    expect(all?.blacklisted_models).toEqual(['gpt-4o-mini']);
    expect(some?.models).toEqual(['gpt-4o']);
    expect(some?.blacklisted_models).toEqual(['gpt-4o-mini']);
    expect(doc.providers.openai.provider_desk.models).toEqual({
      disabled: ['gpt-4o-mini'],
      custom: [{ id: 'ft:gpt-4o:acme::z9', display_name: 'Tuned' }],
      key_lists: {
        all: { models: [], blacklisted_models: [] },
        some: { models: ['gpt-4o', 'gpt-4o-mini'], blacklisted_models: [] },
      },
    });
  });

  it('re-importing the export changes nothing', async () => {
    const doc = await exported();
    const res = await t.request('/api/v1/config/import?dry_run=true', { method: 'POST', json: doc });
    expect(res.status).toBe(200);
    expect(res.body.changed).toEqual([]);
    expect(res.body.unchanged).toEqual(['openai']);
  });

  it('an import restores the curation and the keys’ own lists in another store, and shows a changed curation', async () => {
    const doc = await exported(t, 'plain');
    const other = await startTestServer();
    try {
      const imported = await other.request('/api/v1/config/import', { method: 'POST', json: doc });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      const provider = (await other.request('/api/v1/providers/openai')).body;
      expect(provider.api_keys.map((k: KeyBlock) => [k.name, k.models, k.blacklisted_models])).toEqual([
        ['all', [], []],
        ['some', ['gpt-4o', 'gpt-4o-mini'], []],
      ]);
      const models = (await other.request('/api/v1/providers/openai/models')).body.models as Array<{
        id: string;
        enabled: boolean;
        custom: boolean;
      }>;
      expect(models.map((m) => [m.id, m.enabled, m.custom])).toEqual([
        ['ft:gpt-4o:acme::z9', true, true],
        ['gpt-4o-mini', false, false],
      ]);
      // The store it came from now differs only in curation: the import says so, under our block.
      const back = await exported(other);
      expect(back.providers.openai.provider_desk.models.disabled).toEqual(['gpt-4o-mini']);
      back.providers.openai.provider_desk.models.disabled = [];
      const diff = await other.request('/api/v1/config/import?dry_run=true', { method: 'POST', json: back });
      expect(diff.body.changed).toEqual(['openai']);
      expect(diff.body.changes.openai).toContain('provider_desk.models');
    } finally {
      await other.close();
    }
  });

  it('rejects a malformed curation block with its path', async () => {
    const doc = await exported();
    doc.providers.openai.provider_desk.models = { disabled: 'gpt-4o' };
    const res = await t.request('/api/v1/config/import?dry_run=true', { method: 'POST', json: doc });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.fields)).toContain('providers.openai.provider_desk.models.disabled');
  });
});
