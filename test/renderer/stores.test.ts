import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src-renderer/src/stores/index.js';
import { PAGE_SIZE } from '../../src-renderer/src/stores/providers-store.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { cookieFetch, httpClient, ipcClient } from './clients.js';

let server: TestServer;
let fake: FakeProvider;
const TOTAL = 450;

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeProvider('openai', { keys: ['sk-good-0123456789'] });
  server.desk.repo.transaction(() => {
    for (let i = 0; i < TOTAL; i += 1)
      server.desk.providers.create({ name: `p-${String(i).padStart(4, '0')}`, type: i % 3 === 0 ? 'groq' : 'openai' });
  });
  server.desk.providers.create({
    name: 'zz-fake',
    type: 'openai',
    base_url: fake.baseUrl,
    api_keys: [{ name: 'good', value: 'sk-good-0123456789' }],
  });
  server.desk.providers.create({
    name: 'zz-broken',
    type: 'openai',
    base_url: fake.baseUrl,
    api_keys: [{ name: 'bad', value: 'sk-bad-0000000000' }],
  });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('providers store', () => {
  it('loads the first page and the total, then only the pages a visible range needs', async () => {
    const { providers } = createStores(httpClient(server));
    providers.getState().reload();
    await until(() => providers.getState().total !== null);
    expect(providers.getState().total).toBe(TOTAL + 2);
    expect(Object.keys(providers.getState().pages)).toEqual(['0']);
    expect(providers.getState().itemAt(0)?.name).toBe('p-0000');
    expect(providers.getState().itemAt(PAGE_SIZE)).toBeUndefined();

    providers.getState().ensureRange(390, 420);
    await until(() => providers.getState().pages[1] !== undefined && providers.getState().pages[2] !== undefined);
    expect(Object.keys(providers.getState().pages).sort()).toEqual(['0', '1', '2']);
    expect(providers.getState().itemAt(420)?.name).toBe('p-0420');
    expect(providers.getState().storeEmpty).toBe(false);
  });

  it('filters by search and type, sorts, and starts over when the query changes', async () => {
    const { providers } = createStores(httpClient(server));
    providers.getState().setQuery({ search: 'p-000', sort: 'name', order: 'desc' });
    await until(() => providers.getState().total !== null);
    expect(providers.getState().total).toBe(10);
    expect(providers.getState().itemAt(0)?.name).toBe('p-0009');

    providers.getState().setQuery({ search: '', types: ['groq'] });
    await until(() => providers.getState().total !== null);
    expect(providers.getState().total).toBe(150);

    providers.getState().setQuery({ types: [], search: 'nothing-matches-this' });
    await until(() => providers.getState().total !== null);
    expect(providers.getState().total).toBe(0);
    expect(providers.getState().storeEmpty).not.toBe(true);
  });

  it('debounces typing into one query', async () => {
    const { providers } = createStores(httpClient(server));
    providers.getState().typeSearch('zz', 20);
    providers.getState().typeSearch('zz-f', 20);
    expect(providers.getState().searchText).toBe('zz-f');
    await until(() => providers.getState().query.search === 'zz-f' && providers.getState().total !== null);
    expect(providers.getState().itemAt(0)?.name).toBe('zz-fake');
  });

  it('knows when the store has no providers at all', async () => {
    const empty = await startTestServer();
    try {
      const { providers } = createStores(httpClient(empty));
      providers.getState().reload();
      await until(() => providers.getState().total !== null);
      expect(providers.getState().storeEmpty).toBe(true);
    } finally {
      await empty.close();
    }
  });
});

describe('detail store', () => {
  it('opens a provider, saves with its revision and reloads on a concurrent change', async () => {
    const { detail } = createStores(httpClient(server));
    await detail.getState().open('p-0001');
    const before = detail.getState().provider!;
    const saved = await detail.getState().save({ description: 'first' });
    expect(saved.revision).toBe(before.revision + 1);

    server.desk.providers.update('p-0001', { description: 'elsewhere' });
    await expect(detail.getState().save({ description: 'mine' })).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(detail.getState().notice).toMatch(/changed elsewhere — reloaded/);
    expect(detail.getState().provider?.description).toBe('elsewhere');
  });

  it('tests a provider and keeps each key verdict with its latency', async () => {
    const { detail } = createStores(httpClient(server));
    await detail.getState().open('zz-fake');
    await detail.getState().test();
    const [result] = detail.getState().testResults!;
    expect(result).toMatchObject({ ok: true, http_status: 200 });
    expect(detail.getState().provider?.status).toBe('active');
    expect(detail.getState().testing).toBe(false);
  });

  it('lists models, and shows a failed listing as an error with a hint, never as an empty list', async () => {
    const { detail } = createStores(ipcClient(server.desk));
    await detail.getState().open('zz-fake');
    await detail.getState().loadModels(true);
    expect(detail.getState().models.items.map((m) => m.id)).toContain('gpt-4o');

    await detail.getState().open('zz-broken');
    await detail.getState().loadModels();
    const models = detail.getState().models;
    expect(models.items).toEqual([]);
    expect(models.loaded).toBe(true);
    expect(models.error?.message).toMatch(/401/);
    expect(models.error?.hint).toBeTruthy();
  });

  it('adds, renames, disables and deletes keys', async () => {
    const stores = createStores(httpClient(server));
    await stores.detail.getState().open('p-0002');
    const key = await stores.keys.add({ name: 'first', value: 'sk-abcdefghijklmnop' });
    expect(stores.detail.getState().provider?.api_keys.map((k) => k.name)).toEqual(['first']);
    await stores.keys.update(key.id, { name: 'renamed', enabled: false, weight: 2 });
    expect(stores.detail.getState().provider?.api_keys[0]).toMatchObject({ name: 'renamed', enabled: false, weight: 2 });
    expect(stores.detail.getState().provider?.api_keys[0]?.masked).not.toContain('abcdefghijklmnop');
    await stores.keys.remove(key.id);
    expect(stores.detail.getState().provider?.api_keys).toEqual([]);
  });

  it('deletes a provider and closes it', async () => {
    const { detail } = createStores(httpClient(server));
    await detail.getState().open('p-0449');
    await detail.getState().remove(detail.getState().provider!.id);
    expect(detail.getState().provider).toBeNull();
    expect(server.desk.repo.findProvider('p-0449')).toBeUndefined();
  });
});

describe('test-all store', () => {
  it('follows the streamed progress and keeps the summary', async () => {
    const stores = createStores(httpClient(server));
    const seen: number[] = [];
    stores.testAll.subscribe((state) => state.running && state.done > 0 && seen.push(state.done));
    const only = ['zz-fake', 'zz-broken'];
    // Test just two providers: the store's run() tests everything, so narrow what is enabled first.
    server.desk.repo.transaction(() => {
      for (const row of server.desk.repo.allProviders())
        if (!only.includes(row.name)) server.desk.providers.update(row.name, { enabled: false });
    });
    await stores.testAll.getState().run();
    const state = stores.testAll.getState();
    expect(state.summary).toMatchObject({ total: 2, passed: 1, failed: 1 });
    expect(state.running).toBe(false);
    expect(seen).toContain(2);
    expect(state.recent.map((r) => r.provider.name).sort()).toEqual(only.slice().sort());
  });
});

describe('catalog, settings and session stores', () => {
  it('reads the catalog once', async () => {
    const { catalog } = createStores(httpClient(server));
    await catalog.getState().load();
    expect(catalog.getState().byId('openai')?.label).toBe('OpenAI');
    expect(catalog.getState().byId('google')?.id).toBe('gemini');
  });

  it('changes the theme at once and rotates the token', async () => {
    const { settings } = createStores(httpClient(server));
    await settings.getState().load();
    expect(settings.getState().info?.api.url).toBe(server.url);
    await settings.getState().update({ theme: 'dark' });
    expect(settings.getState().preferences?.theme).toBe('dark');
    await expect(settings.getState().update({ apiPort: 80 })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(settings.getState().preferences?.apiPort).toBe(3100);
  });

  it('signs in with the token, and notices when the session ends', async () => {
    const stores = createStores(httpClient(server, { token: null, fetch: cookieFetch() }));
    stores.client.onUnauthorized(() => stores.session.getState().expired());
    expect(stores.session.getState()).toMatchObject({ status: 'checking', canSignOut: true });
    await stores.session.getState().check();
    expect(stores.session.getState().status).toBe('signed-out');
    expect(await stores.session.getState().login('nope')).toBe(false);
    expect(stores.session.getState().message).toMatch(/not valid/);
    expect(await stores.session.getState().login(server.token)).toBe(true);
    expect(stores.session.getState().status).toBe('signed-in');

    const rotated = server.desk.token.rotate();
    await expect(stores.client.call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized' });
    expect(stores.session.getState().status).toBe('signed-out');
    expect(await stores.session.getState().login(rotated)).toBe(true);
    server.token = rotated;
  });

  it('is always signed in in the desktop app', () => {
    const { session } = createStores(ipcClient(server.desk));
    expect(session.getState()).toMatchObject({ status: 'signed-in', canSignOut: false });
  });
});
