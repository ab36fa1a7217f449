import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** Distinct SQL texts kept prepared; list queries build their WHERE clause, so the set is bounded but not fixed. */
const STATEMENT_CACHE_SIZE = 256;

/** Prepares each SQL text once per connection: preparing costs about as much as running a small query. */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
