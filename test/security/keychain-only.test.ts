/**
 * With a real OS keychain the desktop app keeps the data key only in the os-keychain slot (SPEC §4): no master.key
 * next to the database, so a copy of the data dir cannot be decrypted. "Allow command-line access" adds the keyfile
 * slot back; without it the CLI reaches the running app through its local API (server.json + api-token).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openTestDesk, startTestServer, tempDir } from '../helpers/desk.js';
import { createRemoteDispatch, remoteRequest } from '../../src-main/cli/remote-dispatch.js';
import { runCli } from '../helpers/cli.js';
import { fakeElectron, ipcEvent, TRUSTED_PAGE } from '../helpers/fake-electron.js';

vi.mock('electron', () => ({
  app: {},
  BrowserWindow: class {},
  ipcMain: {},
  safeStorage: {},
  dialog: {},
  clipboard: {},
  Notification: class {},
  shell: {},
  screen: {},
}));
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { INVOKE_CHANNEL } = await import('../../src-main/shell/ipc.js');

const REAL_KEYCHAIN = 'gnome_libsecret';
const KEY = 'sk-keychain-only-1234567890abcdef';
const dirs: Array<{ remove(): void }> = [];
const running: Array<{ quit(): Promise<void> }> = [];

function dataDir(): string {
  const dir = tempDir('pd-keychain-');
  dirs.push(dir);
  return dir.path;
}

/** Starts the app (stand-in Electron) on a data dir, with a real keychain backend or `basic_text`. */
async function startApp(path: string, backend: string) {
  delete process.env.PROVIDER_DESK_DATA_DIR;
  const fake = fakeElectron(path, { backend });
  const shell = await startShell(fake.deps as never);
  expect(shell, 'the app did not start').not.toBeNull();
  running.push(shell!);
  const handler = fake.handlers.get(INVOKE_CHANNEL)!;
  const invoke = async (name: string, input: unknown = {}) => (await handler(ipcEvent(TRUSTED_PAGE), name, input)) as any;
  return { shell: shell!, fake, invoke };
}

async function quit(app: { shell: { quit(): Promise<void> } }): Promise<void> {
  running.splice(running.indexOf(app.shell), 1);
  await app.shell.quit();
}

/** The slot kinds written in the SQLite file itself. */
function storedSlots(path: string): string[] {
  const db = new Database(join(path, 'provider-desk.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT kind FROM key_slots ORDER BY kind').all() as Array<{ kind: string }>).map((r) => r.kind);
  } finally {
    db.close();
  }
}

afterEach(async () => {
  while (running.length > 0) await running.pop()!.quit();
  while (dirs.length > 0) dirs.pop()!.remove();
});

describe('the desktop app with a real OS keychain keeps the data key only there', () => {
  it('creates no master.key and no keyfile slot', async () => {
    const path = dataDir();
    const app = await startApp(path, REAL_KEYCHAIN);
    expect((await app.invoke('providers.create', { name: 'openai', type: 'openai', api_keys: [{ value: KEY }] })).ok).toBe(true);
    const info = (await app.invoke('app.info')).data;
    expect(info.vault).toMatchObject({ slots: ['os-keychain'], cli_access: false, cli_access_configurable: true, warning: null });
    expect(existsSync(join(path, 'master.key'))).toBe(false);
    expect(storedSlots(path)).toEqual(['os-keychain']);
    await quit(app);
    expect(storedSlots(path)).toEqual(['os-keychain']);
  });

  it('keeps the keyfile slot with basic_text (no real keychain)', async () => {
    const path = dataDir();
    const app = await startApp(path, 'basic_text');
    const info = (await app.invoke('app.info')).data;
    expect(info.vault).toMatchObject({ cli_access: true, cli_access_configurable: false });
    expect(info.vault.slots).toEqual(expect.arrayContaining(['os-keychain', 'keyfile']));
    expect(statSync(join(path, 'master.key')).mode & 0o777).toBe(0o600);
    // Turning it off would leave only a keychain that protects nothing.
    expect(await app.invoke('vault.setCliAccess', { enabled: false })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(existsSync(join(path, 'master.key'))).toBe(true);
  });

  it('removes the keyfile slot and master.key an older version (or a headless run) left, keeping every secret', async () => {
    const path = dataDir();
    const headless = openTestDesk({ dataDir: path });
    headless.providers.create({ name: 'openai', type: 'openai', api_keys: [{ value: KEY }] });
    await headless.close();
    expect(existsSync(join(path, 'master.key'))).toBe(true);

    const app = await startApp(path, REAL_KEYCHAIN);
    expect(existsSync(join(path, 'master.key'))).toBe(false);
    expect(storedSlots(path)).toEqual(['os-keychain']);
    expect(app.shell.desk.providers.revealKey('openai', 'key-1').value).toBe(KEY);
    await quit(app);
    // Reopened by the keychain alone.
    const again = await startApp(path, REAL_KEYCHAIN);
    expect(again.shell.desk.providers.revealKey('openai', 'key-1').value).toBe(KEY);
  });

  it('"Allow command-line access" writes master.key 0600 so the CLI opens the store itself; off removes it', async () => {
    const path = dataDir();
    const app = await startApp(path, REAL_KEYCHAIN);
    await app.invoke('providers.create', { name: 'openai', type: 'openai', api_keys: [{ value: KEY }] });
    const on = await app.invoke('vault.setCliAccess', { enabled: true });
    expect(on.ok).toBe(true);
    expect(on.data.vault).toMatchObject({ cli_access: true, slots: ['os-keychain', 'keyfile'] });
    expect(statSync(join(path, 'master.key')).mode & 0o777).toBe(0o600);
    await quit(app);

    // The app is gone (no server.json): the CLI opens the store directly, with master.key.
    expect(existsSync(join(path, 'server.json'))).toBe(false);
    const direct = await runCli(['call', 'providers.get', '{"idOrName":"openai"}', '--data-dir', path]);
    expect(direct.stderr).toBe('');
    expect(JSON.parse(direct.stdout)).toMatchObject({ name: 'openai' });

    // The choice is remembered across starts, then turned off again.
    const again = await startApp(path, REAL_KEYCHAIN);
    expect((await again.invoke('app.info')).data.vault.cli_access).toBe(true);
    const off = await again.invoke('vault.setCliAccess', { enabled: false });
    expect(off.data.vault).toMatchObject({ cli_access: false, slots: ['os-keychain'] });
    expect(existsSync(join(path, 'master.key'))).toBe(false);
    expect(storedSlots(path)).toEqual(['os-keychain']);
    expect(await again.invoke('vault.setCliAccess', { enabled: 'yes' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('is a desktop setting only: no HTTP route, and the API token cannot turn it on', async () => {
    const path = dataDir();
    const app = await startApp(path, REAL_KEYCHAIN);
    const token = readFileSync(join(path, 'api-token'), 'utf8').trim();
    const response = await fetch(`${app.shell.server!.url}/api/v1/vault/cli-access`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    expect(response.status).toBe(404);
    expect(existsSync(join(path, 'master.key'))).toBe(false);
  });

  it('lets the CLI work through the running app when it cannot open the store (list, show, test --all)', async () => {
    const path = dataDir();
    const app = await startApp(path, REAL_KEYCHAIN);
    await app.invoke('providers.create', { name: 'openai', type: 'openai', enabled: false, api_keys: [{ value: KEY }] });
    const serverFile = join(path, 'server.json');
    expect(JSON.parse(readFileSync(serverFile, 'utf8'))).toEqual({
      url: app.shell.server!.url,
      port: app.shell.server!.port,
      pid: process.pid,
    });
    expect(statSync(serverFile).mode & 0o777).toBe(0o600);

    const list = await runCli(['list', '--data-dir', path]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^openai\s+openai\s+no\s+untested\s+1\s/m);

    const show = await runCli(['call', 'providers.get', '{"idOrName":"openai"}', '--data-dir', path]);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'openai', api_keys: [{ name: 'key-1', masked: 'sk-k...cdef' }] });
    expect(show.stdout).not.toContain(KEY);

    // Errors keep their code and fields; a streaming operation streams; an IPC-only one says where it works.
    const missing = await runCli(['call', 'providers.get', '{"idOrName":"nope"}', '--data-dir', path]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope/);
    const testAll = await runCli(['test', '--all', '--data-dir', path]);
    expect(testAll.stdout).toContain('0 passed, 0 failed of 0 providers');
    const copy = await runCli(['call', 'keys.copy', '{"idOrName":"openai","keyId":"key-1"}', '--data-dir', path]);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain('works only inside the desktop app');
    const created = await runCli(['call', 'providers.create', '-', '--data-dir', path], {}, JSON.stringify({ name: 'groq', type: 'groq' }));
    expect(created.code).toBe(0);
    expect(app.shell.desk.providers.get('groq').type).toBe('groq');

    await quit(app);
    expect(existsSync(serverFile)).toBe(false);
  });

  it('without the app running, the CLI and serve say what to do', async () => {
    const path = dataDir();
    const app = await startApp(path, REAL_KEYCHAIN);
    await quit(app);
    for (const args of [['list'], ['call', 'providers.list']]) {
      const run = await runCli([...args, '--data-dir', path]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`The vault in ${path} is kept only in the desktop app's OS keychain, and the app is not running`);
      expect(run.stderr).toContain('Start Provider Desk');
      expect(run.stderr).toContain('"Allow command-line access"');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const serve = await runCli(['serve', '--port', '0', '--data-dir', path]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('so `serve` cannot decrypt it');
    expect(serve.stderr).toContain('"Allow command-line access"');
    // Nothing was added on the way: still no key file, no keyfile slot.
    expect(existsSync(join(path, 'master.key'))).toBe(false);
    expect(storedSlots(path)).toEqual(['os-keychain']);
  });

  it('treats a server.json left by a crashed app as no app at all', async () => {
    const path = dataDir();
    const app = await startApp(path, REAL_KEYCHAIN);
    const entry = JSON.parse(readFileSync(join(path, 'server.json'), 'utf8'));
    await quit(app);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(path, 'server.json'), JSON.stringify({ ...entry, pid: gone }), { mode: 0o600 });
    const run = await runCli(['list', '--data-dir', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the app is not running');
  });
});

describe('the CLI remote dispatcher derives each request from the contract', () => {
  it('maps path parameters, the revision (If-Match), the query and the body as the native routes read them', async () => {
    expect(remoteRequest('providers.update', { idOrName: 'my provider', revision: 3, display_name: 'X' })).toEqual({
      method: 'PATCH',
      path: '/api/v1/providers/my%20provider',
      headers: { accept: 'application/json', 'if-match': '"3"', 'content-type': 'application/json' },
      body: '{"display_name":"X"}',
    });
    expect(remoteRequest('providers.list', { type: ['openai', 'groq'], limit: 5, search: undefined }).path).toBe(
      '/api/v1/providers?type=openai%2Cgroq&limit=5',
    );
    expect(remoteRequest('providers.testAll', {}).headers.accept).toBe('application/x-ndjson');
  });

  it('returns the server answers as the local dispatcher would: data, coded errors, stale revisions', async () => {
    const t = await startTestServer();
    try {
      const remote = createRemoteDispatch(t.url, t.token);
      const ctx = { transport: 'cli' as const };
      const created = await remote('providers.create', { name: 'openai', type: 'openai', api_keys: [{ value: KEY }] }, ctx);
      expect(created).toMatchObject({ ok: true, data: { name: 'openai', revision: 1 } });
      const updated = await remote('providers.update', { idOrName: 'openai', revision: 1, display_name: 'Work' }, ctx);
      expect(updated).toMatchObject({ ok: true, data: { display_name: 'Work', revision: 2 } });
      expect(await remote('providers.update', { idOrName: 'openai', revision: 1, display_name: 'Old' }, ctx)).toMatchObject({
        ok: false,
        error: { code: 'precondition_failed' },
      });
      expect(await remote('providers.create', { name: 'Bad Name', type: 'openai' }, ctx)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed', fields: [{ path: 'name' }] },
      });
      expect(await createRemoteDispatch(t.url, 'pd_wrong')('providers.list', {}, ctx)).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      });
    } finally {
      await t.close();
    }
  });
});
