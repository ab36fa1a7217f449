import type { Statement } from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { Db } from './database.js';
import type { ProviderHealth } from '../contract/domain-schemas.js';
import { writeTransaction } from './database.js';
import { SEARCH_INSERT_TRIGGER } from './migrations/0004-list-indexes.js';
import type { KeyRow, ModelRow, ProviderRow, StoredModelRow } from './rows.js';
import type { EditableKeySlotStore } from '../vault/vault.js';
import { searchCondition } from './provider-search.js';
import { PROVIDER_SORT_FIELDS } from '../contract/sort-fields.js';

/** The API's sorts, and seq (insertion order) for the store's own readers. */
export const PROVIDER_SORT_COLUMNS = [...PROVIDER_SORT_FIELDS, 'seq'] as const;
export type ProviderSortColumn = (typeof PROVIDER_SORT_COLUMNS)[number];

export interface ProviderQuery {
  search?: string | undefined;
  types?: string[] | undefined;
  /** Health filter on the stored health (service/health-model.ts). */
  health?: ProviderHealth | undefined;
  sortBy?: ProviderSortColumn | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

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

/** A key row without its sealed blobs: everything an output may show. */
export type KeyView = Omit<KeyRow, 'secret_sealed' | 'key_config_secrets'>;

const CHECK_HISTORY = 20;
/** Sorting by health puts the worst first: error, offline, degraded, ok, untested. */
const HEALTH_RANK_SQL = "CASE health WHEN 'error' THEN 0 WHEN 'offline' THEN 1 WHEN 'degraded' THEN 2 WHEN 'ok' THEN 3 ELSE 4 END";

/** Every api_keys column except the sealed blobs: what outputs show. */
const KEY_VIEW_COLUMNS = `id, provider_id, position, name, secret_ref, mask_head, mask_tail, secret_length, enabled, weight, models,
  blacklisted_models, use_for_batch_api, key_config, status, last_check, created_at, updated_at`;

/** The statements of a list query (test/core/store-queries.test.ts checks their plans) and their parameters. */
export function providerListSql(query: ProviderQuery): {
  count: string;
  page: string;
  seqs: string;
  /** A search through the trigram index: its matches are few, as a rule, and best read once (queryProviders). */
  searchFirst: boolean;
  params: Record<string, unknown>;
} {
  const { clause, params } = providerFilter(query);
  const tail = `${clause} ${providerOrder(query)} LIMIT @limit OFFSET @offset`;
  return {
    searchFirst: 'search_match' in params,
    count: `SELECT COUNT(*) AS n FROM providers ${clause}`,
    page: `SELECT * FROM providers ${tail}`,
    seqs: `SELECT seq FROM providers ${tail}`,
    params: { ...params, limit: query.limit ?? -1, offset: query.offset ?? 0 },
  };
}

/** Rows in the order of `seqs` (an IN list comes back in any order); seqs without a row are left out. */
function inOrder<T extends { seq: number }>(seqs: number[], rows: T[]): T[] {
  const bySeq = new Map(rows.map((row) => [row.seq, row]));
  return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
}

/** The WHERE clause of a list query: search, types, health. */
function providerFilter(query: ProviderQuery): { clause: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.search) {
    const search = searchCondition(query.search);
    where.push(search.sql);
    Object.assign(params, search.params);
  }
  if (query.types && query.types.length > 0) {
    where.push(`type IN (${query.types.map((_, i) => `@type${i}`).join(', ')})`);
    query.types.forEach((type, i) => (params[`type${i}`] = type));
  }
  // The stored health is the word every view shows, so the filter and the GUI's dot can never disagree.
  if (query.health) {
    where.push('health = @health');
    params.health = query.health;
  }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** The ORDER BY of a list query; each expression has an index of the same text, ending in seq (migration 0004). */
function providerOrder(query: ProviderQuery): string {
  const column = PROVIDER_SORT_COLUMNS.includes(query.sortBy as ProviderSortColumn) ? query.sortBy : 'created_at';
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  // A provider without a display name is shown under its name, so it sorts by that name too.
  const expression =
    column === 'display_name'
      ? "COALESCE(NULLIF(display_name, ''), name) COLLATE NOCASE"
      : column === 'name'
        ? 'name COLLATE NOCASE'
        : column === 'health'
          ? HEALTH_RANK_SQL
          : column;
  return `ORDER BY ${expression} ${direction}, seq ${direction}`;
}

/** ORDER BY position, created_at, id (ids and timestamps are ASCII: code-unit order is SQLite's BINARY order). */
function byKeyOrder(a: KeyRow, b: KeyRow): number {
  if (a.position !== b.position) return a.position - b.position;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Below this many inserted providers the per-row search-index trigger costs less than a rebuild. */
const BULK_INSERT_MIN = 2000;

/** All SQL of the store. Every write method is meant to run inside a transaction opened by the caller or itself. */
export class Repository implements EditableKeySlotStore {
  private readonly statements: StatementCache;
  /** The version read inside sharingVersion(), and at which total_changes. */
  private sharedVersion: { changes: number; value: string } | undefined;
  private versionReads: { changes: Statement; data: Statement } | undefined;

  constructor(readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  private statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  /**
   * Changes whenever the store may have changed: rows written through this connection (total_changes) or a commit by
   * any other connection, e.g. the CLI in another process (data_version). Equal values mean equal contents.
   */
  version(): string {
    const changes = this.versionStatements().changes.get() as number;
    const shared = this.sharedVersion;
    if (shared?.changes === changes) return shared.value;
    // data_version opens a read transaction: three system calls for WAL's shared-memory lock, the costly part.
    const value = `${changes}:${this.versionStatements().data.get() as number}`;
    if (shared) this.sharedVersion = { changes, value };
    return value;
  }

  /** version()'s two statements, prepared once and returning their one value (it runs on every API request). */
  private versionStatements(): { changes: Statement; data: Statement } {
    this.versionReads ??= {
      changes: this.db.prepare('SELECT total_changes()').pluck(),
      data: this.db.prepare('PRAGMA data_version').pluck(),
    };
    return this.versionReads;
  }

  /**
   * Runs `work` (synchronous) with version() read from the store once and reused until this connection writes: a
   * request's auth check and its page-cache lookup then cost one read, not two. Another process's commit during
   * `work` counts as landing right after it, which no caller can tell apart. Nested calls join the outer one.
   */
  sharingVersion<T>(work: () => T): T {
    if (this.sharedVersion) return work();
    this.sharedVersion = { changes: -1, value: '' };
    try {
      return work();
    } finally {
      this.sharedVersion = undefined;
    }
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

  // --- models and checks ----------------------------------------------------
  modelsOf(providerId: string): StoredModelRow[] {
    return this.statement('SELECT * FROM models WHERE provider_id = ? ORDER BY model_id').all(providerId) as StoredModelRow[];
  }

  modelCounts(providerIds: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    if (providerIds.length === 0) return counts;
    const rows = this.statement(
      'SELECT provider_id, COUNT(*) AS n FROM models WHERE provider_id IN (SELECT value FROM json_each(?)) GROUP BY provider_id',
    ).all(JSON.stringify(providerIds)) as Array<{ provider_id: string; n: number }>;
    for (const row of rows) counts.set(row.provider_id, row.n);
    return counts;
  }

  /** The stored models of each provider with any curation (a model turned off or a custom id), by provider id: what an export needs. */
  curatedModels(): Map<string, StoredModelRow[]> {
    const rows = this.statement(
      `SELECT * FROM models WHERE provider_id IN (SELECT DISTINCT provider_id FROM models WHERE enabled = 0 OR custom = 1)
       ORDER BY provider_id, model_id`,
    ).all() as StoredModelRow[];
    const out = new Map<string, StoredModelRow[]>();
    for (const row of rows) {
      const list = out.get(row.provider_id);
      if (list) list.push(row);
      else out.set(row.provider_id, [row]);
    }
    return out;
  }

  allModels(): StoredModelRow[] {
    return this.statement('SELECT * FROM models ORDER BY provider_id, model_id').all() as StoredModelRow[];
  }

  /** Replaces a provider's model rows as given (curation reset); the list's hash is then unknown, so the next storeModelList writes in full. */
  replaceModels(providerId: string, models: ModelRow[]): void {
    this.statement('DELETE FROM models WHERE provider_id = ?').run(providerId);
    const insert = this.statement(
      `INSERT OR REPLACE INTO models (provider_id, model_id, key_id, display_name, capabilities, context_window, owned_by, fetched_at)
       VALUES (@provider_id, @model_id, @key_id, @display_name, @capabilities, @context_window, @owned_by, @fetched_at)`,
    );
    for (const model of models) insert.run(model);
    this.statement('DELETE FROM model_lists WHERE provider_id = ?').run(providerId);
  }

  /** The hash of a provider's stored model list and when it was last fetched; undefined when not known (migration 0005). */
  modelList(providerId: string): { hash: string; fetched_at: string } | undefined {
    return this.statement('SELECT hash, fetched_at FROM model_lists WHERE provider_id = ?').get(providerId) as
      { hash: string; fetched_at: string } | undefined;
  }

  /**
   * Stores the models a provider listed. The rows are rewritten only when `hash` differs from the stored list's (a
   * provider may list thousands, and most tests list the same ones again); the fetch time is recorded either way.
   * Returns whether the rows were rewritten.
   */
  storeModelList(providerId: string, hash: string, fetchedAt: string, rows: () => ModelRow[]): boolean {
    const rewrite = this.modelList(providerId)?.hash !== hash;
    if (rewrite) this.mergeListedModels(providerId, rows(), fetchedAt);
    this.statement(
      `INSERT INTO model_lists (provider_id, hash, fetched_at) VALUES (?, ?, ?)
       ON CONFLICT (provider_id) DO UPDATE SET hash = excluded.hash, fetched_at = excluded.fetched_at`,
    ).run(providerId, hash, fetchedAt);
    return rewrite;
  }

  /**
   * Writes a listing over the stored rows without losing the user's choices: listed models are upserted (enabled and
   * custom kept, gone cleared: a model that reappears is back), stored ones the listing no longer names are marked gone
   * (first time only), custom ids are left alone. A custom id keeps the display name the user gave it.
   */
  private mergeListedModels(providerId: string, models: ModelRow[], seenAt: string): void {
    const upsert = this.statement(
      `INSERT INTO models (provider_id, model_id, key_id, display_name, capabilities, context_window, owned_by, fetched_at)
       VALUES (@provider_id, @model_id, @key_id, @display_name, @capabilities, @context_window, @owned_by, @fetched_at)
       ON CONFLICT (provider_id, model_id) DO UPDATE SET key_id = excluded.key_id,
         display_name = CASE WHEN models.custom = 1 AND models.display_name <> '' THEN models.display_name ELSE excluded.display_name END,
         capabilities = excluded.capabilities, context_window = excluded.context_window, owned_by = excluded.owned_by,
         fetched_at = excluded.fetched_at, gone_at = NULL`,
    );
    for (const model of models) upsert.run(model);
    this.statement(
      `UPDATE models SET gone_at = @seen_at WHERE provider_id = @provider AND custom = 0 AND gone_at IS NULL
         AND model_id NOT IN (SELECT value FROM json_each(@listed))`,
    ).run({ provider: providerId, seen_at: seenAt, listed: JSON.stringify(models.map((m) => m.model_id)) });
  }

  /** Turns models on or off; returns the ids that are not stored for the provider (nothing is written then). */
  setModelsEnabled(providerId: string, modelIds: readonly string[], enabled: boolean): string[] {
    const missing = this.missingModels(providerId, modelIds);
    if (missing.length > 0) return missing;
    this.statement(
      'UPDATE models SET enabled = @enabled WHERE provider_id = @provider AND model_id IN (SELECT value FROM json_each(@ids))',
    ).run({ provider: providerId, enabled: enabled ? 1 : 0, ids: JSON.stringify(modelIds) });
    return [];
  }

  /** The ids among `modelIds` with no stored row for the provider. */
  missingModels(providerId: string, modelIds: readonly string[]): string[] {
    const found = new Set(
      (
        this.statement('SELECT model_id FROM models WHERE provider_id = ? AND model_id IN (SELECT value FROM json_each(?))').all(
          providerId,
          JSON.stringify(modelIds),
        ) as Array<{ model_id: string }>
      ).map((r) => r.model_id),
    );
    return modelIds.filter((id) => !found.has(id));
  }

  findModel(providerId: string, modelId: string): StoredModelRow | undefined {
    return this.statement('SELECT * FROM models WHERE provider_id = ? AND model_id = ?').get(providerId, modelId) as
      StoredModelRow | undefined;
  }

  /** Adds a user's model id (or turns a stored gone one into theirs, back on and no longer gone). */
  upsertCustomModel(row: ModelRow): void {
    this.statement(
      `INSERT INTO models (provider_id, model_id, key_id, display_name, capabilities, context_window, owned_by, fetched_at, custom)
       VALUES (@provider_id, @model_id, @key_id, @display_name, @capabilities, @context_window, @owned_by, @fetched_at, 1)
       ON CONFLICT (provider_id, model_id) DO UPDATE SET custom = 1, enabled = 1, gone_at = NULL,
         display_name = CASE WHEN excluded.display_name <> '' THEN excluded.display_name ELSE models.display_name END`,
    ).run(row);
  }

  deleteModel(providerId: string, modelId: string): boolean {
    return this.statement('DELETE FROM models WHERE provider_id = ? AND model_id = ?').run(providerId, modelId).changes === 1;
  }

  /**
   * Makes a provider's curation what a config file says (import): exactly these ids off and exactly these ids the
   * user's own. An id turned off that no listing stored yet gets a placeholder row, so the choice holds when a later
   * refresh lists it; a stored custom id the file no longer names is deleted (a listing that names it brings it back).
   */
  applyModelCuration(
    providerId: string,
    disabled: readonly string[],
    custom: ReadonlyArray<{ id: string; display_name: string }>,
    at: string,
  ): void {
    this.statement(
      'DELETE FROM models WHERE provider_id = @provider AND custom = 1 AND model_id NOT IN (SELECT value FROM json_each(@ids))',
    ).run({ provider: providerId, ids: JSON.stringify(custom.map((m) => m.id)) });
    for (const model of custom) this.upsertCustomModel(placeholderModel(providerId, model.id, model.display_name, at));
    const insert = this.statement(
      `INSERT OR IGNORE INTO models (provider_id, model_id, key_id, display_name, capabilities, context_window, owned_by, fetched_at)
       VALUES (@provider_id, @model_id, @key_id, @display_name, @capabilities, @context_window, @owned_by, @fetched_at)`,
    );
    for (const id of disabled) insert.run(placeholderModel(providerId, id, '', at));
    this.statement(
      `UPDATE models SET enabled = CASE WHEN model_id IN (SELECT value FROM json_each(@ids)) THEN 0 ELSE 1 END
       WHERE provider_id = @provider`,
    ).run({ provider: providerId, ids: JSON.stringify(disabled) });
  }

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

/** A model row with nothing known about it but its id (a user's custom id, a choice imported before any listing). */
export function placeholderModel(providerId: string, modelId: string, displayName: string, at: string): ModelRow {
  return {
    provider_id: providerId,
    model_id: modelId,
    key_id: null,
    display_name: displayName,
    capabilities: '[]',
    context_window: null,
    owned_by: null,
    fetched_at: at,
  };
}
