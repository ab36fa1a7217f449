import type { OperationOutput } from '../contract/operations.js';
import type { Logger } from '../log/logger.js';
import type { ApiToken } from '../service/api-token.js';
import type { ChangeFeed } from '../service/change-feed.js';
import type { Dispatch } from '../service/dispatcher.js';
import type { HealthService } from '../service/health-service.js';
import type { ProviderService } from '../service/provider-service.js';
import type { TokenService } from '../service/tokens.js';
import type { UsageService } from '../service/usage-service.js';

/** Where the local API listens, as `app.info` reports it (with what Settings says about it). */
export type ApiInfo = OperationOutput<'app.info'>['api'];

/**
 * What the HTTP layer may know of the store: its version, for the page cache and the one read per request the auth
 * hook shares with it. Never rows, never a transaction.
 */
export interface StoreVersion {
  /** Equal values mean equal contents, also across processes (Repository.version). */
  version(): string;
  /** Runs `work` with version() read once and reused until this connection writes (Repository.sharingVersion). */
  sharingVersion<T>(work: () => T): T;
  /** Whether this connection is inside a write now: an answer read then may not be kept. */
  writing(): boolean;
}

/**
 * Everything the HTTP server and its routes get from the backend: the dispatcher, the few services the compatible
 * surfaces, the gateway and the auth hook call, the change feed and the store's version. Built once by the Desk
 * (Desk.http); never the Desk itself, its database, repository or vault (the boundary test holds http/ to that).
 */
export interface HttpDeps {
  readonly version: string;
  readonly dispatch: Dispatch;
  /** The main API token: requests and browser sessions are checked against it. */
  readonly token: ApiToken;
  /** Scoped gateway tokens. */
  readonly tokens: TokenService;
  /** Gateway usage counters. */
  readonly usage: UsageService;
  readonly providers: ProviderService;
  readonly health: HealthService;
  /** Every change to the store, for `GET /api/v1/events`. */
  readonly changes: ChangeFeed;
  readonly logger: Logger;
  readonly store: StoreVersion;
  /** The server says here where it listens (and that it stopped), for `app.info`. */
  readonly api: { get(): ApiInfo; set(api: ApiInfo): void };
}
