import { request, type Dispatcher } from 'undici';
import { BLOCKED_ADDRESS_CODE, classifyNetworkError } from '../probe/classify.js';
import type { DispatcherPool, RoutedDispatcher } from '../probe/network/dispatchers.js';
import { assertHostAllowed, type Resolver } from '../probe/network/guarded-connect.js';
import { mergeHeaders } from '../probe/network/http-client.js';
import type { SecretScrubber } from '../probe/scrub.js';
import type { ProbeTarget } from '../probe/types.js';

/** One request to a provider, with the provider's real credential already set. */
export interface UpstreamRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * Sends gateway requests through the probes' dispatcher pool, so a provider's proxy, CA, TLS and private-network rule
 * apply exactly as in its tests; its timeout bounds the wait for the answer's headers and every pause in its body.
 * The answer is returned unread: its body streams to the client.
 */
export class UpstreamClient {
  /** The dispatcher of each resolved provider, so a request skips the pool's digest of its network settings. */
  private readonly routes = new WeakMap<ProbeTarget, RoutedDispatcher>();

  constructor(
    private readonly pool: DispatcherPool,
    private readonly resolve: Resolver,
  ) {}

  /** The answer, or a classified ProbeError when none came (connection, TLS, proxy, timeout, cancelled); `scrubber` is built only then. */
  async send(target: ProbeTarget, req: UpstreamRequest, signal: AbortSignal, scrubber: () => SecretScrubber): Promise<UpstreamResponse> {
    const timeoutMs = target.network.default_request_timeout_in_seconds * 1000;
    let proxy: { host: string; port: number; type: string } | null = null;
    try {
      const routed = this.route(target);
      proxy = routed.proxy;
      if (proxy) await this.checkProxiedTarget(req.url.hostname, target.network.allow_private_network);
      return await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: mergeHeaders(target.network.extra_headers, req.headers),
        body: req.body && req.body.length > 0 ? req.body : null,
        dispatcher: routed.dispatcher,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw classifyNetworkError(error, {
        target: req.url.host,
        proxy,
        timedOut: false,
        timeoutMs,
        cancelled: signal.aborted,
        scrubber: scrubber(),
      });
    }
  }

  private route(target: ProbeTarget): RoutedDispatcher {
    const known = this.routes.get(target);
    // The pool closes the least recently used dispatcher once it holds too many configurations.
    const state = known?.dispatcher as { closed?: boolean; destroyed?: boolean } | undefined;
    if (known && !state?.closed && !state?.destroyed) return known;
    const routed = this.pool.get(target.network, target.proxy);
    this.routes.set(target, routed);
    return routed;
  }

  /** Through a proxy we never dial the provider ourselves: its address is checked here instead (as the probes do). */
  private async checkProxiedTarget(hostname: string, allowPrivateNetwork: boolean): Promise<void> {
    try {
      await assertHostAllowed(hostname, allowPrivateNetwork, this.resolve);
    } catch (error) {
      if ((error as { code?: unknown }).code === BLOCKED_ADDRESS_CODE) throw error;
    }
  }
}
