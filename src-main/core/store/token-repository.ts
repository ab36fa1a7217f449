import type { Statement } from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { Db } from './database.js';

/** A scoped token as SQLite holds it: the digest of the token, never the token. */
export interface TokenRow {
  id: string;
  name: string;
  scope: string;
  token_hash: Buffer;
  /** JSON array of provider ids, or null for every provider. */
  providers: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The SQL of scoped tokens (migration 0006). Writes run inside the caller's transaction. */
export class TokenRepository {
  private readonly statements: StatementCache;

  constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
  }

  private statement(sql: string): Statement {
    return this.statements.get(sql);
  }

  // --- tokens -------------------------------------------------------------------
  insertToken(row: TokenRow): void {
    this.statement(
      `INSERT INTO tokens (id, name, scope, token_hash, providers, created_at, expires_at, last_used_at, revoked_at)
       VALUES (@id, @name, @scope, @token_hash, @providers, @created_at, @expires_at, @last_used_at, @revoked_at)`,
    ).run(row);
  }

  /** The lookup of every gateway request: by the unique digest, so the token itself is never compared as text. */
  findTokenByHash(hash: Buffer): TokenRow | undefined {
    return this.statement('SELECT * FROM tokens WHERE token_hash = ?').get(hash) as TokenRow | undefined;
  }

  findToken(id: string): TokenRow | undefined {
    return this.statement('SELECT * FROM tokens WHERE id = ?').get(id) as TokenRow | undefined;
  }

  listTokens(includeRevoked: boolean): TokenRow[] {
    const where = includeRevoked ? '' : 'WHERE revoked_at IS NULL';
    return this.statement(`SELECT * FROM tokens ${where} ORDER BY created_at DESC, id`).all() as TokenRow[];
  }

  /** Tokens that may still sign a request at `now` (ISO): not revoked, not expired. */
  activeTokenIds(now: string): string[] {
    return (
      this.statement('SELECT id FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY id').all(
        now,
      ) as Array<{ id: string }>
    ).map((row) => row.id);
  }

  revokeToken(id: string, at: string): void {
    this.statement('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }

  /** Moves last use forward only: batches from two processes may land in either order. */
  touchToken(id: string, at: string): void {
    this.statement('UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, id, at);
  }

  /** Names of the providers among `ids` that still exist (renamed ones under their new name), in name order. */
  providerNames(ids: readonly string[]): string[] {
    return (
      this.statement('SELECT name FROM providers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name').all(
        JSON.stringify(ids),
      ) as Array<{
        name: string;
      }>
    ).map((row) => row.name);
  }
}
