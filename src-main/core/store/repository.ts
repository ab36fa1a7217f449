import type { Db } from './database.js';
import { writeTransaction } from './database.js';
import type { KeyRow, ModelRow, ProviderRow } from './rows.js';
import type { KeySlotStore } from '../vault/vault.js';

export const PROVIDER_SORT_COLUMNS = ['name', 'display_name', 'type', 'created_at', 'updated_at', 'status', 'seq'] as const;
export type ProviderSortColumn = (typeof PROVIDER_SORT_COLUMNS)[number];

export interface ProviderQuery {
  search?: string | undefined;
  types?: string[] | undefined;
  /** Health filter on the stored status/state. */
  health?: 'online' | 'offline' | 'error' | 'untested' | undefined;
  sortBy?: ProviderSortColumn | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const CHECK_HISTORY = 20;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** All SQL of the store. Every write method is meant to run inside a transaction opened by the caller or itself. */
export class Repository implements KeySlotStore {
  constructor(readonly db: Db) {}

  transaction<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  // --- key slots and meta -------------------------------------------------
  listSlots(): Array<{ kind: string; wrapped: Buffer }> {
    return this.db.prepare('SELECT kind, wrapped FROM key_slots ORDER BY created_at').all() as Array<{ kind: string; wrapped: Buffer }>;
  }

  putSlot(kind: string, wrapped: Buffer): void {
    this.db
      .prepare(
        'INSERT INTO key_slots (kind, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT (kind) DO UPDATE SET wrapped = excluded.wrapped',
      )
      .run(kind, wrapped, new Date().toISOString());
  }

  getMeta(key: string): { value: string | null; sealed: Buffer | null } | undefined {
    return this.db.prepare('SELECT value, sealed FROM meta WHERE key = ?').get(key) as
      { value: string | null; sealed: Buffer | null } | undefined;
  }

  setMeta(key: string, value: string | null, sealed: Buffer | null = null): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value, sealed) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, sealed = excluded.sealed',
      )
      .run(key, value, sealed);
  }

  // --- providers ------------------------------------------------------------
  findProvider(idOrName: string): ProviderRow | undefined {
    return this.db.prepare('SELECT * FROM providers WHERE id = ? OR name = ?').get(idOrName, idOrName) as ProviderRow | undefined;
  }

  findProviderBySeq(seq: number): ProviderRow | undefined {
    return this.db.prepare('SELECT * FROM providers WHERE seq = ?').get(seq) as ProviderRow | undefined;
  }

  findProviderByBaseUrl(baseUrl: string): ProviderRow | undefined {
    return this.db.prepare('SELECT * FROM providers WHERE base_url = ? LIMIT 1').get(baseUrl) as ProviderRow | undefined;
  }

  allProviders(): ProviderRow[] {
    return this.db.prepare('SELECT * FROM providers ORDER BY name').all() as ProviderRow[];
  }

  nameExists(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM providers WHERE name = ?').get(name) !== undefined;
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
    if (query.health === 'online') where.push("state = 'online'");
    if (query.health === 'offline') where.push("state = 'offline' AND status <> 'untested'");
    if (query.health === 'error') where.push("status = 'error'");
    if (query.health === 'untested') where.push("status = 'untested'");
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const column = PROVIDER_SORT_COLUMNS.includes(query.sortBy as ProviderSortColumn) ? query.sortBy : 'created_at';
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const collate = column === 'name' || column === 'display_name' ? ' COLLATE NOCASE' : '';
    const order = `ORDER BY ${column}${collate} ${direction}, seq ${direction}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM providers ${clause}`).get(params) as { n: number }).n;
    params.limit = query.limit ?? -1;
    params.offset = query.offset ?? 0;
    const rows = this.db.prepare(`SELECT * FROM providers ${clause} ${order} LIMIT @limit OFFSET @offset`).all(params) as ProviderRow[];
    return { rows, total };
  }

  insertProvider(row: Omit<ProviderRow, 'seq'>): ProviderRow {
    const info = this.db
      .prepare(
        `INSERT INTO providers (id, name, display_name, type, base_url, enabled, description, settings, secrets, network_config, proxy_config,
          concurrency, custom_provider_config, send_back_raw_request, send_back_raw_response, store_raw_request_response, status, state,
          last_check, models_status, models_error, config_hash, revision, created_at, updated_at)
         VALUES (@id, @name, @display_name, @type, @base_url, @enabled, @description, @settings, @secrets, @network_config, @proxy_config,
          @concurrency, @custom_provider_config, @send_back_raw_request, @send_back_raw_response, @store_raw_request_response, @status, @state,
          @last_check, @models_status, @models_error, @config_hash, @revision, @created_at, @updated_at)`,
      )
      .run(row);
    return { ...row, seq: Number(info.lastInsertRowid) };
  }

  /** Writes every column; when `expectedRevision` is given the row must still have it (optimistic concurrency). */
  updateProvider(row: ProviderRow, expectedRevision: number): boolean {
    const info = this.db
      .prepare(
        `UPDATE providers SET name = @name, display_name = @display_name, type = @type, base_url = @base_url, enabled = @enabled,
          description = @description, settings = @settings, secrets = @secrets, network_config = @network_config, proxy_config = @proxy_config,
          concurrency = @concurrency, custom_provider_config = @custom_provider_config, send_back_raw_request = @send_back_raw_request,
          send_back_raw_response = @send_back_raw_response, store_raw_request_response = @store_raw_request_response, status = @status,
          state = @state, last_check = @last_check, models_status = @models_status, models_error = @models_error, config_hash = @config_hash,
          revision = @revision, updated_at = @updated_at
         WHERE id = @id AND revision = @expected`,
      )
      .run({ ...row, expected: expectedRevision });
    return info.changes === 1;
  }

  deleteProvider(id: string): boolean {
    return this.db.prepare('DELETE FROM providers WHERE id = ?').run(id).changes === 1;
  }

  // --- keys -----------------------------------------------------------------
  keysOf(providerId: string): KeyRow[] {
    return this.db.prepare('SELECT * FROM api_keys WHERE provider_id = ? ORDER BY position, created_at, id').all(providerId) as KeyRow[];
  }

  keysOfMany(providerIds: string[]): Map<string, KeyRow[]> {
    const byProvider = new Map<string, KeyRow[]>(providerIds.map((id) => [id, []]));
    if (providerIds.length === 0) return byProvider;
    const rows = this.db
      .prepare(`SELECT * FROM api_keys WHERE provider_id IN (SELECT value FROM json_each(?)) ORDER BY position, created_at, id`)
      .all(JSON.stringify(providerIds)) as KeyRow[];
    for (const row of rows) byProvider.get(row.provider_id)?.push(row);
    return byProvider;
  }

  insertKey(row: KeyRow): void {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, provider_id, position, name, secret_sealed, secret_ref, mask_head, mask_tail, secret_length, enabled, weight,
          models, blacklisted_models, use_for_batch_api, key_config, key_config_secrets, status, last_check, created_at, updated_at)
         VALUES (@id, @provider_id, @position, @name, @secret_sealed, @secret_ref, @mask_head, @mask_tail, @secret_length, @enabled, @weight,
          @models, @blacklisted_models, @use_for_batch_api, @key_config, @key_config_secrets, @status, @last_check, @created_at, @updated_at)`,
      )
      .run(row);
  }

  updateKey(row: KeyRow): void {
    this.db
      .prepare(
        `UPDATE api_keys SET position = @position, name = @name, secret_sealed = @secret_sealed, secret_ref = @secret_ref, mask_head = @mask_head,
          mask_tail = @mask_tail, secret_length = @secret_length, enabled = @enabled, weight = @weight, models = @models,
          blacklisted_models = @blacklisted_models, use_for_batch_api = @use_for_batch_api, key_config = @key_config,
          key_config_secrets = @key_config_secrets, status = @status, last_check = @last_check, updated_at = @updated_at
         WHERE id = @id`,
      )
      .run(row);
  }

  deleteKey(id: string): boolean {
    return this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id).changes === 1;
  }

  // --- models and checks ----------------------------------------------------
  modelsOf(providerId: string): ModelRow[] {
    return this.db.prepare('SELECT * FROM models WHERE provider_id = ? ORDER BY model_id').all(providerId) as ModelRow[];
  }

  modelCounts(providerIds: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    if (providerIds.length === 0) return counts;
    const rows = this.db
      .prepare('SELECT provider_id, COUNT(*) AS n FROM models WHERE provider_id IN (SELECT value FROM json_each(?)) GROUP BY provider_id')
      .all(JSON.stringify(providerIds)) as Array<{ provider_id: string; n: number }>;
    for (const row of rows) counts.set(row.provider_id, row.n);
    return counts;
  }

  allModels(): ModelRow[] {
    return this.db.prepare('SELECT * FROM models ORDER BY provider_id, model_id').all() as ModelRow[];
  }

  replaceModels(providerId: string, models: ModelRow[]): void {
    this.db.prepare('DELETE FROM models WHERE provider_id = ?').run(providerId);
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO models (provider_id, model_id, key_id, display_name, capabilities, context_window, owned_by, fetched_at)
       VALUES (@provider_id, @model_id, @key_id, @display_name, @capabilities, @context_window, @owned_by, @fetched_at)`,
    );
    for (const model of models) insert.run(model);
  }

  addCheckResult(providerId: string, keyId: string | null, result: string, checkedAt: string): void {
    this.db
      .prepare('INSERT INTO check_results (provider_id, key_id, result, checked_at) VALUES (?, ?, ?, ?)')
      .run(providerId, keyId, result, checkedAt);
    // A short history per provider is enough for the GUI; older rows go.
    this.db
      .prepare(
        `DELETE FROM check_results WHERE provider_id = ? AND id NOT IN (SELECT id FROM check_results WHERE provider_id = ? ORDER BY id DESC LIMIT ${CHECK_HISTORY})`,
      )
      .run(providerId, providerId);
  }

  checkHistory(providerId: string): Array<{ key_id: string | null; result: string; checked_at: string }> {
    return this.db
      .prepare('SELECT key_id, result, checked_at FROM check_results WHERE provider_id = ? ORDER BY id DESC')
      .all(providerId) as Array<{
      key_id: string | null;
      result: string;
      checked_at: string;
    }>;
  }
}
