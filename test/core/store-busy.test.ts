import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { DB_FILE, openDatabase } from '../../src-main/core/store/database.js';
import { retryWhileBusy, UI_BUSY_TIMEOUT_MS } from '../../src-main/core/store/busy-retry.js';
import { DeskError, ERROR_CODES } from '../../src-main/core/contract/errors.js';

const HOLD_MS = 3000;
const MAX_STALL_MS = 100;

/** Another process (as `provider-desk import` would) that takes the store's write lock, holds it, then commits. */
function holdWriteLock(dataDir: string, holdMs: number): { child: ChildProcess; locked: Promise<void>; released: Promise<number> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO meta (key, value) VALUES ('lock-holder', 'x') ON CONFLICT(key) DO UPDATE SET value = 'y'").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, join(dataDir, DB_FILE), String(holdMs)], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let onLocked: () => void = () => undefined;
  let onReleased: (at: number) => void = () => undefined;
  const locked = new Promise<void>((resolve) => (onLocked = resolve));
  const released = new Promise<number>((resolve) => (onReleased = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('locked\n')) onLocked();
    if (output.includes('released\n')) onReleased(Date.now());
  });
  return { child, locked, released };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

describe('a store locked by another process', () => {
  it('does not stall the app’s event loop, and its writes land once the lock is released', async () => {
    const dir = tempDir();
    // The shell's settings: a short busy timeout once open.
    const desk = openTestDesk({ dataDir: dir.path, busyTimeoutMs: UI_BUSY_TIMEOUT_MS });
    const created = desk.providers.create({ name: 'edited-during-import', type: 'openai' });
    expect(desk.db.pragma('busy_timeout', { simple: true })).toBe(UI_BUSY_TIMEOUT_MS);

    const holder = holdWriteLock(dir.path, HOLD_MS);
    children.push(holder.child);
    await holder.locked;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const update = desk.dispatch(
      'providers.update',
      { idOrName: created.id, revision: created.revision, description: 'during' },
      { transport: 'ipc' },
    );
    // Reads do not wait for the writer (WAL), and are served meanwhile.
    const read = await desk.dispatch('providers.get', { idOrName: created.id }, { transport: 'ipc' });
    expect(read.ok).toBe(true);
    let settled = false;
    void update.then(() => (settled = true));
    await sleep(HOLD_MS / 2);
    // Still waiting for the lock, with timers running meanwhile.
    expect(settled).toBe(false);
    const result = await update;
    delay.disable();
    await holder.released;

    expect(delay.max / 1e6).toBeLessThan(MAX_STALL_MS);
    expect(result).toMatchObject({ ok: true, data: { description: 'during', revision: created.revision + 1 } });
    await desk.close();
    dir.remove();
  }, 20_000);

  it('gives up with store_busy (503) when the lock outlasts the wait', async () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    db.pragma('busy_timeout = 0');
    const holder = holdWriteLock(dir.path, 5000);
    children.push(holder.child);
    await holder.locked;

    let tries = 0;
    const failure = await retryWhileBusy(() => {
      tries++;
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
    }, 300).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DeskError);
    expect(failure).toMatchObject({ code: 'store_busy', status: 503 });
    expect((failure as DeskError).message).toMatch(/write lock/);
    expect(ERROR_CODES.store_busy).toBe(503);
    expect(tries).toBeGreaterThan(1);
    db.close();
    dir.remove();
  });

  it('lets other errors through at once', async () => {
    let tries = 0;
    const failure = await retryWhileBusy(() => {
      tries++;
      throw new Database.SqliteError('constraint', 'SQLITE_CONSTRAINT');
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(tries).toBe(1);
  });
});
