import type { FeedSource } from './change-feed.js';

export const DATA_VERSION_POLL_MS = 500;

/**
 * Notices commits by other connections to the store (the CLI, a second app or server on the same data dir): SQLite's
 * `PRAGMA data_version` changes when another connection commits, and never for this connection's own writes, which
 * the service announces itself. Polled only while the feed has subscribers.
 */
export class DataVersionWatch implements FeedSource {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last: number | undefined;

  constructor(
    /** Reads `PRAGMA data_version` (undefined once the store is closed). */
    private readonly read: () => number | undefined,
    private readonly onChange: () => void,
    private readonly intervalMs = DATA_VERSION_POLL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.last = this.safeRead();
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    // A headless command with a subscriber still exits when its work is done.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const now = this.safeRead();
    if (now === undefined) return;
    const before = this.last;
    this.last = now;
    if (before !== undefined && now !== before) this.onChange();
  }

  private safeRead(): number | undefined {
    try {
      return this.read();
    } catch {
      // Busy or closing: the next poll sees the change.
      return undefined;
    }
  }
}
