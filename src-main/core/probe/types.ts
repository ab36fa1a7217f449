import type { CatalogEntry } from '../catalog/types.js';
import type { CustomProviderConfig, NetworkConfig, ProxyConfig } from '../contract/config-schemas.js';
import type { CheckResult, ModelInfo } from '../contract/domain-schemas.js';

/** Everything a probe needs to reach a provider, with secrets already resolved (in memory only). */
export interface ProbeTarget {
  providerId: string;
  name: string;
  entry: CatalogEntry;
  /** The provider's base URL (catalog default already applied; may be '' for types built from settings). */
  baseUrl: string;
  /** Type-specific settings with secret fields resolved (e.g. bedrock access_key_secret, vertex service account). */
  settings: Record<string, unknown>;
  network: NetworkConfig;
  proxy: ProxyConfig;
  custom: CustomProviderConfig | null;
  /** The environment of the process that owns the store (AWS credential chain, env.VAR); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** One key to check; secret is null for a keyless provider. */
export interface ProbeKey {
  keyId: string | null;
  secret: string | null;
  /** Bifrost typed key config (azure_key_config, bedrock_key_config, vertex_key_config, …), secrets resolved. */
  keyConfig: Record<string, unknown> | null;
}

export interface ProbeOptions {
  deep?: boolean;
  model?: string;
  signal?: AbortSignal;
}

export interface KeyCheckOutcome {
  result: CheckResult;
  /** The models seen while checking, when the check was a model listing that succeeded. */
  models: ModelInfo[] | null;
}

/** A one-token request to one model: `supported` is false when the type has no such request (nothing was sent). */
export interface ModelCheckOutcome {
  supported: boolean;
  result: CheckResult;
}

/** The probe engine the service calls. Implementations never throw for upstream failures: they return a failed CheckResult. */
export interface ProbeEngine {
  checkKey(target: ProbeTarget, key: ProbeKey, options?: ProbeOptions): Promise<KeyCheckOutcome>;
  /** Lists every model (all pages). On failure returns ok:false with the check result, never an empty list. */
  listModels(
    target: ProbeTarget,
    key: ProbeKey,
    options?: ProbeOptions,
  ): Promise<{ ok: true; models: ModelInfo[] } | { ok: false; result: CheckResult }>;
  /** Sends one one-token request to `model` (the deep test's call, without listing); engines without it cannot check models. */
  checkModel?(target: ProbeTarget, key: ProbeKey, model: string, options?: ProbeOptions): Promise<ModelCheckOutcome>;
}

/** The engine createProbeEngine returns: it owns sockets (one dispatcher per network config) until closed. */
export interface ClosableProbeEngine extends ProbeEngine {
  /** Closes every pooled connection; later checks fail with a clear message. */
  close(): Promise<void>;
}
