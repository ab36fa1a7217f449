import type { Statement } from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { Db } from './database.js';

/** One batch of counts for a provider × key × token × outcome ('' for no key or the main token). */
export interface UsageDelta {
  provider_id: string;
  key_id: string;
  token_id: string;
  outcome: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  last_used_at: string;
}

/** A stored counter row: the same fields, summed over every batch. */
export type UsageRow = UsageDelta;

/** The SQL of the gateway's usage counters (migration 0006). Writes run inside the caller's transaction. */
export class UsageRepository {
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  private statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  /** Adds a batch to the counters; counts for a provider deleted meanwhile are dropped. */
  addUsage(delta: UsageDelta): void {
    this.statement(
      `INSERT INTO usage_counters (provider_id, key_id, token_id, outcome, requests, input_tokens, output_tokens, last_used_at)
       SELECT @provider_id, @key_id, @token_id, @outcome, @requests, @input_tokens, @output_tokens, @last_used_at
       WHERE EXISTS (SELECT 1 FROM providers WHERE id = @provider_id)
       ON CONFLICT (provider_id, key_id, token_id, outcome) DO UPDATE SET
         requests = requests + excluded.requests,
         input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         last_used_at = max(last_used_at, excluded.last_used_at)`,
    ).run(delta);
  }

  usageOfProvider(providerId: string): UsageRow[] {
    return this.statement('SELECT * FROM usage_counters WHERE provider_id = ?').all(providerId) as UsageRow[];
  }

  usageOfToken(tokenId: string): UsageRow[] {
    return this.statement('SELECT * FROM usage_counters WHERE token_id = ?').all(tokenId) as UsageRow[];
  }

  /** Names of keys and tokens for the usage views (deleted keys simply have none). */
  keyNames(providerId: string): Map<string, string> {
    const rows = this.statement('SELECT id, name FROM api_keys WHERE provider_id = ?').all(providerId) as Array<{
      id: string;
      name: string;
    }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  tokenNames(ids: readonly string[]): Map<string, string> {
    const rows = this.statement('SELECT id, name FROM tokens WHERE id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(ids),
    ) as Array<{
      id: string;
      name: string;
    }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  providerIdentities(ids: readonly string[]): Map<string, string> {
    const rows = this.statement('SELECT id, name FROM providers WHERE id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(ids),
    ) as Array<{ id: string; name: string }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}
