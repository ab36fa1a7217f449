import { catalogEntry } from '../catalog/catalog.js';
import {
  CONCURRENCY_DEFAULTS,
  NETWORK_DEFAULTS,
  type ConcurrencyAndBufferSize,
  type CustomProviderConfig,
  type NetworkConfig,
} from '../contract/config-schemas.js';
import type { ApiKey, CheckResult, ModelInfo, Provider, StoredModel } from '../contract/domain-schemas.js';
import type { ProviderRow, StoredModelRow } from '../store/rows.js';
import type { KeyView } from '../store/repository.js';
import { coderMask, type MaskParts } from './masking.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { keyHealth, legacyKeyStatus } from './health-model.js';
import { redactedView, SECRET_LIST_KEY } from './secret-fields.js';
import {
  fingerprintHeaders,
  fingerprintProxyUrl,
  isNetworkValuePath,
  PROXY_PASSWORD_PATH,
  redactHeaders,
  redactProxyUrl,
} from './network-secrets.js';

export { PROXY_PASSWORD_PATH };

/** The proxy block as stored: the password and the URL's userinfo secret live in the provider's sealed secrets. */
export interface StoredProxy {
  type: 'none' | 'http' | 'socks5' | 'environment';
  url: string;
  username: string;
  ca_cert_pem: string;
}
export const PROXY_DEFAULTS: StoredProxy = { type: 'none', url: '', username: '', ca_cert_pem: '' };

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function secretPathsOf(jsonWithList: Record<string, unknown>): string[] {
  const list = jsonWithList[SECRET_LIST_KEY];
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

export function networkOf(row: ProviderRow): NetworkConfig {
  return { ...NETWORK_DEFAULTS, ...parseJson<Partial<NetworkConfig>>(row.network_config, {}) };
}

export function proxyOf(row: ProviderRow): StoredProxy {
  return { ...PROXY_DEFAULTS, ...parseJson<Partial<StoredProxy>>(row.proxy_config, {}) };
}

export function concurrencyOf(row: ProviderRow): ConcurrencyAndBufferSize {
  return { ...CONCURRENCY_DEFAULTS, ...parseJson<Partial<ConcurrencyAndBufferSize>>(row.concurrency, {}) };
}

export function customOf(row: ProviderRow): CustomProviderConfig | null {
  return parseJson<CustomProviderConfig | null>(row.custom_provider_config, null);
}

export function settingsOf(row: ProviderRow): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(row.settings, {});
}

function withoutSecretList(settings: Record<string, unknown>): Record<string, unknown> {
  if (!(SECRET_LIST_KEY in settings)) return settings;
  const { [SECRET_LIST_KEY]: _list, ...rest } = settings;
  return rest;
}

export function keyMaskParts(row: Pick<KeyView, 'mask_head' | 'mask_tail' | 'secret_length'>): MaskParts {
  return { head: row.mask_head, tail: row.mask_tail, length: row.secret_length };
}

/** A key as every output shows it: never the secret, only its mask (or its env reference as written). */
export function toApiKey(row: KeyView): ApiKey {
  const config = parseJson<Record<string, unknown> | null>(row.key_config, null);
  const check = parseJson<CheckResult | null>(row.last_check, null);
  return {
    id: row.id,
    name: row.name,
    masked: row.secret_ref ?? coderMask(keyMaskParts(row)),
    source: row.secret_ref ? 'env' : 'literal',
    enabled: row.enabled === 1,
    weight: row.weight,
    models: parseJson<string[]>(row.models, []),
    blacklisted_models: parseJson<string[]>(row.blacklisted_models, []),
    use_for_batch_api: row.use_for_batch_api === 1,
    key_config: config ? redactedView(config, secretPathsOf(config)) : null,
    health: keyHealth(check),
    status: legacyKeyStatus(keyHealth(check)),
    last_check: check,
    headroom: check?.headroom ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toProvider(row: ProviderRow, keys: KeyView[], modelsCount: number): Provider {
  const settings = settingsOf(row);
  const proxy = proxyOf(row);
  const secretPaths = secretPathsOf(settings);
  const proxyHasPassword = secretPaths.includes(PROXY_PASSWORD_PATH);
  const shownSecrets = secretPaths.filter((p) => p !== PROXY_PASSWORD_PATH && !isNetworkValuePath(p));
  // Most providers keep no setting secret: then the freshly parsed settings need no deep copy, only the list key dropped.
  const visibleSettings = shownSecrets.length > 0 ? redactedView(settings, shownSecrets) : withoutSecretList(settings);
  const network = networkOf(row);
  return {
    id: row.id,
    seq: row.seq,
    name: row.name,
    display_name: row.display_name,
    type: row.type,
    base_url: row.base_url,
    enabled: row.enabled === 1,
    description: row.description,
    settings: visibleSettings,
    // Stored blocks hold `<REDACTED>` where a secret is sealed; redacting again also covers a row written before that.
    network_config: { ...network, extra_headers: redactHeaders(network.extra_headers) },
    proxy_config: { ...proxy, url: redactProxyUrl(proxy.url), has_password: proxyHasPassword },
    concurrency_and_buffer_size: concurrencyOf(row),
    custom_provider_config: customOf(row),
    send_back_raw_request: row.send_back_raw_request === 1,
    send_back_raw_response: row.send_back_raw_response === 1,
    store_raw_request_response: row.store_raw_request_response === 1,
    capabilities: catalogEntry(row.type).capabilities,
    health: row.health as Provider['health'],
    status: row.status as Provider['status'],
    state: row.state as Provider['state'],
    last_check: parseJson<CheckResult | null>(row.last_check, null),
    models_count: modelsCount,
    config_hash: row.config_hash,
    revision: row.revision,
    api_keys: keys.map(toApiKey),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Whether a stored model is offered to tools (surfaces, gateway, exports): the user has not turned it off and the provider still lists it. */
export function modelOffered(row: Pick<StoredModelRow, 'enabled' | 'gone_at'>): boolean {
  return row.enabled !== 0 && row.gone_at === null;
}

export function toModel(row: StoredModelRow): StoredModel {
  return {
    id: row.model_id,
    // A custom id (or a choice imported before any listing) may have no name of its own.
    display_name: row.display_name || row.model_id,
    capabilities: parseJson<ModelInfo['capabilities']>(row.capabilities, []),
    context_window: row.context_window,
    owned_by: row.owned_by,
    key_id: row.key_id,
    fetched_at: row.fetched_at,
    enabled: row.enabled !== 0,
    custom: row.custom === 1,
    gone_at: row.gone_at,
  };
}

/**
 * Bifrost's config_hash: SHA-256 over the name and the canonical JSON of each present config block and the true raw flags.
 * Keys are excluded; the base URL is part of network_config.
 */
export function providerConfigHash(
  row: Pick<
    ProviderRow,
    | 'name'
    | 'base_url'
    | 'network_config'
    | 'proxy_config'
    | 'concurrency'
    | 'custom_provider_config'
    | 'send_back_raw_request'
    | 'send_back_raw_response'
    | 'store_raw_request_response'
  >,
  /**
   * Vault fingerprints of the sealed network secrets by path (proxy password, proxy URL userinfo, header values):
   * a new secret must give a new hash, like any other change.
   */
  fingerprints: Record<string, string> = {},
): string {
  const network = { ...NETWORK_DEFAULTS, ...parseJson<Partial<NetworkConfig>>(row.network_config, {}), base_url: row.base_url };
  const parts: Record<string, unknown> = {
    name: row.name,
    network_config: { ...network, extra_headers: fingerprintHeaders(network.extra_headers, fingerprints) },
    concurrency_and_buffer_size: parseJson<object>(row.concurrency, CONCURRENCY_DEFAULTS),
  };
  const stored = parseJson<StoredProxy>(row.proxy_config, PROXY_DEFAULTS);
  const proxy = stored.url ? { ...stored, url: fingerprintProxyUrl(stored.url, fingerprints) } : stored;
  const passwordPrint = fingerprints[PROXY_PASSWORD_PATH];
  if (proxy.type !== 'none') parts.proxy_config = passwordPrint ? { ...proxy, password: passwordPrint } : proxy;
  const custom = parseJson<object | null>(row.custom_provider_config, null);
  if (custom) parts.custom_provider_config = custom;
  if (row.send_back_raw_request) parts.send_back_raw_request = true;
  if (row.send_back_raw_response) parts.send_back_raw_response = true;
  if (row.store_raw_request_response) parts.store_raw_request_response = true;
  return sha256Hex(canonicalJson(parts));
}
