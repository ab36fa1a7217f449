/**
 * The pre-routing fast path: a GET whose exact request target the page cache holds an answer for, at the store's
 * current version, is answered from the raw `http` request, without Fastify's request and reply objects, hooks and
 * routing (a third of the time a cached list answer took). It answers ONLY what the full path (server.ts) would answer
 * with the same 200 and the same bytes, and otherwise leaves the request to it, untouched:
 *
 * - the target is the cache key byte for byte, and only the native routes store answers, after Fastify routed that
 *   target to one of them (non-public, main-token routes) and the target passed the normal-form check: routing and
 *   that check are functions of the target alone, so a hit is a target the router matches to that route;
 * - the Host is one of ours (the same check as server.ts);
 * - no Origin header (a browser's request goes the full way: CORS headers, the Origin allow-list);
 * - the request presents the main API token as exactly `Authorization: Bearer <token>` and nothing else (no Coder
 *   session header): the full way accepts that form too. Anything else — another form, no token, a wrong one, a
 *   gateway token, a browser session — goes the full way, which gives the 401 or 403 or accepts it;
 * - no request body, a GET (a HEAD or any other method goes the full way);
 * - the server is not closing (the full way then answers 503).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpDeps } from './deps.js';
import { isAllowedHost } from './guard.js';
import type { ResponseCache } from './response-cache.js';

/** The headers every answer of the full path carries (server.ts's onSend hook and native-routes' sendJson). */
const CACHED_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

export class CachedReadFastPath {
  /** Requests answered here (tests assert that a request took this path). */
  hits = 0;
  private open = true;
  private hosts: { port: number; seen: Map<string, boolean> } | undefined;

  constructor(
    private readonly deps: Pick<HttpDeps, 'store' | 'token' | 'logger'>,
    private readonly cache: ResponseCache,
    private readonly port: () => number,
  ) {}

  /** No more answers from here: the server is closing. */
  close(): void {
    this.open = false;
  }

  /** Answers `request` from the cache and returns true, or returns false and leaves it alone. */
  tryAnswer(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.open || request.method !== 'GET') return false;
    const url = request.url;
    const headers = request.headers;
    if (url === undefined || headers.origin !== undefined) return false;
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
    const authorization = headers.authorization;
    if (authorization === undefined || headers['coder-session-token'] !== undefined) return false;
    if (!this.isOurHost(headers.host)) return false;
    const started = performance.now();
    // One version read for the token (ApiToken.current() notices a rotation by another process) and the lookup.
    const version = this.deps.store.version();
    if (!this.deps.token.verifyBearer(authorization, version)) return false;
    const hit = this.cache.lookup(url, version);
    if (!hit) return false;
    this.hits++;
    response.writeHead(200, { ...CACHED_HEADERS, 'content-length': hit.body.length });
    response.end(hit.body);
    this.deps.logger.debug('request', {
      method: 'GET',
      route: hit.route,
      status: 200,
      duration_ms: Math.round(performance.now() - started),
    });
    return true;
  }

  /** isAllowedHost for the Host values clients send, remembered per port (the port is known once listening). */
  private isOurHost(host: string | undefined): boolean {
    const port = this.port();
    if (this.hosts?.port !== port) this.hosts = { port, seen: new Map() };
    if (host === undefined) return false;
    let allowed = this.hosts.seen.get(host);
    if (allowed === undefined) {
      allowed = isAllowedHost(host, port);
      // Bounded: a client sending ever new Host values costs a full check each, not memory.
      if (this.hosts.seen.size < 16) this.hosts.seen.set(host, allowed);
    }
    return allowed;
  }
}
