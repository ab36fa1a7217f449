/**
 * The stores the figures read, made once per run and kept in one temp dir until it ends: 10,000 providers written
 * through the service (as an import writes them), and 100,000 made from that store by adding 90,000 more rows through
 * SQL — each a full row like the service writes (own id, name, keys sealed by the vault under their own ids, masks,
 * config hash), in one transaction with the indexes built after the rows, which takes seconds where the service takes
 * half a minute. Floors get copies of a
 * store's SQLite file, so their indexes never help ours.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Desk } from '../../src-main/core/desk.js';
import { providerConfigHash } from '../../src-main/core/service/codec.js';
import { keyValueAad, providerSecretsAad } from '../../src-main/core/service/provider-writer.js';
import { maskParts } from '../../src-main/core/service/masking.js';
import { DB_FILE } from '../../src-main/core/store/database.js';
import type { KeyRow, ProviderRow } from '../../src-main/core/store/rows.js';
import { benchProviderInput, log, openBenchDesk, seedProviders, tempDir, timed } from './lib.js';

/** How many providers the service writes; the rest are copies of these rows with their own names, ids and keys. */
const THROUGH_SERVICE = 10_000;

let root: { path: string; remove(): void } | undefined;
const stores = new Map<number, Promise<string>>();
const floorCopies = new Map<number, Promise<string>>();

function runDir(): string {
  root ??= tempDir('pd-bench-run-');
  return root.path;
}

/** Removes every store of this run. */
export function removeDatasets(): void {
  root?.remove();
  root = undefined;
  stores.clear();
  floorCopies.clear();
}

/** A fresh, empty data dir inside this run's temp dir. */
export function freshDataDir(name: string): string {
  const dir = join(runDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The data dir of a store with `count` bench providers (10,000 or more, a multiple of 10,000). */
export function store(count: number): Promise<string> {
  let made = stores.get(count);
  if (!made) {
    made = makeStore(count);
    stores.set(count, made);
  }
  return made;
}

/** A copy of that store's SQLite file for a floor to add its own indexes to. */
export function floorCopy(count: number): Promise<string> {
  let made = floorCopies.get(count);
  if (!made) {
    made = store(count).then((dir) => {
      const file = join(runDir(), `floor-${count}.sqlite`);
      copyFileSync(join(dir, DB_FILE), file);
      return file;
    });
    floorCopies.set(count, made);
  }
  return made;
}

async function makeStore(count: number): Promise<string> {
  if (count < THROUGH_SERVICE || count % THROUGH_SERVICE !== 0)
    throw new Error(`a bench store holds a multiple of ${THROUGH_SERVICE} providers`);
  const dir = join(runDir(), `store-${count}`);
  if (count === THROUGH_SERVICE) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const desk = openBenchDesk(dir);
    const { ms } = await timed(() => seedProviders(desk, count));
    await desk.close();
    log(`store: ${count} providers through the service in ${(ms / 1000).toFixed(1)} s`);
    return dir;
  }
  copyDataDir(await store(THROUGH_SERVICE), dir);
  const desk = openBenchDesk(dir);
  const { ms } = await timed(() => addCopies(desk, THROUGH_SERVICE, count));
  await desk.close();
  log(`store: ${count - THROUGH_SERVICE} more providers (to ${count}) in ${(ms / 1000).toFixed(1)} s`);
  return dir;
}

/** The store and its key file, private to this user as the Desk requires. */
function copyDataDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(from)) {
    if (!statSync(join(from, name)).isFile() || name.endsWith('-wal') || name.endsWith('-shm')) continue;
    copyFileSync(join(from, name), join(to, name));
    chmodSync(join(to, name), 0o600);
  }
}

/** Columns an INSERT may name (generated and hidden columns left out), read from the schema as it is now. */
function insertableColumns(desk: Desk, table: string, except: string[]): string[] {
  const columns = desk.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo('${table}')`).all() as Array<{
    name: string;
    hidden: number;
  }>;
  return columns.filter((c) => c.hidden === 0 && !except.includes(c.name)).map((c) => c.name);
}

function insertStatement(desk: Desk, table: string, columns: string[]) {
  return desk.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
}

/**
 * Providers [from, to): provider i copies the row of provider i mod `from` (same type, same number of keys) with
 * bench provider i's name, display name, description and key values.
 */
function addCopies(desk: Desk, from: number, to: number): void {
  const templates = desk.db.prepare('SELECT * FROM providers ORDER BY seq LIMIT ?').all(from) as ProviderRow[];
  templates.forEach((row, i) => {
    if (row.name !== benchProviderInput(i).name)
      throw new Error(`the bench store's row ${row.seq} is ${row.name}, not bench provider ${i}`);
  });
  const first = templates[0] as ProviderRow;
  if (providerConfigHash(first) !== first.config_hash)
    throw new Error('the config hash of a copied provider would not be the one the service computes');
  const keysByProvider = new Map<string, KeyRow[]>();
  for (const key of desk.db.prepare('SELECT * FROM api_keys ORDER BY provider_id, position').all() as KeyRow[]) {
    const list = keysByProvider.get(key.provider_id) ?? [];
    list.push(key);
    keysByProvider.set(key.provider_id, list);
  }
  const providerColumns = insertableColumns(desk, 'providers', ['seq']);
  const keyColumns = insertableColumns(desk, 'api_keys', []);
  const insertProvider = insertStatement(desk, 'providers', providerColumns);
  const insertKey = insertStatement(desk, 'api_keys', keyColumns);
  const pick = (row: Record<string, unknown>, columns: string[]) => Object.fromEntries(columns.map((c) => [c, row[c]]));
  // Random ids land all over the id indexes: with SQLite's default 2 MB page cache every insert would read pages back.
  desk.db.pragma('cache_size = -262144');
  desk.db.transaction(() => {
    const rebuild = withoutIndexes(desk);
    for (let i = from; i < to; i++) {
      const template = templates[i % from] as ProviderRow;
      const input = benchProviderInput(i);
      const now = new Date().toISOString();
      const id = randomUUID();
      const secrets = template.secrets
        ? desk.vault.sealText(desk.vault.openText(template.secrets, providerSecretsAad(template.id)), providerSecretsAad(id))
        : null;
      const row: ProviderRow = {
        ...template,
        id,
        name: input.name,
        display_name: input.display_name ?? '',
        description: input.description ?? '',
        secrets,
        created_at: now,
        updated_at: now,
      };
      row.config_hash = providerConfigHash(row);
      insertProvider.run(pick(row as unknown as Record<string, unknown>, providerColumns));
      const keys = keysByProvider.get(template.id) ?? [];
      const values = input.api_keys ?? [];
      if (keys.length !== values.length) throw new Error(`bench provider ${i} has ${values.length} keys, its template ${keys.length}`);
      keys.forEach((key, k) => {
        if (key.key_config_secrets) throw new Error('a copied key would keep secrets sealed under its template key id');
        const value = (values[k] as { value: string }).value;
        const keyId = randomUUID();
        const mask = maskParts(value);
        const copy: KeyRow = {
          ...key,
          id: keyId,
          provider_id: id,
          secret_sealed: desk.vault.sealText(value, keyValueAad(keyId)),
          mask_head: mask.head,
          mask_tail: mask.tail,
          secret_length: mask.length,
          created_at: now,
          updated_at: now,
        };
        insertKey.run(pick(copy as unknown as Record<string, unknown>, keyColumns));
      });
    }
    rebuild();
  })();
}

/**
 * Bulk inserts go several times faster into bare tables: drops the indexes and triggers of the two tables (their SQL
 * read from the schema, as the migrations wrote it) and returns what puts them back and rebuilds every FTS5 table kept
 * from providers — the store ends with the same schema, indexes and search contents as one written row by row.
 */
function withoutIndexes(desk: Desk): () => void {
  const objects = desk.db
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('providers', 'api_keys') AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .all() as Array<{ type: 'index' | 'trigger'; name: string; sql: string }>;
  const searchTables = (
    desk.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string; sql: string }>
  )
    .filter((t) => /USING\s+fts5/i.test(t.sql) && /content\s*=\s*['"]?providers['"]?/i.test(t.sql))
    .map((t) => t.name);
  for (const object of objects) desk.db.exec(`DROP ${object.type.toUpperCase()} "${object.name}"`);
  return () => {
    for (const object of objects) desk.db.exec(object.sql);
    for (const table of searchTables) desk.db.exec(`INSERT INTO "${table}" ("${table}") VALUES ('rebuild')`);
  };
}
