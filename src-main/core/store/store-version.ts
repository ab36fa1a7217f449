import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** The store's version: what caches compare to know whether anything they hold may be stale. */
export class StoreVersion {
  /** The version read inside sharing(), and at which total_changes. */
  private shared: { changes: number; value: string } | undefined;
  private reads: { changes: Statement; data: Statement } | undefined;

  constructor(private readonly db: Db) {}

  /**
   * Changes whenever the store may have changed: rows written through this connection (total_changes) or a commit by
   * any other connection, e.g. the CLI in another process (data_version). Equal values mean equal contents.
   */
  current(): string {
    const changes = this.statements().changes.get() as number;
    const shared = this.shared;
    if (shared?.changes === changes) return shared.value;
    // data_version opens a read transaction: three system calls for WAL's shared-memory lock, the costly part.
    const value = `${changes}:${this.statements().data.get() as number}`;
    if (shared) this.shared = { changes, value };
    return value;
  }

  /** current()'s two statements, prepared once and returning their one value (it runs on every API request). */
  private statements(): { changes: Statement; data: Statement } {
    this.reads ??= {
      changes: this.db.prepare('SELECT total_changes()').pluck(),
      data: this.db.prepare('PRAGMA data_version').pluck(),
    };
    return this.reads;
  }

  /**
   * Runs `work` (synchronous) with current() read from the store once and reused until this connection writes: a
   * request's auth check and its page-cache lookup then cost one read, not two. Another process's commit during
   * `work` counts as landing right after it, which no caller can tell apart. Nested calls join the outer one.
   */
  sharing<T>(work: () => T): T {
    if (this.shared) return work();
    this.shared = { changes: -1, value: '' };
    try {
      return work();
    } finally {
      this.shared = undefined;
    }
  }
}
