import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { chmodSync, closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/desk.js';
import { fakeElectron, type FakeElectronOptions } from '../helpers/fake-electron.js';
import { DB_FILE, openDatabase } from '../../src-main/core/store/database.js';
import { MIGRATIONS } from '../../src-main/core/store/migrations/index.js';
import { readServerFile } from '../../src-main/core/server-file.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead.
vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule);
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { runApp } = await import('../../src-main/shell/run-app.js');
const { STARTUP_FAILURE_TITLE, RUNTIME_FAILURE_TITLE } = await import('../../src-main/shell/startup-failure.js');

type Fake = ReturnType<typeof fakeElectron>;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(options: FakeElectronOptions = {}): { dir: string; fake: Fake } {
  delete process.env.PROVIDER_DESK_DATA_DIR;
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return { dir: dir.path, fake: fakeElectron(dir.path, options) };
}

/** The one error dialog the shell showed: its title, cause (message), fix (detail) and buttons. */
function shownDialog(fake: Fake) {
  expect(fake.deps.dialog.showMessageBox).toHaveBeenCalledTimes(1);
  return (
    fake.deps.dialog.showMessageBox.mock.calls[0] as unknown as [{ title: string; message: string; detail: string; buttons: string[] }]
  )[0];
}

/** The app let go of the single-instance lock and exited non-zero, without opening a window. */
function expectExitedAfterFailure(fake: Fake): void {
  expect(fake.calls.slice(-2)).toEqual(['releaseSingleInstanceLock', 'exit:1']);
  expect(fake.windows).toHaveLength(0);
  expect(fake.handlers.size).toBe(0);
}

/** A data dir whose vault key lives only in a real OS keychain (as the app with libsecret leaves it). */
async function keychainOnlyStore(dir: string): Promise<void> {
  const first = fakeElectron(dir, { backend: 'gnome_libsecret' });
  const running = (await startShell(first.deps as never))!;
  expect(running.desk.vault.slots).toEqual(['os-keychain']);
  await running.quit();
}

describe('startup failures end in a dialog that names the cause and the fix (stand-in electron module)', () => {
  it('takes the single-instance lock and registers its handler before anything that can fail', async () => {
    const { dir, fake } = setUp();
    const db = openDatabase(dir);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(await startShell(fake.deps as never)).toBeNull();
    const order = (step: string) => fake.calls.indexOf(step);
    expect(order('requestSingleInstanceLock')).toBe(0);
    expect(order('on:second-instance')).toBe(1);
    expect(order('on:second-instance')).toBeLessThan(order('whenReady'));
    expect(order('on:second-instance')).toBeLessThan(order('preferences'));
    // A second launch meanwhile finds a handler (and no window to raise) instead of nothing at all.
    expect(() => fake.emitApp('second-instance', [], dir)).not.toThrow();
    expectExitedAfterFailure(fake);
  });

  it('says the store was written by a newer version, with the store_too_new code underneath', async () => {
    const { dir, fake } = setUp();
    const db = openDatabase(dir);
    db.pragma(`user_version = ${MIGRATIONS.length + 3}`);
    db.close();
    expect(() => openDatabase(dir)).toThrow(expect.objectContaining({ code: 'store_too_new' }));

    expect(await startShell(fake.deps as never)).toBeNull();
    const dialog = shownDialog(fake);
    expect(dialog).toMatchObject({ title: STARTUP_FAILURE_TITLE, buttons: ['Open data folder', 'Quit'] });
    expect(dialog.message).toContain(`The store in ${dir} was written by a newer version of Provider Desk`);
    expect(dialog.message).toContain(`its schema is ${MIGRATIONS.length + 3}; this version knows ${MIGRATIONS.length}`);
    expect(dialog.detail).toMatch(/^Install that newer version of Provider Desk again/);
    expectExitedAfterFailure(fake);
  });

  it('says the OS keychain is locked or missing when the vault key is kept only there', async () => {
    const { dir } = setUp();
    await keychainOnlyStore(dir);
    const fake = fakeElectron(dir, { backend: 'gnome_libsecret', keychain: 'unavailable' });
    expect(await startShell(fake.deps as never)).toBeNull();
    const dialog = shownDialog(fake);
    expect(dialog.message).toMatch(/^The OS keychain is locked or not available/);
    expect(dialog.detail).toMatch(/^Unlock the keychain/);
    expectExitedAfterFailure(fake);
  });

  it('says the keychain did not give the key back when it refuses to decrypt', async () => {
    const { dir } = setUp();
    await keychainOnlyStore(dir);
    const fake = fakeElectron(dir, { backend: 'gnome_libsecret', keychain: 'locked' });
    expect(await startShell(fake.deps as never)).toBeNull();
    const dialog = shownDialog(fake);
    expect(dialog.message).toMatch(/^The OS keychain did not give back the key of Provider Desk's vault/);
    expect(dialog.detail).toMatch(/^Unlock the keychain/);
    expectExitedAfterFailure(fake);
  });

  it('refuses an insecure data dir with the command that fixes it', async () => {
    const { dir, fake } = setUp();
    chmodSync(dir, 0o777);
    expect(await startShell(fake.deps as never)).toBeNull();
    const dialog = shownDialog(fake);
    expect(dialog.message).toContain(`The data dir ${dir} is writable by its group and others`);
    expect(dialog.detail).toContain(`To fix it: chmod 700 ${dir}; then start Provider Desk again.`);
    expectExitedAfterFailure(fake);
  });

  it('says the store is damaged, and opens the data folder when asked', async () => {
    const { dir, fake } = setUp({ dialogResponse: 0 });
    writeFileSync(join(dir, DB_FILE), 'this is not an SQLite database, whatever its name says. '.repeat(40), { mode: 0o600 });
    expect(await startShell(fake.deps as never)).toBeNull();
    const dialog = shownDialog(fake);
    expect(dialog.message).toContain(`The store ${join(dir, DB_FILE)} is damaged (SQLite: file is not a database)`);
    expect(dialog.detail).toMatch(/^Move provider-desk\.sqlite \(with its -wal and -shm files\) out of the data dir/);
    expect(fake.deps.shell.openPath).toHaveBeenCalledWith(dir);
    expectExitedAfterFailure(fake);
  });

  it('says another Provider Desk process holds the store when it stays locked', async () => {
    const { dir, fake } = setUp();
    // Another process in the middle of a long write (an import): the store exists and is exclusively locked.
    closeSync(openSync(join(dir, DB_FILE), 'a', 0o600));
    const other = new Database(join(dir, DB_FILE));
    other.exec('CREATE TABLE busy (n INTEGER)');
    other.exec('BEGIN EXCLUSIVE');
    other.exec('INSERT INTO busy VALUES (1)');
    cleanups.push(() => void other.close());
    expect(await startShell(fake.deps as never)).toBeNull();
    const dialog = shownDialog(fake);
    expect(dialog.message).toContain(`Another Provider Desk process is holding the store in ${dir} (the database is locked)`);
    expect(dialog.detail).toMatch(/^Wait for it to finish, or stop it/);
    expectExitedAfterFailure(fake);
  });

  it('closes what it had opened when the start fails later (the window), and says so', async () => {
    const { dir, fake } = setUp();
    fake.deps.BrowserWindow = class {
      constructor() {
        throw new Error('The GPU process could not start');
      }
    } as never;
    expect(await startShell(fake.deps as never)).toBeNull();
    expect(shownDialog(fake).message).toBe('An unexpected error stopped the start: The GPU process could not start');
    // The server it had started is gone again, with its server.json.
    expect(readServerFile(dir)).toBeUndefined();
    expect(fake.calls.slice(-2)).toEqual(['releaseSingleInstanceLock', 'exit:1']);
  });

  it('quits silently when another instance holds the lock (that one shows its window)', async () => {
    const { fake } = setUp();
    fake.deps.app.requestSingleInstanceLock = vi.fn(() => false);
    expect(await startShell(fake.deps as never)).toBeNull();
    expect(fake.deps.app.quit).toHaveBeenCalled();
    expect(fake.deps.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(fake.calls).not.toContain('preferences');
  });
});

describe('errors nobody caught in the main process', () => {
  it('reports a start that rejects before `ready` in the error box, and exits', async () => {
    const { fake } = setUp();
    fake.deps.app.whenReady = () => Promise.reject(new Error('Electron could not initialise the display'));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const proc = new EventEmitter();
    expect(await runApp(fake.deps as never, proc as never)).toBeNull();
    expect(fake.deps.dialog.showErrorBox).toHaveBeenCalledWith(
      STARTUP_FAILURE_TITLE,
      expect.stringContaining('An unexpected error stopped the start: Electron could not initialise the display'),
    );
    expect(fake.calls.slice(-2)).toEqual(['releaseSingleInstanceLock', 'exit:1']);
  });

  it('reports an unhandled rejection once the app runs, closes the store and server, and exits', async () => {
    const { dir, fake } = setUp();
    const proc = new EventEmitter();
    const running = (await runApp(fake.deps as never, proc as never))!;
    expect(running).not.toBeNull();
    expect(proc.listenerCount('unhandledRejection')).toBe(1);
    expect(proc.listenerCount('uncaughtException')).toBe(1);
    expect(readServerFile(dir)?.port).toBe(running.server!.port);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    proc.emit('unhandledRejection', new Error('a promise nobody awaited failed'));
    // A second error while the first dialog is up is not a second dialog.
    proc.emit('uncaughtException', new Error('and then this'));
    await vi.waitFor(() => expect(fake.calls.at(-1)).toBe('exit:1'));
    expect(shownDialog(fake)).toMatchObject({ title: RUNTIME_FAILURE_TITLE, message: 'a promise nobody awaited failed' });
    expect(running.desk.db.open).toBe(false);
    expect(readServerFile(dir)).toBeUndefined();
    await expect(fetch(`${running.server!.url}/api/v1/health`)).rejects.toThrow();
  });
});
