import { request } from 'undici';
import type { NetworkConfig, ProxyConfig } from '../../contract/config-schemas.js';
import { BLOCKED_ADDRESS_CODE, classifyNetworkError, isRetryableNetworkFailure } from '../classify.js';
import { ProbeError } from '../errors.js';
import type { SecretScrubber } from '../scrub.js';
import type { DispatcherPool } from './dispatchers.js';
import { assertHostAllowed, type Resolver } from './guarded-connect.js';
import { backoffDelay, isRetryableStatus, retryAfterDelay, sleep } from './retry.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** The request path without its query, for messages ("404 from /v1/models"). */
  path: string;
}

/** Answers larger than this are not model lists. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Headers that carry framing or routing; a user's extra_headers may not set them. */
const RESERVED = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'keep-alive',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
]);

export interface HttpDeps {
  pool: DispatcherPool;
  resolve: Resolver;
}

/** Merges the user's extra headers under the request's own: auth and protocol headers always win. */
export function mergeHeaders(extra: Record<string, string>, own: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    if (!RESERVED.has(lower) && !ownNames.has(lower)) out[name] = value;
  }
  return { ...out, ...own };
}

interface ResponseBody {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  destroy(): unknown;
}

/**
 * The whole body as text, refused past MAX_BODY_BYTES. Read with plain stream events: an async iterator per answer
 * costs test-all a good share of its CPU per provider, for nothing a listener does not do.
 */
function readLimited(body: ResponseBody, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    body.on('data', (chunk) => {
      if (refused) return; // a destroyed stream may still deliver what it had
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      refused = true;
      chunks.length = 0;
      body.destroy();
      reject(
        new ProbeError({
          errorClass: 'invalid_response',
          httpStatus: null,
          summary: `the answer from ${path} is larger than 32 MB`,
          hint: 'check the base URL',
        }),
      );
    });
    body.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
    // Closed without an end or an error (destroyed quietly): never leave the probe waiting. After either, a no-op.
    body.once('close', () => reject(new Error('the connection closed before the answer ended')));
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * HTTP for one provider: its timeout, retries (429/5xx/connection errors, exponential backoff with jitter,
 * Retry-After honoured up to retry_backoff_max), extra headers, proxy, CA and private-network policy.
 * Returns every HTTP answer (the caller classifies statuses); throws ProbeError when no answer came.
 */
export class ProviderHttp {
  constructor(
    private readonly deps: HttpDeps,
    private readonly network: NetworkConfig,
    private readonly proxy: ProxyConfig,
    private readonly scrubber: SecretScrubber,
    private readonly signal?: AbortSignal,
  ) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    const policy = {
      maxRetries: this.network.max_retries,
      initialMs: this.network.retry_backoff_initial,
      maxMs: this.network.retry_backoff_max,
    };
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < policy.maxRetries;
      let response: HttpResponse;
      try {
        response = await this.once(req);
      } catch (error) {
        if (!(error instanceof ProbeError) || !canRetry || !isRetryableNetworkFailure(error)) throw error;
        await this.pause(backoffDelay(attempt, policy));
        continue;
      }
      if (!canRetry || !isRetryableStatus(response.status)) return response;
      await this.pause(retryAfterDelay(response.headers['retry-after'], policy.maxMs) ?? backoffDelay(attempt, policy));
    }
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, this.signal);
    } catch {
      throw new ProbeError({ errorClass: 'timeout', httpStatus: null, summary: 'the check was cancelled', hint: null });
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const timeoutMs = this.network.default_request_timeout_in_seconds * 1000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('request timeout'));
    }, timeoutMs);
    const onAbort = () => controller.abort(this.signal?.reason);
    this.signal?.addEventListener('abort', onAbort, { once: true });
    let routedProxy: { host: string; port: number; type: string } | null = null;
    try {
      if (this.signal?.aborted) throw this.signal.reason;
      const routed = this.deps.pool.get(this.network, this.proxy);
      routedProxy = routed.proxy;
      if (routed.proxy) await this.checkProxiedTarget(url.hostname);
      const headers = mergeHeaders(this.network.extra_headers, req.headers ?? {});
      const res = await request(url, {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher: routed.dispatcher,
        signal: controller.signal,
      });
      const text = await readLimited(res.body, url.pathname);
      return { status: res.statusCode, headers: flattenHeaders(res.headers), text, path: url.pathname };
    } catch (error) {
      throw classifyNetworkError(error, {
        target: url.host,
        proxy: routedProxy,
        timedOut,
        timeoutMs,
        cancelled: !timedOut && Boolean(this.signal?.aborted),
        scrubber: this.scrubber,
      });
    } finally {
      clearTimeout(timer);
      this.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Through a proxy we never dial the target ourselves, so the private-network rule is checked on the URL's
   * literal address or, for a name, on what it resolves to here. A name we cannot resolve is left to the proxy.
   */
  private async checkProxiedTarget(hostname: string): Promise<void> {
    try {
      await assertHostAllowed(hostname, this.network.allow_private_network, this.deps.resolve);
    } catch (error) {
      if ((error as { code?: unknown }).code === BLOCKED_ADDRESS_CODE) throw error;
    }
  }
}
