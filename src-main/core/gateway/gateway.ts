import type { Logger } from '../log/logger.js';
import { DispatcherPool } from '../probe/network/dispatchers.js';
import { systemResolver, type Resolver } from '../probe/network/guarded-connect.js';
import type { HealthService } from '../service/health-service.js';
import type { ProviderService } from '../service/provider-service.js';
import type { ModelRow } from '../store/rows.js';
import { Credentials } from './credentials.js';
import { forbidden } from './errors.js';
import { Failover, type ForwardPlan } from './failover.js';
import { forwardedResponseHeaders } from './headers.js';
import { compatModels, type CompatModel } from './openai-compat.js';
import type { RequestOutcome, UsageRecorder } from './outcome.js';
import { ProviderDirectory, type GatewayKey, type GatewayProvider } from './providers.js';
import { relayBody, type ClientSink } from './stream.js';
import { UpstreamClient } from './upstream.js';

/** Who is calling: a scoped token (its id and the providers it may use; null = all) or the main API token (null). */
export type GatewayCaller = { id: string; providers: readonly string[] | null } | null;

export interface GatewayDeps {
  providers: ProviderService;
  health: HealthService;
  logger: Logger;
  /** Where usage counters go (the usage service); absent, nothing is counted. */
  usage?: () => UsageRecorder | undefined;
  /** Name resolution for connections and the private-network rule (tests map names to chosen addresses). */
  resolve?: Resolver;
}

/** What the route hands to the client: the provider's status and headers, and its body to relay unchanged. */
export interface GatewayAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  /** Writes the body to `client` (whose headers are sent) as it arrives, counting usage; call it exactly once. */
  relay(client: ClientSink): void;
  /** Drops the answer unread (the route could not send its headers). */
  discard(): void;
}

/**
 * The local gateway: resolves providers, chooses keys, sends requests with the provider's real credential (failing
 * over once), and streams answers back while counting usage. It owns its connections (one undici dispatcher per
 * network configuration, as the probes keep theirs) until closed.
 */
export class Gateway {
  readonly directory: ProviderDirectory;
  readonly credentials: Credentials;
  private readonly pool: DispatcherPool;
  private readonly failover: Failover;

  constructor(private readonly deps: GatewayDeps) {
    const resolve = deps.resolve ?? systemResolver;
    this.pool = new DispatcherPool(resolve);
    this.directory = new ProviderDirectory(deps.providers, deps.health);
    this.credentials = new Credentials({ pool: this.pool, resolve });
    this.failover = new Failover({
      upstream: new UpstreamClient(this.pool, resolve),
      credentials: this.credentials,
      logger: deps.logger,
      recordKeyCheck: (row, key, result) => deps.health.recordKeyCheck(row, key, result),
    });
  }

  /** The enabled provider named `name`, if the caller may use it (as of the store's `version`, when the caller read it). */
  provider(name: string, caller: GatewayCaller, version?: string): GatewayProvider {
    if (caller?.providers && !caller.providers.includes(name))
      throw forbidden('provider_not_allowed', `This token may not use provider "${name}"`);
    return this.directory.resolve(name, version);
  }

  /**
   * Sends the request (with failover) and returns the answer to stream to the client. `signal` is aborted when the
   * client goes away, which cancels the upstream request at any point.
   */
  async send(plan: ForwardPlan, caller: GatewayCaller, signal: AbortSignal): Promise<GatewayAnswer> {
    const record = (key: GatewayKey | null, outcome: RequestOutcome, input: number | null, output: number | null) =>
      this.record(plan.provider, caller, key, outcome, input, output);
    const { key, response, request } = await this.failover.forward(plan, signal, (failed, outcome) => record(failed, outcome, null, null));
    return {
      status: response.statusCode,
      headers: forwardedResponseHeaders(response.headers),
      relay: (client) =>
        relayBody(
          response,
          client,
          request.url.host,
          () => signal.aborted,
          ({ outcome, usage }) => record(key, outcome, usage.input, usage.output),
        ),
      discard: () => {
        response.body.destroy();
        record(key, 'invalid_response', null, null);
      },
    };
  }

  /** Every model the caller may use, as `provider/model`. */
  models(caller: GatewayCaller): CompatModel[] {
    const rows = this.directory.enabledRows().filter((row) => !caller?.providers || caller.providers.includes(row.name));
    const providers = this.deps.providers;
    const modelsOf = new Map<string, ModelRow[]>();
    // Leaves out models turned off by the user, or no longer listed.
    for (const model of providers.offeredModelRows()) {
      const list = modelsOf.get(model.provider_id);
      if (list) list.push(model);
      else modelsOf.set(model.provider_id, [model]);
    }
    const keysOf = providers.keyRowsOfMany(rows.map((row) => row.id));
    return compatModels(
      rows.map((row) => ({
        row,
        models: modelsOf.get(row.id) ?? [],
        keys: (keysOf.get(row.id) ?? []).filter((key) => key.enabled === 1),
      })),
    );
  }

  async close(): Promise<void> {
    this.credentials.clear();
    this.directory.clear();
    await this.pool.close();
  }

  private record(
    provider: GatewayProvider,
    caller: GatewayCaller,
    key: GatewayKey | null,
    outcome: RequestOutcome,
    inputTokens: number | null,
    outputTokens: number | null,
  ): void {
    const usage = this.deps.usage?.();
    if (!usage) return;
    try {
      usage.record({
        tokenId: caller?.id ?? null,
        providerId: provider.row.id,
        keyId: key?.row.id ?? null,
        outcome,
        inputTokens,
        outputTokens,
      });
    } catch (error) {
      this.deps.logger.error('gateway could not record usage', { provider: provider.row.name, error: (error as Error).name });
    }
  }
}
