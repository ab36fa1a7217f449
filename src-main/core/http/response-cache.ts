/**
 * Serialized answers of cacheable reads (provider list pages, model lists), for the store version they were built from
 * (`Repository.version()`: any write by this process or a commit by another one changes it). A stale answer is never
 * served: a new version empties the cache.
 *
 * Small on purpose. An answer is kept only when the same URL is asked for a second time within one version, and a full
 * cache takes nothing more until the version changes, so traffic over many different pages (a client paging through
 * everything) allocates no buffers for the cache and evicts none: evicted buffers would have lived long enough to be
 * promoted, and dying in the old generation they cost full GCs, which showed as p99 spikes on uncached pages. What it
 * is for: the same page polled again before the next write (several windows, scripts, dashboards), answered with
 * the stored bytes and no query, mapping or serialization — and for a main-token GET, before Fastify even routes it
 * (http/cached-read-fast-path.ts): a URL is a key here only after the router matched it to a native read route.
 */
/** A stored answer: always status 200 and JSON; `route` is the route pattern that built it. */
export interface CachedAnswer {
  body: Buffer;
  route: string;
}

export class ResponseCache {
  private version = '';
  private readonly entries = new Map<string, CachedAnswer>();
  /** URLs answered once at this version: being asked again is what earns a URL a place. */
  private readonly askedOnce = new Set<string>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 2 * 1024 * 1024,
    private readonly maxEntries = 8,
    /** URLs remembered as asked once; past this the memory starts over (its strings are small, but not unbounded). */
    private readonly maxRemembered = 256,
  ) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** The stored answer to `url` at `version`, if any. */
  get(url: string, version: string): Buffer | undefined {
    return this.lookup(url, version)?.body;
  }

  /** The stored answer to `url` at `version` with the route that made it (the fast path logs it), if any. */
  lookup(url: string, version: string): CachedAnswer | undefined {
    if (version !== this.version) {
      this.startVersion(version);
      return undefined;
    }
    return this.entries.get(url);
  }

  /**
   * Whether an answer to `url` built at `version` should be stored: asked for before at this version, and there is
   * room. Asked before serializing into a buffer, so an answer that will not be kept is sent as the string it is.
   */
  admits(url: string, version: string): boolean {
    if (version !== this.version) this.startVersion(version);
    if (this.entries.size >= this.maxEntries || this.bytes >= this.maxBytes) return false;
    if (this.askedOnce.has(url)) return true;
    if (this.askedOnce.size >= this.maxRemembered) this.askedOnce.clear();
    this.askedOnce.add(url);
    return false;
  }

  /**
   * Stores an admitted answer (a 200 with a JSON body) to `url`, a raw request target that the router matched to
   * `route`, unless the version moved on meanwhile or it does not fit.
   */
  set(url: string, version: string, body: Buffer, route = ''): void {
    if (version !== this.version || this.entries.has(url)) return;
    if (this.entries.size >= this.maxEntries || this.bytes + body.length > this.maxBytes) return;
    this.entries.set(url, { body, route });
    this.bytes += body.length;
    this.askedOnce.delete(url);
  }

  private startVersion(version: string): void {
    this.version = version;
    this.entries.clear();
    this.askedOnce.clear();
    this.bytes = 0;
  }
}
