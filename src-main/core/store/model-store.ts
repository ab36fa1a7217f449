import type { Statement } from 'better-sqlite3';
import type { StatementCache } from './statement-cache.js';
import type { ModelRow, StoredModelRow } from './rows.js';

/**
 * The SQL of a provider's models: the stored listing (models, model_lists) and the user's curation of it (models
 * turned off, custom ids). Repository delegates to it; writes run inside the caller's transaction.
 */
export class ModelStore {
  /** The Repository's cache, so both prepare each SQL text once per connection. */
  constructor(private readonly statements: StatementCache) {}

  private statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  modelsOf(providerId: string): StoredModelRow[] {
    return this.statement('SELECT * FROM models WHERE provider_id = ? ORDER BY model_id').all(providerId) as StoredModelRow[];
  }

  /** How many models each provider offers: listed or added, not turned off, not gone from its listing. */
  modelCounts(providerIds: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    if (providerIds.length === 0) return counts;
    const rows = this.statement(
      `SELECT provider_id, COUNT(*) AS n FROM models
         WHERE provider_id IN (SELECT value FROM json_each(?)) AND enabled = 1 AND gone_at IS NULL GROUP BY provider_id`,
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
