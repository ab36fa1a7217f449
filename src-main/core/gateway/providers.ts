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

/**
 * Resolves provider names to what the gateway needs, with secrets opened through the health service (the same
 * target a test uses, so proxy, CA, extra headers and env.VAR resolution are the same). Resolutions are kept until the
 * store changes (any write here, or a commit by another process), so a request costs one version check.
 */
export class ProviderDirectory {
  private version = '';
  private readonly cache = new Map<string, GatewayProvider>();

  constructor(
    private readonly providers: ProviderService,
    private readonly health: HealthService,
  ) {}

  /** The enabled provider named `name`; a GatewayError when there is none, it is off, or its settings name an unset variable. */
  resolve(name: string): GatewayProvider {
    const version = this.providers.repo.version();
    if (version !== this.version) {
      this.cache.clear();
      this.version = version;
    }
    const cached = this.cache.get(name);
    if (cached) return cached;
    const row = this.providers.repo.findProvider(name);
    if (!row || row.name !== name) throw notFound('provider_not_found', `No provider named "${name}" in Provider Desk`);
    if (row.enabled !== 1) throw forbidden('provider_disabled', `Provider "${name}" is disabled in Provider Desk`);
    const resolved = this.open(row);
    this.cache.set(name, resolved);
    return resolved;
  }

  /** Every enabled provider (for the model list); rows only, nothing opened. */
  enabledRows(): ProviderRow[] {
    return this.providers.repo.allProviders().filter((row) => row.enabled === 1);
  }

  private open(row: ProviderRow): GatewayProvider {
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
    const enabled = this.providers.repo.keysOf(row.id).filter((key) => key.enabled === 1);
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
