/**
 * StrictModes for the data dir: a data dir, master.key, SQLite file or api-token that another account could read,
 * replace or have planted is refused with the file and the command that fixes it, instead of being used silently.
 *
 * The ownership rule (documented in src-main/core/data-dir-permissions.ts): every file must belong to the current uid,
 * root included; the data dir must belong to the current uid, except that root may use a data dir owned by anyone.
 * These tests run as root, so "another account" is uid 65534 (nobody), by chown or by running the CLI as that uid.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { BIN, runCli, type CliRun } from '../helpers/cli.js';
import { DeskError } from '../../src-main/core/contract/errors.js';
import { assertPrivateDataDir } from '../../src-main/core/data-dir-permissions.js';
import { PRIVATE_FILES } from '../../src-main/core/desk.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const dirs: Array<{ remove(): void }> = [];

function dataDir(): string {
  const dir = tempDir('pd-strict-');
  dirs.push(dir);
  return dir.path;
}

/** A data dir as a first run leaves it: store, master.key and api-token written. */
async function populated(): Promise<string> {
  const path = dataDir();
  const desk = openTestDesk({ dataDir: path });
  desk.token.ensureFile();
  await desk.close();
  return path;
}

function refusal(open: () => unknown): DeskError {
  try {
    open();
  } catch (error) {
    if (error instanceof DeskError) return error;
    throw error;
  }
  throw new Error('the data dir was opened');
}

afterEach(() => {
  while (dirs.length > 0) dirs.pop()!.remove();
});

describe.runIf(process.platform !== 'win32')('strict data dir (StrictModes)', () => {
  it('refuses a data dir writable by its group, naming it and the chmod that fixes it', async () => {
    const path = await populated();
    chmodSync(path, 0o770);
    const error = refusal(() => openTestDesk({ dataDir: path }));
    expect(error.code).toBe('insecure_permissions');
    expect(error.message).toContain(`The data dir ${path} is writable by its group (mode 0770)`);
    expect(error.message).toContain(`Fix: chmod 700 ${path}`);
    chmodSync(path, 0o700);
    await openTestDesk({ dataDir: path }).close();
  });

  it('refuses a data dir writable by others (mode 0777) before creating anything in it', () => {
    const path = dataDir();
    chmodSync(path, 0o777);
    const error = refusal(() => openTestDesk({ dataDir: path }));
    expect(error.message).toMatch(/writable by its group and others \(mode 0777\).*Fix: chmod 700/);
    expect(readdirSync(path)).toEqual([]);
  });

  it('refuses a master.key readable by others (0644), naming the file and chmod 600', async () => {
    const path = await populated();
    const key = join(path, 'master.key');
    chmodSync(key, 0o644);
    const error = refusal(() => openTestDesk({ dataDir: path }));
    expect(error.code).toBe('insecure_permissions');
    expect(error.message).toContain(`${key} is readable by its group and others (mode 0644)`);
    expect(error.message).toContain(`Fix: chmod 600 ${key}`);
  });

  it('refuses the SQLite file and api-token when other accounts can read or write them', async () => {
    for (const [name, mode, access] of [
      ['provider-desk.sqlite', 0o644, 'readable by its group and others'],
      ['api-token', 0o640, 'readable by its group'],
      ['api-token', 0o602, 'writable by others'],
    ] as const) {
      const path = await populated();
      chmodSync(join(path, name), mode);
      const error = refusal(() => openTestDesk({ dataDir: path }));
      expect(error.message, name).toContain(`${join(path, name)} is ${access}`);
      expect(error.message, name).toContain(`chmod 600 ${join(path, name)}`);
    }
  });

  it.runIf(isRoot)('refuses a master.key owned by another account, even when running as root', async () => {
    const path = await populated();
    const key = join(path, 'master.key');
    chownSync(key, NOBODY, NOBODY);
    const error = refusal(() => openTestDesk({ dataDir: path }));
    expect(error.code).toBe('insecure_permissions');
    expect(error.message).toContain(`${key} belongs to another account (uid ${NOBODY}), not to root (uid 0)`);
    expect(error.message).toContain(`Fix: chown root ${key}`);
  });

  it.runIf(isRoot)('refuses a database planted by another account, even for root', async () => {
    const path = await populated();
    chownSync(join(path, 'provider-desk.sqlite'), NOBODY, NOBODY);
    expect(refusal(() => openTestDesk({ dataDir: path })).message).toContain(`belongs to another account (uid ${NOBODY})`);
  });

  it.runIf(isRoot)('lets root use a data dir owned by another account (a container volume), with files of its own', async () => {
    const path = await populated();
    chownSync(path, NOBODY, NOBODY);
    const desk = openTestDesk({ dataDir: path });
    expect(desk.vault.slots).toEqual(['keyfile']);
    await desk.close();
  });

  it('refuses a data dir owned by another account for anyone but root', async () => {
    const path = await populated();
    const owner = statSync(path).uid;
    const other = owner === NOBODY ? 1000 : NOBODY;
    expect(() => assertPrivateDataDir(path, PRIVATE_FILES, { uid: other })).toThrow(
      new RegExp(`The data dir ${path} belongs to another account \\(uid ${owner}\\).*Fix: sudo chown -R ${other} ${path}`),
    );
    // The same dir is fine for its owner.
    assertPrivateDataDir(path, PRIVATE_FILES, { uid: owner });
  });

  it('refuses a master.key that is a symbolic link (it could point anywhere)', async () => {
    const path = await populated();
    const elsewhere = join(dataDir(), 'key');
    writeFileSync(elsewhere, 'a'.repeat(64), { mode: 0o600 });
    const key = join(path, 'master.key');
    rmSync(key);
    symlinkSync(elsewhere, key);
    expect(refusal(() => openTestDesk({ dataDir: path })).message).toContain(`${key} is a symbolic link`);
  });

  it('skips the mode checks on Windows, which has no POSIX modes', async () => {
    const path = await populated();
    chmodSync(path, 0o777);
    expect(() => assertPrivateDataDir(path, PRIVATE_FILES, { platform: 'win32' })).not.toThrow();
  });

  it('creates a new data dir 0700 and every file in it 0600, preferences.json included, whatever the umask', async () => {
    const path = join(dataDir(), 'nested', 'provider-desk');
    const umask = process.umask(0);
    try {
      const desk = openTestDesk({ dataDir: path, logger: undefined });
      desk.token.ensureFile();
      const set = await desk.dispatch('preferences.update', { theme: 'dark' }, { transport: 'ipc' });
      expect(set.ok).toBe(true);
      desk.logger.info('opened');
      const entries = readdirSync(path, { recursive: true, withFileTypes: true });
      expect(entries.map((e) => e.name)).toEqual(
        expect.arrayContaining(['master.key', 'provider-desk.sqlite', 'api-token', 'preferences.json', 'provider-desk.log']),
      );
      for (const entry of entries) {
        expect(statSync(join(entry.parentPath, entry.name)).mode & 0o777, entry.name).toBe(entry.isDirectory() ? 0o700 : 0o600);
      }
      expect(statSync(path).mode & 0o777).toBe(0o700);
      expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
      await desk.close();
    } finally {
      process.umask(umask);
    }
  });

  it('makes the CLI print the fix and exit non-zero, without a stack trace', async () => {
    const path = await populated();
    chmodSync(join(path, 'master.key'), 0o644);
    const run = await runCli(['list', '--data-dir', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`provider-desk: ${join(path, 'master.key')} is readable by its group and others (mode 0644)`);
    expect(run.stderr).toContain(`Fix: chmod 600 ${join(path, 'master.key')}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);

    chmodSync(join(path, 'master.key'), 0o600);
    chmodSync(path, 0o775);
    const serve = await runCli(['serve', '--port', '0', '--data-dir', path]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(`Fix: chmod 700 ${path}`);
  });

  it.runIf(isRoot)('makes the CLI, run by another account, refuse a data dir it does not own', async () => {
    const path = await populated();
    chmodSync(path, 0o755);
    const run = await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'list', '--data-dir', path], {
        uid: NOBODY,
        gid: NOBODY,
        env: { ...process.env, HOME: '/tmp' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The data dir ${path} belongs to another account (uid 0)`);
    expect(run.stderr).toMatch(/Fix: sudo chown -R \S+ /);
  });
});
