// The store version (store/store-version.ts) is what every cache compares — the page cache, the fast path, the API
// token. It reads the WAL index header (store/wal-index-header.ts) to skip asking SQLite while nothing was committed,
// so these tests hold it to the one promise that matters: any commit, by this connection, another connection or
// another process, changes it before the next call returns; nothing else does.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase, type Db } from '../../src-main/core/store/database.js';
import { StoreVersion } from '../../src-main/core/store/store-version.js';
import { WalIndexHeader } from '../../src-main/core/store/wal-index-header.js';
import { tempDir } from '../helpers/desk.js';

let dir: ReturnType<typeof tempDir>;
let db: Db;
let other: Db;
let version: StoreVersion;
/** How often the version asked SQLite for data_version: the costly read it skips while nothing was committed. */
let dataVersionReads: number;

/** `db` as StoreVersion sees it, counting the data_version reads it prepares. */
function counted(database: Db): Db {
  return new Proxy(database, {
    get(target, property) {
      if (property !== 'prepare') {
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return (sql: string) => {
        const statement = target.prepare(sql);
        if (!sql.includes('data_version')) return statement;
        const countingStatement: typeof statement = new Proxy(statement, {
          get(inner, name) {
            const value = Reflect.get(inner, name, inner) as unknown;
            if (name === 'get') return (...args: unknown[]) => (dataVersionReads++, inner.get(...args));
            // pluck() returns the statement itself: the counting one.
            if (name === 'pluck') return (...args: [boolean?]) => (inner.pluck(...args), countingStatement);
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
          },
        });
        return countingStatement;
      };
    },
  });
}

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir.path);
  db.exec('CREATE TABLE IF NOT EXISTS probe_rows (id INTEGER PRIMARY KEY, value TEXT)');
  other = new Database(join(dir.path, DB_FILE));
  dataVersionReads = 0;
  version = new StoreVersion(counted(db));
});
afterEach(() => {
  version.close();
  other.close();
  db.close();
  dir.remove();
});

describe('the store version', () => {
  it('stays the same, without asking SQLite again, while nothing is committed', () => {
    const first = version.current();
    const reads = dataVersionReads;
    expect(reads).toBe(1);
    for (let i = 0; i < 50; i++) expect(version.current()).toBe(first);
    expect(dataVersionReads).toBe(reads);
    // Reads by anyone change nothing.
    other.prepare('SELECT count(*) FROM probe_rows').get();
    db.prepare('SELECT count(*) FROM probe_rows').get();
    expect(version.current()).toBe(first);
    expect(dataVersionReads).toBe(reads);
  });

  it('changes with every commit of this connection: a single statement and a transaction', () => {
    const before = version.current();
    db.prepare("INSERT INTO probe_rows (value) VALUES ('a')").run();
    const afterInsert = version.current();
    expect(afterInsert).not.toBe(before);
    db.transaction(() => db.prepare("UPDATE probe_rows SET value = 'b'").run())();
    expect(version.current()).not.toBe(afterInsert);
  });

  it("changes inside this connection's write as soon as it wrote, and with a commit after a rolled-back write", () => {
    const before = version.current();
    const seen: string[] = [];
    try {
      db.transaction(() => {
        db.prepare("INSERT INTO probe_rows (value) VALUES ('uncommitted')").run();
        seen.push(version.current());
        throw new Error('roll back');
      })();
    } catch {
      // rolled back on purpose
    }
    expect(seen[0]).not.toBe(before);
    const afterRollback = version.current();
    db.prepare("INSERT INTO probe_rows (value) VALUES ('committed')").run();
    const afterCommit = version.current();
    expect([before, seen[0], afterRollback]).not.toContain(afterCommit);
  });

  it("changes with another connection's commit, also after it checkpointed and restarted the WAL", () => {
    const seen = new Set([version.current()]);
    other.prepare("INSERT INTO probe_rows (value) VALUES ('x')").run();
    const afterOther = version.current();
    expect(seen.has(afterOther)).toBe(false);
    seen.add(afterOther);
    other.pragma('wal_checkpoint(TRUNCATE)');
    // Same frame count as before the restart is possible; the header still moves.
    other.prepare("INSERT INTO probe_rows (value) VALUES ('y')").run();
    const afterRestart = version.current();
    expect(seen.has(afterRestart)).toBe(false);
    seen.add(afterRestart);
    for (let i = 0; i < 20; i++) {
      other.prepare('INSERT INTO probe_rows (value) VALUES (?)').run(`z${i}`);
      const now = version.current();
      expect(seen.has(now), `commit ${i}`).toBe(false);
      seen.add(now);
    }
  });

  it("changes with another process's commit", () => {
    const before = version.current();
    const script = `
      const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(join(dir.path, DB_FILE))});
      db.prepare("INSERT INTO probe_rows (value) VALUES ('from another process')").run();
      db.close();`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(version.current()).not.toBe(before);
  });

  it('inside sharing() reads once and still sees a write of this connection', () => {
    version.sharing(() => {
      const first = version.current();
      expect(version.current()).toBe(first);
      db.prepare("INSERT INTO probe_rows (value) VALUES ('inside')").run();
      expect(version.current()).not.toBe(first);
    });
  });

  it('asks SQLite every time once it no longer follows the WAL index, and is still right', () => {
    version.close();
    const before = version.current();
    const reads = dataVersionReads;
    expect(version.current()).toBe(before);
    expect(dataVersionReads).toBe(reads + 1);
    other.prepare("INSERT INTO probe_rows (value) VALUES ('x')").run();
    expect(version.current()).not.toBe(before);
  });
});

describe('the WAL index header', () => {
  it('has moved on the first read, not again until a commit, then once per commit', () => {
    const header = WalIndexHeader.open(join(dir.path, DB_FILE));
    expect(header).toBeDefined();
    expect(header?.moved()).toBe(true);
    expect(header?.moved()).toBe(false);
    other.prepare("INSERT INTO probe_rows (value) VALUES ('x')").run();
    expect(header?.moved()).toBe(true);
    expect(header?.moved()).toBe(false);
    header?.close();
    // Closed, it can no longer tell: always "moved".
    expect(header?.moved()).toBe(true);
  });

  it('is not there to follow for a store without a WAL index', () => {
    expect(WalIndexHeader.open(join(dir.path, 'no-such.sqlite'))).toBeUndefined();
    const memory = new Database(':memory:');
    const inMemory = new StoreVersion(memory);
    memory.exec('CREATE TABLE t (a)');
    const withTable = inMemory.current();
    memory.exec('INSERT INTO t VALUES (1)');
    expect(inMemory.current()).not.toBe(withTable);
    inMemory.close();
    memory.close();
  });
});
