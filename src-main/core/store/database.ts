import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';
import { DeskError } from '../contract/errors.js';
import { BUSY_WAIT_BUDGET_MS } from './busy-retry.js';

export type Db = Database.Database;

export const DB_FILE = 'provider-desk.sqlite';

/** Opens (creating if needed) the store in a data dir: WAL, foreign keys, a busy timeout for a second process, migrations. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DB_FILE);
  restrictToOwner(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    setBusyTimeout(db, BUSY_WAIT_BUDGET_MS);
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (error) {
    // A store this version cannot use (newer schema, busy, damaged) is not left open behind the error.
    db.close();
    throw error;
  }
  return db;
}

/**
 * How long SQLite blocks the thread waiting for another process's lock: the full wait for the CLI and while opening,
 * a short one for the desktop app once open, whose dispatcher waits the rest asynchronously (see busy-retry.ts).
 */
export function setBusyTimeout(db: Db, ms: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
}

/**
 * The store holds names, URLs and masked keys: other users may not read it, whatever the data dir's mode.
 * SQLite gives the -wal and -shm files the database file's mode, so creating it 0600 covers all three.
 */
function restrictToOwner(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}

/** Runs each pending migration in its own immediate transaction, bumping user_version with it. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new DeskError(
      'store_too_new',
      `This data dir was written by a newer Provider Desk (schema ${current}; this version knows ${MIGRATIONS.length})`,
      { details: { schema: current, known: MIGRATIONS.length } },
    );
  }
  for (let index = current; index < MIGRATIONS.length; index++) {
    const step = MIGRATIONS[index];
    if (!step) break;
    db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now > index) return;
      db.exec(step.sql);
      db.pragma(`user_version = ${index + 1}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs `work` as one IMMEDIATE transaction (takes the write lock up front, so concurrent writers queue instead of failing). */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
