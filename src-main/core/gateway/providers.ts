import { createHash } from 'node:crypto';
import { catalogEntry } from '../catalog/catalog.js';
import type { AuthScheme } from '../catalog/types.js';
import type { ProbeKey, ProbeTarget } from '../probe/types.js';
import type { HealthService } from '../service/health-service.js';
import type { ProviderService } from '../service/provider-service.js';
import { MissingEnvError } from '../service/env-refs.js';
import { parseJson } from '../service/codec.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import { badRequest, forbidden, notFound } from './errors.js';

/** One enabled key, its secrets opened in memory, as the gateway uses it. */
export interface GatewayKey {
  row: KeyRow;
  probeKey: ProbeKey;
  weight: number;
  /** The key's allow-list; empty or `*` allows every model. */
  models: readonly string[];
  blacklistedModels: readonly string[];
  /** A digest of everything the credential is made of, so cached access tokens outlive re-reads of an unchanged key. */
  fingerprint: string;
}

/** A provider ready for requests: where they go, how they authenticate, and with which keys. */
export interface GatewayProvider {
  row: ProviderRow;
  target: ProbeTarget;
  /** The type whose API this provider speaks: its catalog id, or a custom provider's base type. */
  dialect: string;
  auth: AuthScheme;
  keys: GatewayKey[];
  /** No key is needed: a keyless type (or custom provider) with no enabled key. */
  keyless: boolean;
  /** Enabled keys left out because their `env.VAR` is not set where Provider Desk runs, for the error when none is left. */
  unusable: string[];
  /** Some key limits its models, so requests must say which model they are for. */
  filtersModels: boolean;
}

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Columns that checks, tests and edits' bookkeeping change without changing how a request is sent. */
const BOOKKEEPING = new Set(['health', 'status', 'state', 'last_check', 'models_status', 'models_error', 'revision', 'updated_at']);

/**
 * What an opened provider was made of: its row and its keys' rows without the bookkeeping columns, sealed secrets
 * included (a replaced key has new ciphertext). Equal signatures open to equal providers, so nothing is decrypted again.
 */
export function providerSignature(row: ProviderRow, keys: readonly KeyRow[]): string {
  return JSON.stringify([row, keys], (name, value: unknown) => {
    if (BOOKKEEPING.has(name)) return undefined;
    // JSON.stringify has already turned a Buffer into { type: 'Buffer', data: [...] } when the replacer sees it.
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer')
      return Buffer.from((value as { data: number[] }).data).toString('base64');
    return value;
  });
}

interface Opened {
  provider: GatewayProvider;
  signature: string;
  /** The store version at which the signature was last found unchanged. */
  version: string;
  /** Whether the user turned a model off, as read at `version` (model curation is not in the provider's rows). */
  disabled: Map<string, boolean>;
}

/**
 * Resolves provider names to what the gateway needs, with secrets opened through the health service (the same
 * target a test uses, so proxy, CA, extra headers and env.VAR resolution are the same). An opened provider — its keys'
 * plaintext in memory only — is kept while the store is unchanged, so a request costs one version check. After any
 * write (the usage counters' flush each second, a test's results) its rows are read again and it is re-opened only
 * when they differ in something a request is made of: an edited provider, a replaced, added, removed or disabled key.
 */
export class ProviderDirectory {
  private readonly cache = new Map<string, Opened>();

  constructor(
    private readonly providers: ProviderService,
    private readonly health: HealthService,
  ) {}

  /**
   * The enabled provider named `name`; a GatewayError when there is none, it is off, or its settings name an unset
   * variable. `version` is the store's version read when the request arrived (by default: now). An older version than
   * the rows read here only makes the next request read them again; rows are never labelled newer than they are.
   */
  resolve(name: string, version = this.providers.storeVersion()): GatewayProvider {
    if (version === '') version = this.providers.storeVersion();
    const cached = this.cache.get(name);
    if (cached?.version === version) return cached.provider;
    const row = this.providers.findRow(name);
    if (!row || row.name !== name || row.enabled !== 1) {
      this.cache.delete(name);
      if (!row || row.name !== name) throw notFound('provider_not_found', `No provider named "${name}" in Provider Desk`);
      throw forbidden('provider_disabled', `Provider "${name}" is disabled in Provider Desk`);
    }
    const keyRows = this.providers.keyRowsOf(row.id);
    const signature = providerSignature(row, keyRows);
    if (cached?.signature === signature) {
      // Unchanged: the same opened keys (and target, whose connections and tokens are kept), with the rows as now stored.
      const rows = new Map(keyRows.map((key) => [key.id, key]));
      cached.provider = {
        ...cached.provider,
        row,
        keys: cached.provider.keys.map((key) => ({ ...key, row: rows.get(key.row.id) ?? key.row })),
      };
      cached.version = version;
      cached.disabled = new Map();
      return cached.provider;
    }
    this.cache.delete(name);
    const provider = this.open(row, keyRows);
    this.cache.set(name, { provider, signature, version, disabled: new Map() });
    return provider;
  }

  /** Whether the user turned `model` of a provider resolve() just returned off; read once per store version. */
  modelDisabled(provider: GatewayProvider, model: string): boolean {
    const memo = this.cache.get(provider.row.name)?.disabled;
    const known = memo?.get(model);
    if (known !== undefined) return known;
    const disabled = this.providers.modelDisabled(provider.row.id, model);
    // Bounded: a client sending ever new model names must not grow it without end.
    if (memo && memo.size < 1000) memo.set(model, disabled);
    return disabled;
  }

  /** Drops every opened provider (and so the plaintext of their keys). */
  clear(): void {
    this.cache.clear();
  }

  /** Every enabled provider (for the model list); rows only, nothing opened. */
  enabledRows(): ProviderRow[] {
    return this.providers.allRows().filter((row) => row.enabled === 1);
  }

  private open(row: ProviderRow, keyRows: readonly KeyRow[]): GatewayProvider {
    let target: ProbeTarget;
    try {
      target = this.health.target(row);
    } catch (error) {
      if (error instanceof MissingEnvError) throw badRequest('missing_env', `Provider "${row.name}" cannot be used: ${error.message}`);
      throw error;
    }
    const custom = target.custom;
    const dialect = custom ? custom.base_provider_type : target.entry.id;
    const auth: AuthScheme = custom?.is_key_less ? 'none' : custom ? catalogEntry(custom.base_provider_type).auth : target.entry.auth;
    const keys: GatewayKey[] = [];
    const unusable: string[] = [];
    const enabled = keyRows.filter((key) => key.enabled === 1);
    for (const key of enabled) {
      let probeKey: ProbeKey;
      try {
        probeKey = this.health.probeKey(row, target, key);
      } catch (error) {
        if (!(error instanceof MissingEnvError)) throw error;
        unusable.push(`key "${key.name}": ${error.message}`);
        continue;
      }
      keys.push({
        row: key,
        probeKey,
        weight: key.weight,
        models: parseJson<string[]>(key.models, []),
        blacklistedModels: parseJson<string[]>(key.blacklisted_models, []),
        fingerprint: digest([row.id, key.id, probeKey.secret, probeKey.keyConfig, target.settings, target.baseUrl]),
      });
    }
    const keyRequired = custom ? !custom.is_key_less : target.entry.keyRequired;
    return {
      row,
      target,
      dialect,
      auth,
      keys,
      keyless: enabled.length === 0 && !keyRequired,
      unusable,
      filtersModels: keys.some((key) => key.blacklistedModels.length > 0 || (key.models.length > 0 && !key.models.includes('*'))),
    };
  }
}

/** A keyless provider's stand-in key: the provider's own settings, no secret (fingerprint per provider). */
export function keylessKey(provider: GatewayProvider): { probeKey: ProbeKey; fingerprint: string } {
  return {
    probeKey: { keyId: null, secret: null, keyConfig: null },
    fingerprint: digest([provider.row.id, null, provider.target.settings, provider.target.baseUrl]),
  };
}
