import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Desk } from '../../src-main/core/desk.js';
import { DB_FILE, migrate } from '../../src-main/core/store/database.js';
import { MIGRATIONS } from '../../src-main/core/store/migrations/index.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const KEY = 'sk-curation-0123456789abcdef';

let fake: FakeProvider;
let desk: Desk;

beforeAll(async () => {
  fake = await startFakeProvider('openai', { keys: [KEY], models: ['gpt-4o', 'gpt-4o-mini', 'whisper-1'] });
});
afterAll(async () => fake.close());

beforeEach(() => {
  fake.setModels(['gpt-4o', 'gpt-4o-mini', 'whisper-1']);
  desk = openTestDesk();
  desk.providers.create({ name: 'curated', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: KEY }] });
});
afterEach(async () => desk.close());

async function call<N extends Parameters<Desk['dispatch']>[0]>(name: N, input: unknown) {
  const result = await desk.dispatch(name, input, { transport: 'cli' });
  if (!result.ok) throw Object.assign(new Error(result.error.message), { body: result.error });
  return result.data;
}

async function failure(name: Parameters<Desk['dispatch']>[0], input: unknown) {
  const result = await desk.dispatch(name, input, { transport: 'cli' });
  if (result.ok) throw new Error(`${name} succeeded`);
  return result.error;
}

const byId = <M extends { id: string }>(models: M[]) => new Map(models.map((m) => [m.id, m]));

describe('model curation in the store', () => {
  it('migrates an older store: every stored model is enabled, not custom, not gone', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, DB_FILE));
    try {
      const before = MIGRATIONS.findIndex((step) => step.name === '0007-model-curation');
      for (const step of MIGRATIONS.slice(0, before)) db.exec(step.sql);
      db.pragma(`user_version = ${before}`);
      db.prepare(
        `INSERT INTO providers (id, name, type, network_config, proxy_config, concurrency, config_hash, created_at, updated_at)
         VALUES ('p', 'older', 'openai', '{}', '{}', '{}', 'h', 'now', 'now')`,
      ).run();
      db.prepare(`INSERT INTO models (provider_id, model_id, display_name, fetched_at) VALUES ('p', 'gpt-4o', 'gpt-4o', 'now')`).run();
      migrate(db);
      expect(db.prepare('SELECT model_id, enabled, custom, gone_at FROM models').all()).toEqual([
        { model_id: 'gpt-4o', enabled: 1, custom: 0, gone_at: null },
      ]);
    } finally {
      db.close();
      dir.remove();
    }
  });

  it('keeps enabled flags and custom ids across a refresh, and marks models the provider stopped listing as gone', async () => {
    await call('models.refresh', { idOrName: 'curated' });
    await call('models.update', { idOrName: 'curated', models: ['whisper-1'], enabled: false });
    await call('models.add', { idOrName: 'curated', id: 'ft:gpt-4o-mini:acme::x1', display_name: 'Support bot' });

    fake.setModels(['gpt-4o', 'whisper-1', 'o3-mini']); // gpt-4o-mini retired, o3-mini new
    const after = byId((await call('models.refresh', { idOrName: 'curated' })).models);
    expect(after.get('whisper-1')).toMatchObject({ enabled: false, custom: false, gone_at: null });
    expect(after.get('ft:gpt-4o-mini:acme::x1')).toMatchObject({ enabled: true, custom: true, gone_at: null, display_name: 'Support bot' });
    expect(after.get('o3-mini')).toMatchObject({ enabled: true, custom: false, gone_at: null });
    const gone = after.get('gpt-4o-mini');
    expect(gone?.gone_at).toEqual(expect.any(String));
    // The provider's count is what it offers: 5 stored rows, one turned off, one gone.
    expect(after.size).toBe(5);
    expect((await call('providers.get', { idOrName: 'curated' })).models_count).toBe(3);

    // A later refresh that still does not list it keeps the first time it went missing.
    fake.setModels(['gpt-4o', 'whisper-1']);
    const again = byId((await call('models.refresh', { idOrName: 'curated' })).models);
    expect(again.get('gpt-4o-mini')?.gone_at).toBe(gone?.gone_at);
    expect(again.get('o3-mini')?.gone_at).toEqual(expect.any(String));

    // A model that comes back is no longer gone, and keeps its choice.
    await call('models.update', { idOrName: 'curated', models: ['gpt-4o-mini'], enabled: false });
    fake.setModels(['gpt-4o', 'gpt-4o-mini', 'whisper-1']);
    const back = byId((await call('models.refresh', { idOrName: 'curated' })).models);
    expect(back.get('gpt-4o-mini')).toMatchObject({ gone_at: null, enabled: false });
  });

  it('keeps choices when a test lists the models again (the test path stores listings too)', async () => {
    await call('models.refresh', { idOrName: 'curated' });
    await call('models.update', { idOrName: 'curated', models: ['gpt-4o'], enabled: false });
    fake.setModels(['gpt-4o', 'gpt-4o-mini']);
    await call('providers.test', { idOrName: 'curated' });
    const models = byId((await call('models.list', { idOrName: 'curated' })).models);
    expect(models.get('gpt-4o')?.enabled).toBe(false);
    expect(models.get('whisper-1')?.gone_at).toEqual(expect.any(String));
  });

  it('dismisses gone models and removes custom ids, but refuses to remove a listed model', async () => {
    await call('models.refresh', { idOrName: 'curated' });
    await call('models.add', { idOrName: 'curated', id: 'my-model' });
    fake.setModels(['gpt-4o', 'gpt-4o-mini']);
    await call('models.refresh', { idOrName: 'curated' });

    const refused = await failure('models.remove', { idOrName: 'curated', models: ['whisper-1', 'gpt-4o'] });
    expect(refused.code).toBe('conflict');
    expect(refused.fields).toEqual([{ path: 'models[1]', message: 'is listed by the provider; disable it instead' }]);
    // Nothing was removed: the write is one transaction.
    expect(byId((await call('models.list', { idOrName: 'curated' })).models).has('whisper-1')).toBe(true);

    const left = (await call('models.remove', { idOrName: 'curated', models: ['whisper-1', 'my-model'] })).models.map((m) => m.id);
    expect(left).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('refuses unknown ids with a field per id and writes nothing', async () => {
    await call('models.refresh', { idOrName: 'curated' });
    const error = await failure('models.update', { idOrName: 'curated', models: ['gpt-4o', 'nope'], enabled: false });
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual([{ path: 'models[1]', message: 'is not a model of "curated"' }]);
    expect(byId((await call('models.list', { idOrName: 'curated' })).models).get('gpt-4o')?.enabled).toBe(true);
  });

  it('validates input: empty lists, duplicates, control characters', async () => {
    expect((await failure('models.update', { idOrName: 'curated', models: [], enabled: true })).fields?.[0]?.path).toBe('models');
    expect((await failure('models.update', { idOrName: 'curated', models: ['a', 'a'], enabled: true })).fields?.[0]?.path).toBe('models');
    expect((await failure('models.add', { idOrName: 'curated', id: 'bad\nid' })).fields?.[0]?.path).toBe('id');
    expect((await failure('models.add', { idOrName: 'missing', id: 'x' })).code).toBe('not_found');
  });

  it('refuses a custom id that is already listed, and turns a gone model into a custom one', async () => {
    await call('models.refresh', { idOrName: 'curated' });
    const taken = await failure('models.add', { idOrName: 'curated', id: 'gpt-4o' });
    expect(taken.code).toBe('conflict');
    fake.setModels(['gpt-4o']);
    await call('models.refresh', { idOrName: 'curated' });
    await call('models.update', { idOrName: 'curated', models: ['whisper-1'], enabled: false });
    const kept = byId((await call('models.add', { idOrName: 'curated', id: 'whisper-1' })).models).get('whisper-1');
    expect(kept).toMatchObject({ custom: true, enabled: true, gone_at: null });
  });

  it('leaves disabled and gone models out of what the surfaces read, and the gateway refuses a disabled one', async () => {
    await call('models.refresh', { idOrName: 'curated' });
    await call('models.update', { idOrName: 'curated', models: ['whisper-1'], enabled: false });
    fake.setModels(['gpt-4o', 'whisper-1']);
    await call('models.refresh', { idOrName: 'curated' });
    const id = desk.providers.get('curated').id;
    expect(desk.providers.modelIdsOf(id)).toEqual(['gpt-4o']);
    expect(desk.providers.modelsOf(id).map((m) => m.id)).toEqual(['gpt-4o']);
    expect(desk.providers.allModelIds().map((m) => m.modelId)).toEqual(['gpt-4o']);
    expect(desk.providers.modelDisabled(id, 'whisper-1')).toBe(true);
    expect(desk.providers.modelDisabled(id, 'gpt-4o')).toBe(false);
  });
});
