import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../src-renderer/src/stores/index.js';
import { startLiveSync } from '../../src-renderer/src/stores/live-sync.js';
import { openTestDesk, startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { ipcClient } from './clients.js';

const KEY = 'sk-live-sync-0123456789abcdef';

let server: TestServer;
let slow: FakeProvider;

beforeAll(async () => {
  server = await startTestServer();
  slow = await startFakeProvider('openai', { keys: [KEY], delayMs: 800 });
  for (const name of ['alpha', 'beta', 'gamma'])
    server.desk.providers.create({ name, type: 'openai', base_url: slow.baseUrl, api_keys: [{ name: 'main', value: KEY }] });
});

afterAll(async () => {
  await server.close();
  await slow.close();
});

/** The renderer's stores over the IPC path (the shell's forwarding and the preload's bridge), following the feed. */
async function liveStores() {
  const stores = createStores(ipcClient(server.desk));
  const stop = startLiveSync(stores);
  stores.providers.getState().reload();
  await expect.poll(() => stores.providers.getState().total).not.toBeNull();
  return { stores, stop };
}

const row = (stores: ReturnType<typeof createStores>, name: string) =>
  Object.values(stores.providers.getState().pages)
    .flat()
    .find((p) => p.name === name);

describe('live sync: the list and the open detail follow change events', () => {
  it('updates the changed row and the open detail together, with no refresh by the user', async () => {
    const { stores, stop } = await liveStores();
    const beta = server.desk.providers.get('beta');
    await stores.detail.getState().open(beta.id);
    server.desk.providers.update('beta', { description: 'changed by the API' });
    await expect.poll(() => row(stores, 'beta')?.description).toBe('changed by the API');
    expect(stores.detail.getState().provider?.description).toBe('changed by the API');
    stop();
  });

  it('shows providers another process created (data_version), and drops deleted ones', async () => {
    const { stores, stop } = await liveStores();
    const total = stores.providers.getState().total!;
    const cli = openTestDesk({ dataDir: server.desk.options.dataDir });
    cli.providers.create({ name: 'cli-made', type: 'ollama' });
    await cli.close();
    await expect.poll(() => row(stores, 'cli-made')?.name, { timeout: 2000 }).toBe('cli-made');
    expect(stores.providers.getState().total).toBe(total + 1);
    server.desk.providers.remove('cli-made');
    await expect.poll(() => row(stores, 'cli-made')).toBeUndefined();
    stop();
  });

  it('shows a test still running after navigating away and back, and joins it: one probe upstream', async () => {
    const { stores, stop } = await liveStores();
    const alpha = server.desk.providers.get('alpha');
    const gamma = server.desk.providers.get('gamma');
    await stores.detail.getState().open(alpha.id);
    const probes = slow.requests.length;
    const testing = stores.detail.getState().test();
    await expect.poll(() => server.desk.health.running().length).toBe(1);
    await stores.detail.getState().open(gamma.id);
    expect(stores.detail.getState().testing).toBe(false);
    await stores.detail.getState().open(alpha.id);
    await expect.poll(() => stores.detail.getState().testing).toBe(true);
    await testing;
    await expect.poll(() => stores.detail.getState().testing, { timeout: 3000 }).toBe(false);
    expect(stores.detail.getState().testResults?.[0]?.ok).toBe(true);
    expect(slow.requests.length - probes).toBe(1);
    // The row shows the verdict the detail shows.
    expect(row(stores, 'alpha')?.health).toBe('ok');
    expect(stores.detail.getState().provider?.health).toBe('ok');
    stop();
  });

  it('flips a row as soon as its test-all result is written, before the run ends', async () => {
    const { stores, stop } = await liveStores();
    const fast = await startFakeProvider('openai', { keys: [KEY] });
    try {
      server.desk.providers.create({ name: 'quick', type: 'openai', base_url: fast.baseUrl, api_keys: [{ value: KEY }] });
      await expect.poll(() => row(stores, 'quick')?.health).toBe('untested');
      let ended = false;
      const run = server.desk.health.testAll({}).then(() => (ended = true));
      await expect.poll(() => row(stores, 'quick')?.health).toBe('ok');
      expect(ended).toBe(false);
      await run;
    } finally {
      server.desk.providers.remove('quick');
      await fast.close();
      stop();
    }
  });
});
