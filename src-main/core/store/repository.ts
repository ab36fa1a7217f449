import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { ProviderHealth } from '../contract/domain-schemas.js';
import { writeTransaction } from './database.js';
import type { KeyRow, ModelRow, ProviderRow } from './rows.js';
import type { EditableKeySlotStore } from '../vault/vault.js';

export const PROVIDER_SORT_COLUMNS = ['name', 'display_name', 'type', 'created_at', 'updated_at', 'status', 'health', 'seq'] as const;
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

/** A key row without its sealed blobs: everything an output may show. */
export type KeyView = Omit<KeyRow, 'secret_sealed' | 'key_config_secrets'>;

const CHECK_HISTORY = 20;
/** Sorting by health puts the worst first: error, offline, degraded, ok, untested. */
const HEALTH_RANK_SQL = "CASE health WHEN 'error' THEN 0 WHEN 'offline' THEN 1 WHEN 'degraded' THEN 2 WHEN 'ok' THEN 3 ELSE 4 END";
/** Distinct SQL texts kept prepared; list queries build their WHERE clause, so the set is bounded but not fixed. */
const STATEMENT_CACHE_SIZE = 256;

/** Every api_keys column except the sealed blobs: what outputs show. */
const KEY_VIEW_COLUMNS = `id, provider_id, position, name, secret_ref, mask_head, mask_tail, secret_length, enabled, weight, models,
  blacklisted_models, use_for_batch_api, key_config, status, last_check, created_at, updated_at`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** All SQL of the store. Every write method is meant to run inside a transaction opened by the caller or itself. */
export class Repository implements EditableKeySlotStore {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  /** Prepares each SQL text once per connection (preparing costs about as much as running a small query). */
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Changes whenever the store may have changed: rows written through this connection (total_changes) or a commit by
   * any other connection, e.g. the CLI in another process (data_version). Equal values mean equal contents.
   */
  version(): string {
    const row = this.statement('SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS data').get() as {
      changes: number;
      data: number;
    };
    return `${row.changes}:${row.data}`;
  }

  transaction<T>(work: () => T): T {
    return writeTransaction(this.db, work);
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
  findProvider(idOrName: string): ProviderRow | undefined {
    return this.statement('SELECT * FROM providers WHERE id = ? OR name = ?').get(idOrName, idOrName) as ProviderRow | undefined;
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
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.search) {
      where.push("(name LIKE @search ESCAPE '\\' OR display_name LIKE @search ESCAPE '\\' OR base_url LIKE @search ESCAPE '\\')");
      params.search = `%${escapeLike(query.search)}%`;
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
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
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
    const order = `ORDER BY ${expression} ${direction}, seq ${direction}`;
    const total = (this.statement(`SELECT COUNT(*) AS n FROM providers ${clause}`).get(params) as { n: number }).n;
    params.limit = query.limit ?? -1;
    params.offset = query.offset ?? 0;
    const rows = this.statement(`SELECT * FROM providers ${clause} ${order} LIMIT @limit OFFSET @offset`).all(params) as ProviderRow[];
    return { rows, total };
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

  deleteProvider(id: string): boolean {
    return this.statement('DELETE FROM providers WHERE id = ?').run(id).changes === 1;
  }

  // --- keys -----------------------------------------------------------------
  keysOf(providerId: string): KeyRow[] {
    return this.statement('SELECT * FROM api_keys WHERE provider_id = ? ORDER BY position, created_at, id').all(providerId) as KeyRow[];
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

  deleteKey(id: string): boolean {
    return this.statement('DELETE FROM api_keys WHERE id = ?').run(id).changes === 1;
  }

  // --- models and checks ----------------------------------------------------
  modelsOf(providerId: string): ModelRow[] {
    return this.statement('SELECT * FROM models WHERE provider_id = ? ORDER BY model_id').all(providerId) as ModelRow[];
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

  allModels(): ModelRow[] {
    return this.statement('SELECT * FROM models ORDER BY provider_id, model_id').all() as ModelRow[];
  }

  replaceModels(providerId: string, models: ModelRow[]): void {
    this.statement('DELETE FROM models WHERE provider_id = ?').run(providerId);
    const insert = this.statement(
      `INSERT OR REPLACE INTO models (provider_id, model_id, key_id, display_name, capabilities, context_window, owned_by, fetched_at)
       VALUES (@provider_id, @model_id, @key_id, @display_name, @capabilities, @context_window, @owned_by, @fetched_at)`,
    );
    for (const model of models) insert.run(model);
  }

  addCheckResult(providerId: string, keyId: string | null, result: string, checkedAt: string): void {
    this.statement('INSERT INTO check_results (provider_id, key_id, result, checked_at) VALUES (?, ?, ?, ?)').run(
      providerId,
      keyId,
      result,
      checkedAt,
    );
    // A short history per provider is enough for the GUI; older rows go.
    this.statement(
      `DELETE FROM check_results WHERE provider_id = ? AND id NOT IN (SELECT id FROM check_results WHERE provider_id = ? ORDER BY id DESC LIMIT ${CHECK_HISTORY})`,
    ).run(providerId, providerId);
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
