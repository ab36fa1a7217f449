import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, migrate, DB_FILE } from '../../src-main/core/store/database.js';
import { MIGRATIONS } from '../../src-main/core/store/migrations/index.js';
import { tempDir } from '../helpers/desk.js';

describe('store', () => {
  it('migrates an empty file to the latest schema with WAL and foreign keys on', () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['providers', 'api_keys', 'models', 'check_results', 'meta', 'key_slots']));
    db.close();
    dir.remove();
  });

  it('runs each migration once: reopening changes nothing', () => {
    const dir = tempDir();
    openDatabase(dir.path).close();
    const db = new Database(join(dir.path, DB_FILE));
    expect(migrate(db)).toBe(MIGRATIONS.length);
    db.close();
    dir.remove();
  });

  it('refuses a data dir written by a newer schema', () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openDatabase(dir.path)).toThrow(/newer Provider Desk/);
    dir.remove();
  });

  it('cascades: deleting a provider deletes its keys, models and checks', () => {
    const dir = tempDir();
    const db = openDatabase(dir.path);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO providers (id, name, type, network_config, proxy_config, concurrency, config_hash, created_at, updated_at) VALUES ('p1', 'a', 'openai', '{}', '{}', '{}', 'h', ?, ?)`,
    ).run(now, now);
    db.prepare(`INSERT INTO api_keys (id, provider_id, position, name, created_at, updated_at) VALUES ('k1', 'p1', 0, 'key-1', ?, ?)`).run(
      now,
      now,
    );
    db.prepare(`INSERT INTO models (provider_id, model_id, display_name, fetched_at) VALUES ('p1', 'm', 'm', ?)`).run(now);
    db.prepare('DELETE FROM providers WHERE id = ?').run('p1');
    expect(db.prepare('SELECT COUNT(*) AS n FROM api_keys').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM models').get()).toEqual({ n: 0 });
    db.close();
    dir.remove();
  });
});
