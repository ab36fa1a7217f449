import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { WalIndexHeader } from './wal-index-header.js';

/** The store's version: what caches compare to know whether anything they hold may be stale. */
export class StoreVersion {
  /** The version read inside sharing(), and at which total_changes. */
  private shared: { changes: number; value: string } | undefined;
  private reads: { changes: Statement; data: Statement } | undefined;
  /** The version last read from SQLite outside a write, while the WAL index header has not moved since. */
  private last: string | undefined;
  /** Tells cheaply whether any connection may have committed (null: there is no WAL index to follow). */
  private walHeader: WalIndexHeader | null | undefined;

  constructor(private readonly db: Db) {}

  /**
   * Changes whenever the store may have changed: rows written through this connection (total_changes) or a commit by
   * any other connection, e.g. the CLI in another process (data_version). Equal values mean equal contents.
   */
  current(): string {
    const shared = this.shared;
    if (!shared) return this.read();
    const changes = this.statements().changes.get() as number;
    if (shared.changes === changes) return shared.value;
    const value = this.read(changes);
    this.shared = { changes, value };
    return value;
  }

  /**
   * Asks SQLite only when something may have changed since it was last asked. Every commit — this connection's or
   * another's — moves the WAL index header; only this connection's rows not yet committed do not, so inside a write
   * SQLite is always asked. data_version opens a read transaction (lock system calls on the shm file), reading the
   * header is one pread: on the API's hottest path (a cached page) that difference is a tenth of the request.
   */
  private read(changes?: number): string {
    const writing = this.db.inTransaction;
    // The header is read before data_version: a commit landing between the two moves it again for the next call.
    const mayHaveChanged = writing || (this.header()?.moved() ?? true);
    if (!mayHaveChanged && this.last !== undefined) return this.last;
    const statements = this.statements();
    const value = `${changes ?? (statements.changes.get() as number)}:${statements.data.get() as number}`;
    this.last = writing ? undefined : value;
    return value;
  }

  /** Stops following the WAL index (its file descriptor); current() then asks SQLite every time. */
  close(): void {
    this.walHeader?.close();
    this.walHeader = null;
  }

  private header(): WalIndexHeader | null {
    if (this.walHeader === undefined) {
      this.walHeader = (!this.db.memory && WalIndexHeader.open(this.db.name)) || null;
    }
    return this.walHeader;
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
