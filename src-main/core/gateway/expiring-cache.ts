/**
 * Values that expire (OAuth and IAM access tokens, temporary AWS credentials), kept per credential until shortly
 * before they do. Requests that miss at the same time share one fetch; a failed fetch is not kept.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expiresAt: number }>();

  constructor(
    private readonly maxEntries = 256,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value (`cached: true`) or a fresh one from `fetch`, kept for `ttlMs`. */
  async get(key: string, ttlMs: number, fetch: () => Promise<T>): Promise<{ value: T; cached: boolean }> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return { value: await entry.value, cached: true };
    const value = fetch();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    try {
      return { value: await value, cached: false };
    } catch (error) {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
      throw error;
    }
  }

  /** Forgets a value the provider no longer accepts, so the next request fetches a new one. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
