import type { CheckResult } from '../contract/domain-schemas.js';
import type { Logger } from '../log/logger.js';
import { ProbeError } from '../probe/errors.js';
import { isRetryableNetworkFailure } from '../probe/classify.js';
import { backoffDelay, retryAfterDelay, sleep } from '../probe/network/retry.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import type { Credentials, KeyMaterial } from './credentials.js';
import { upstreamFailed } from './errors.js';
import { headerText } from './headers.js';
import { keysToTry } from './keys.js';
import { isFailoverStatus, outcomeOfStatus, type RequestOutcome } from './outcome.js';
import { keylessKey, type GatewayKey, type GatewayProvider } from './providers.js';
import { scrubberFor } from './scrub.js';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from './upstream.js';

/** One client request as the failover loop sends it, whatever route it came in by. */
export interface ForwardPlan {
  provider: GatewayProvider;
  /** The model the request is for, when known: keys are chosen among those allowed for it. */
  model: string | null;
  /** The request for one key, with the provider's real credential set (`cached` when a stored token was used). */
  build(key: KeyMaterial): Promise<{ request: UpstreamRequest; cached: boolean }>;
}

/** The answer that goes to the client, and the key that got it. */
export interface Forwarded {
  key: GatewayKey | null;
  response: UpstreamResponse;
  request: UpstreamRequest;
}

export interface FailoverDeps {
  upstream: UpstreamClient;
  credentials: Credentials;
  logger: Logger;
  /** Records a key the provider refused (401) as failing, so health shows it at once. */
  recordKeyCheck(row: ProviderRow, key: KeyRow, result: CheckResult): void;
}

/** Told of each attempt the client never sees (its key failed and another try followed), for the usage counters. */
export type AttemptListener = (key: GatewayKey | null, outcome: RequestOutcome) => void;

function materialOf(provider: GatewayProvider, key: GatewayKey | null): KeyMaterial {
  return key ? { probeKey: key.probeKey, fingerprint: key.fingerprint } : keylessKey(provider);
}

/**
 * Sends a request with the best key and, when the provider refuses or limits that key, fails or cannot be reached
 * (401/403/429/5xx, connection errors), once more with the next key — always before any byte of an answer went to the
 * client, since the answer is only handed over when no other try follows. The provider's network_config applies:
 * max_retries further tries per key for 429/5xx/connection errors with backoff, Retry-After honoured up to
 * retry_backoff_max.
 */
export class Failover {
  constructor(private readonly deps: FailoverDeps) {}

  async forward(plan: ForwardPlan, signal: AbortSignal, onAbandoned: AttemptListener = () => undefined): Promise<Forwarded> {
    const { provider } = plan;
    const network = provider.target.network;
    const policy = { maxRetries: network.max_retries, initialMs: network.retry_backoff_initial, maxMs: network.retry_backoff_max };
    const keys = keysToTry(provider, plan.model);
    let lastFailure: ProbeError | null = null;

    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] ?? null;
      const material = materialOf(provider, key);
      const hasNext = index + 1 < keys.length;
      let renewed = false;
      for (let attempt = 0; ; attempt++) {
        const canRetry = attempt < policy.maxRetries;
        let built: { request: UpstreamRequest; cached: boolean };
        let response: UpstreamResponse;
        try {
          built = await plan.build(material);
          response = await this.deps.upstream.send(provider.target, built.request, signal, () =>
            scrubberFor(provider.target, material.probeKey),
          );
        } catch (error) {
          if (!(error instanceof ProbeError) || signal.aborted) throw error;
          // No answer (or no credentials to ask with): counted against the key, then retried or failed over.
          lastFailure = error;
          onAbandoned(key, error.errorClass);
          if (canRetry && isRetryableNetworkFailure(error)) {
            await sleep(backoffDelay(attempt, policy), signal);
            continue;
          }
          break;
        }

        const status = response.statusCode;
        if (!isFailoverStatus(status)) return { key, response, request: built.request };
        if (status === 401 && built.cached && !renewed) {
          // A stored access token may have expired early: one more try with a fresh one before blaming the key.
          renewed = true;
          this.deps.credentials.invalidate(material);
          await response.body.dump();
          onAbandoned(key, 'auth_failed');
          continue;
        }
        if (status === 401 && key) this.keyRefused(provider, key, built.request);
        const retrySame = canRetry && (status === 429 || status >= 500);
        if (!retrySame && !hasNext) return { key, response, request: built.request };

        const retryAfter = retryAfterDelay(headerText(response.headers, 'retry-after'), policy.maxMs);
        await response.body.dump();
        onAbandoned(key, outcomeOfStatus(status));
        this.deps.logger.info('gateway retry', { provider: provider.row.name, key_name: key?.row.name ?? '', status });
        if (retrySame) {
          await sleep(retryAfter ?? backoffDelay(attempt, policy), signal);
          continue;
        }
        // A 429 is about this key, so the next one is tried at once; a 5xx is about the provider, whose pause is kept.
        if (status >= 500 && retryAfter) await sleep(retryAfter, signal);
        break;
      }
    }
    const failure = lastFailure ?? new ProbeError({ errorClass: 'server_error', httpStatus: null, summary: 'no answer', hint: null });
    throw upstreamFailed(failure.errorClass, `Provider "${provider.row.name}" could not be reached: ${failure.message}`);
  }

  /** A 401 proves the key wrong now: its health says so at once, as a test would have. */
  private keyRefused(provider: GatewayProvider, key: GatewayKey, request: UpstreamRequest): void {
    this.deps.logger.warn('gateway key refused', { provider: provider.row.name, key_name: key.row.name, status: 401 });
    try {
      this.deps.recordKeyCheck(provider.row, key.row, {
        key_id: key.row.id,
        ok: false,
        latency_ms: 0,
        http_status: 401,
        error_class: 'auth_failed',
        message: `401 from ${request.url.pathname} (a request through the gateway): the provider refused the key`,
        hint: 'the key was rejected; check it or create a new one',
        checked_at: new Date().toISOString(),
      });
    } catch (error) {
      this.deps.logger.error('gateway could not record a key check', { provider: provider.row.name, error: (error as Error).name });
    }
  }
}
