import type { Statement } from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { Db } from './database.js';
import { writeTransaction } from './database.js';
import { SEARCH_INSERT_TRIGGER } from './migrations/0004-list-indexes.js';
import type { KeyRow, ModelRow, ProviderRow, StoredModelRow } from './rows.js';
import type { EditableKeySlotStore } from '../vault/vault.js';
import { inOrder, providerListSql, type ProviderQuery } from './provider-list-sql.js';
import { StoreVersion } from './store-version.js';
import { ModelStore } from './model-store.js';

// Moved out of this file, re-exported so callers keep importing them from the repository.
export { PROVIDER_SORT_COLUMNS, providerListSql } from './provider-list-sql.js';
export type { ProviderQuery, ProviderSortColumn } from './provider-list-sql.js';
export { placeholderModel } from './model-store.js';

/** What a listing prints of a provider: no JSON blobs, no sealed columns, its keys counted in SQL. */
export interface ProviderListRow {
  seq: number;
  name: string;
  type: string;
  enabled: number;
  health: string;
  base_url: string;
  key_count: number;
}

/** A provider named, not read: its id and name. */
export type ProviderRef = Pick<ProviderRow, 'id' | 'name'>;

/** A key row without its sealed blobs: everything an output may show. */
export type KeyView = Omit<KeyRow, 'secret_sealed' | 'key_config_secrets'>;

const CHECK_HISTORY = 20;

/** Every api_keys column except the sealed blobs: what outputs show. */
const KEY_VIEW_COLUMNS = `id, provider_id, position, name, secret_ref, mask_head, mask_tail, secret_length, enabled, weight, models,
  blacklisted_models, use_for_batch_api, key_config, status, last_check, created_at, updated_at`;

/** ORDER BY position, created_at, id (ids and timestamps are ASCII: code-unit order is SQLite's BINARY order). */
function byKeyOrder(a: KeyRow, b: KeyRow): number {
  if (a.position !== b.position) return a.position - b.position;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Below this many inserted providers the per-row search-index trigger costs less than a rebuild. */
const BULK_INSERT_MIN = 2000;

/**
 * The store's SQL, one entry point for the services: models in model-store.ts, list queries in provider-list-sql.ts,
 * the version in store-version.ts. Every write method is meant to run inside a transaction opened by the caller or itself.
 */
export class Repository implements EditableKeySlotStore {
  private readonly statements: StatementCache;
  private readonly storeVersion: StoreVersion;
  private readonly models: ModelStore;

  constructor(readonly db: Db) {
    this.statements = new StatementCache(db);
    this.storeVersion = new StoreVersion(db);
    this.models = new ModelStore(this.statements);
  }

  private statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  /** Changes whenever the store may have changed; equal values mean equal contents (StoreVersion.current). */
  version(): string {
    return this.storeVersion.current();
  }

  /** Lets go of what the version reads keep open; call before closing the database. */
  closeVersion(): void {
    this.storeVersion.close();
  }

  /** Runs `work` with version() read once and reused until this connection writes (StoreVersion.sharing). */
  sharingVersion<T>(work: () => T): T {
    return this.storeVersion.sharing(work);
  }

  transaction<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  /**
   * Runs `work`, which inserts many providers, inside the caller's transaction with the search index's insert trigger
   * off, then rebuilds the index from the table once: one bulk build instead of an FTS insert per row (half the time of
   * a 100k import). Worth it only when the rows inserted are many and not far fewer than those stored (a rebuild reads
   * them all): see insertsInBulk. A failure rolls the whole transaction back, trigger included.
   */
  insertingInBulk<T>(work: () => T): T {
    if (!this.db.inTransaction) throw new Error('insertingInBulk must run inside a transaction');
    this.db.exec('DROP TRIGGER IF EXISTS providers_search_insert');
    const result = work();
    this.db.exec(`INSERT INTO providers_search (providers_search) VALUES ('rebuild'); ${SEARCH_INSERT_TRIGGER}`);
    return result;
  }

  /** Whether inserting `count` providers is worth insertingInBulk: many, and at least half as many as are stored. */
  insertsInBulk(count: number): boolean {
    if (count < BULK_INSERT_MIN) return false;
    const { stored } = this.statement('SELECT COUNT(*) AS stored FROM providers').get() as { stored: number };
    return count * 2 >= stored;
  }

  // --- key slots and meta -------------------------------------------------
  listSlots(): Array<{ kind: string; wrapped: Buffer }> {
    return this.statement('SELECT kind, wrapped FROM key_slots ORDER BY created_at').all() as Array<{ kind: string; wrapped: Buffer }>;
  }

  putSlot(kind: string, wrapped: Buffer): void {
    this.statement(
      'INSERT INTO key_slots (kind, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT (kind) DO UPDATE SET wrapped = excluded.wrapped',
    ).run(kind, wrapped, new Date().toISOString());
  }

  deleteSlot(kind: string): void {
    this.statement('DELETE FROM key_slots WHERE kind = ?').run(kind);
  }

  getMeta(key: string): { value: string | null; sealed: Buffer | null } | undefined {
    return this.statement('SELECT value, sealed FROM meta WHERE key = ?').get(key) as
      { value: string | null; sealed: Buffer | null } | undefined;
  }

  setMeta(key: string, value: string | null, sealed: Buffer | null = null): void {
    this.statement(
      'INSERT INTO meta (key, value, sealed) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, sealed = excluded.sealed',
    ).run(key, value, sealed);
  }

  // --- providers ------------------------------------------------------------
  /** By id first, then by name: two single-index lookups, cheaper than one `id = ? OR name = ?` (a multi-index OR). */
  findProvider(idOrName: string): ProviderRow | undefined {
    return (this.statement('SELECT * FROM providers WHERE id = ?').get(idOrName) ??
      this.statement('SELECT * FROM providers WHERE name = ?').get(idOrName)) as ProviderRow | undefined;
  }

  findProviderByBaseUrl(baseUrl: string): ProviderRow | undefined {
    return this.statement('SELECT * FROM providers WHERE base_url = ? LIMIT 1').get(baseUrl) as ProviderRow | undefined;
  }

  allProviders(): ProviderRow[] {
    return this.statement('SELECT * FROM providers ORDER BY name').all() as ProviderRow[];
  }

  /** The enabled providers' ids and names, by name: what test-all walks (it reads each full row when its turn comes). */
  enabledProviderNames(): ProviderRef[] {
    return this.statement('SELECT id, name FROM providers WHERE enabled = 1 ORDER BY name').all() as ProviderRef[];
  }

  nameExists(name: string): boolean {
    return this.statement('SELECT 1 FROM providers WHERE name = ?').get(name) !== undefined;
  }

  /** Search, filter, sort and page in SQL; `total` counts the filtered rows before paging. */
  queryProviders(query: ProviderQuery): { rows: ProviderRow[]; total: number } {
    const sql = providerListSql(query);
    if (sql.searchFirst) {
      // The trigram index runs once: all matches' seqs in order give the total, and the page is looked up by seq.
      const seqs = this.statement(sql.seqs)
        .pluck()
        .all({ ...sql.params, limit: -1, offset: 0 }) as number[];
      const offset = query.offset ?? 0;
      const page = seqs.slice(offset, query.limit === undefined || query.limit < 0 ? undefined : offset + query.limit);
      return { rows: this.rowsBySeq(page), total: seqs.length };
    }
    const total = (this.statement(sql.count).get(sql.params) as { n: number }).n;
    const rows = this.statement(sql.page).all(sql.params) as ProviderRow[];
    return { rows, total };
  }

  /** These providers' rows, in the order given; providers deleted meanwhile are left out. */
  private rowsBySeq(seqs: number[]): ProviderRow[] {
    if (seqs.length === 0) return [];
    const rows = this.statement('SELECT * FROM providers WHERE seq IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(seqs),
    ) as ProviderRow[];
    return inOrder(seqs, rows);
  }

  /**
   * The seqs of every provider the query selects, in its order (limit and offset apply): what a long listing pages
   * through with listRows, without holding rows or a read transaction meanwhile.
   */
  providerSeqs(query: ProviderQuery): number[] {
    const sql = providerListSql(query);
    return this.statement(sql.seqs).pluck().all(sql.params) as number[];
  }

  /** The list rows of these providers, in the order given; providers deleted meanwhile are left out. */
  listRows(seqs: number[]): ProviderListRow[] {
    if (seqs.length === 0) return [];
    const rows = this.statement(
      `SELECT seq, name, type, enabled, health, base_url, (SELECT COUNT(*) FROM api_keys WHERE provider_id = providers.id) AS key_count
         FROM providers WHERE seq IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(seqs)) as ProviderListRow[];
    return inOrder(seqs, rows);
  }

  insertProvider(row: Omit<ProviderRow, 'seq'>): ProviderRow {
    const info = this.statement(
      `INSERT INTO providers (id, name, display_name, type, base_url, enabled, description, settings, secrets, network_config, proxy_config,
          concurrency, custom_provider_config, send_back_raw_request, send_back_raw_response, store_raw_request_response, health, status,
          state, last_check, models_status, models_error, config_hash, revision, created_at, updated_at)
         VALUES (@id, @name, @display_name, @type, @base_url, @enabled, @description, @settings, @secrets, @network_config, @proxy_config,
          @concurrency, @custom_provider_config, @send_back_raw_request, @send_back_raw_response, @store_raw_request_response, @health, @status,
          @state, @last_check, @models_status, @models_error, @config_hash, @revision, @created_at, @updated_at)`,
    ).run(row);
    return { ...row, seq: Number(info.lastInsertRowid) };
  }

  /** Writes every column; when `expectedRevision` is given the row must still have it (optimistic concurrency). */
  updateProvider(row: ProviderRow, expectedRevision: number): boolean {
    const info = this.statement(
      `UPDATE providers SET name = @name, display_name = @display_name, type = @type, base_url = @base_url, enabled = @enabled,
          description = @description, settings = @settings, secrets = @secrets, network_config = @network_config, proxy_config = @proxy_config,
          concurrency = @concurrency, custom_provider_config = @custom_provider_config, send_back_raw_request = @send_back_raw_request,
          send_back_raw_response = @send_back_raw_response, store_raw_request_response = @store_raw_request_response, health = @health, status = @status,
          state = @state, last_check = @last_check, models_status = @models_status, models_error = @models_error, config_hash = @config_hash,
          revision = @revision, updated_at = @updated_at
         WHERE id = @id AND revision = @expected`,
    ).run({ ...row, expected: expectedRevision });
    return info.changes === 1;
  }

  /**
   * Writes what a test decides about a provider (health, the deprecated status/state, the summary check, the model
   * list's status) and nothing else, so the sort and search indexes of its other columns are not rewritten; only
   * while the row still has `expectedRevision`.
   */
  updateProviderVerdict(
    row: Pick<ProviderRow, 'id' | 'health' | 'status' | 'state' | 'last_check' | 'models_status' | 'models_error'>,
    expectedRevision: number,
  ): boolean {
    const info = this.statement(
      `UPDATE providers SET health = @health, status = @status, state = @state, last_check = @last_check,
          models_status = @models_status, models_error = @models_error
         WHERE id = @id AND revision = @expected`,
    ).run({
      id: row.id,
      health: row.health,
      status: row.status,
      state: row.state,
      last_check: row.last_check,
      models_status: row.models_status,
      models_error: row.models_error,
      expected: expectedRevision,
    });
    return info.changes === 1;
  }

  deleteProvider(id: string): boolean {
    return this.statement('DELETE FROM providers WHERE id = ?').run(id).changes === 1;
  }

  // --- keys -----------------------------------------------------------------
  /** A provider's keys in order. Sorted here: SQLite's sorter for a handful of rows cost more than the lookup (test-all reads them twice per provider). */
  keysOf(providerId: string): KeyRow[] {
    return (this.statement('SELECT * FROM api_keys WHERE provider_id = ?').all(providerId) as KeyRow[]).sort(byKeyOrder);
  }

  keysOfMany(providerIds: string[]): Map<string, KeyRow[]> {
    const byProvider = new Map<string, KeyRow[]>(providerIds.map((id) => [id, []]));
    if (providerIds.length === 0) return byProvider;
    const rows = this.statement(
      `SELECT * FROM api_keys WHERE provider_id IN (SELECT value FROM json_each(?)) ORDER BY position, created_at, id`,
    ).all(JSON.stringify(providerIds)) as KeyRow[];
    for (const row of rows) byProvider.get(row.provider_id)?.push(row);
    return byProvider;
  }

  /** Like keysOfMany without the sealed blobs, for outputs (which never show secrets). */
  keyViewsOfMany(providerIds: string[]): Map<string, KeyView[]> {
    const byProvider = new Map<string, KeyView[]>(providerIds.map((id) => [id, []]));
    if (providerIds.length === 0) return byProvider;
    const rows = this.statement(
      `SELECT ${KEY_VIEW_COLUMNS} FROM api_keys WHERE provider_id IN (SELECT value FROM json_each(?)) ORDER BY position, created_at, id`,
    ).all(JSON.stringify(providerIds)) as KeyView[];
    for (const row of rows) byProvider.get(row.provider_id)?.push(row);
    return byProvider;
  }

  insertKey(row: KeyRow): void {
    this.statement(
      `INSERT INTO api_keys (id, provider_id, position, name, secret_sealed, secret_ref, mask_head, mask_tail, secret_length, enabled, weight,
          models, blacklisted_models, use_for_batch_api, key_config, key_config_secrets, status, last_check, created_at, updated_at)
         VALUES (@id, @provider_id, @position, @name, @secret_sealed, @secret_ref, @mask_head, @mask_tail, @secret_length, @enabled, @weight,
          @models, @blacklisted_models, @use_for_batch_api, @key_config, @key_config_secrets, @status, @last_check, @created_at, @updated_at)`,
    ).run(row);
  }

  updateKey(row: KeyRow): void {
    this.statement(
      `UPDATE api_keys SET position = @position, name = @name, secret_sealed = @secret_sealed, secret_ref = @secret_ref, mask_head = @mask_head,
          mask_tail = @mask_tail, secret_length = @secret_length, enabled = @enabled, weight = @weight, models = @models,
          blacklisted_models = @blacklisted_models, use_for_batch_api = @use_for_batch_api, key_config = @key_config,
          key_config_secrets = @key_config_secrets, status = @status, last_check = @last_check, updated_at = @updated_at
         WHERE id = @id`,
    ).run(row);
  }

  /** Writes a key's verdict only (its other columns, and so its indexes, are left as they are). */
  updateKeyVerdict(id: string, status: string, lastCheck: string | null): void {
    this.statement('UPDATE api_keys SET status = ?, last_check = ? WHERE id = ?').run(status, lastCheck, id);
  }

  deleteKey(id: string): boolean {
    return this.statement('DELETE FROM api_keys WHERE id = ?').run(id).changes === 1;
  }

  // --- models (the SQL is in model-store.ts) --------------------------------
  modelsOf(providerId: string): StoredModelRow[] {
    return this.models.modelsOf(providerId);
  }

  modelCounts(providerIds: string[]): Map<string, number> {
    return this.models.modelCounts(providerIds);
  }

  curatedModels(): Map<string, StoredModelRow[]> {
    return this.models.curatedModels();
  }

  allModels(): StoredModelRow[] {
    return this.models.allModels();
  }

  replaceModels(providerId: string, models: ModelRow[]): void {
    this.models.replaceModels(providerId, models);
  }

  modelList(providerId: string): { hash: string; fetched_at: string } | undefined {
    return this.models.modelList(providerId);
  }

  storeModelList(providerId: string, hash: string, fetchedAt: string, rows: () => ModelRow[]): boolean {
    return this.models.storeModelList(providerId, hash, fetchedAt, rows);
  }

  setModelsEnabled(providerId: string, modelIds: readonly string[], enabled: boolean): string[] {
    return this.models.setModelsEnabled(providerId, modelIds, enabled);
  }

  missingModels(providerId: string, modelIds: readonly string[]): string[] {
    return this.models.missingModels(providerId, modelIds);
  }

  findModel(providerId: string, modelId: string): StoredModelRow | undefined {
    return this.models.findModel(providerId, modelId);
  }

  upsertCustomModel(row: ModelRow): void {
    this.models.upsertCustomModel(row);
  }

  deleteModel(providerId: string, modelId: string): boolean {
    return this.models.deleteModel(providerId, modelId);
  }

  applyModelCuration(
    providerId: string,
    disabled: readonly string[],
    custom: ReadonlyArray<{ id: string; display_name: string }>,
    at: string,
  ): void {
    this.models.applyModelCuration(providerId, disabled, custom, at);
  }

  // --- checks ---------------------------------------------------------------

  addCheckResult(providerId: string, keyId: string | null, result: string, checkedAt: string): void {
    this.statement('INSERT INTO check_results (provider_id, key_id, result, checked_at) VALUES (?, ?, ?, ?)').run(
      providerId,
      keyId,
      result,
      checkedAt,
    );
    // A short history per provider is enough for the GUI; older rows go. The newest rows' ids come from the
    // (provider_id, id) index, and everything at or below the 21st newest is one range of it: no list, no scan.
    this.statement(
      `DELETE FROM check_results WHERE provider_id = @provider AND id <=
         (SELECT id FROM check_results WHERE provider_id = @provider ORDER BY id DESC LIMIT 1 OFFSET ${CHECK_HISTORY})`,
    ).run({ provider: providerId });
  }

  checkHistory(providerId: string): Array<{ key_id: string | null; result: string; checked_at: string }> {
    return this.statement('SELECT key_id, result, checked_at FROM check_results WHERE provider_id = ? ORDER BY id DESC').all(
      providerId,
    ) as Array<{
      key_id: string | null;
      result: string;
      checked_at: string;
    }>;
  }
}
