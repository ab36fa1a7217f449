import type { ErrorClass } from '../contract/domain-schemas.js';

/** How one request through the gateway went, for the usage counters. */
export type RequestOutcome = 'ok' | ErrorClass;

/** What the gateway reports per request and key (G1's UsageService stores it); counters only, never content. */
export interface UsageEntry {
  /** The scoped token that made the request; null for the main API token. */
  tokenId: string | null;
  providerId: string;
  keyId: string | null;
  outcome: RequestOutcome;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface UsageRecorder {
  record(entry: UsageEntry): void;
}

/**
 * The error class of a provider's non-2xx answer, from its status alone (the body streams to the client unread).
 * A 2xx or 3xx answer is `ok`: the provider served the request.
 */
export function outcomeOfStatus(status: number): RequestOutcome {
  if (status < 400) return 'ok';
  if (status === 401) return 'auth_failed';
  if (status === 402) return 'quota_exceeded';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 407) return 'proxy_failed';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'invalid_response';
}

/** Answers after which the next key may do better: the key was refused or limited, or the provider failed. */
export function isFailoverStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 429 || status >= 500;
}
