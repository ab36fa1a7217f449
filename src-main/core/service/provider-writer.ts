import { randomUUID } from 'node:crypto';
import type { CatalogEntry } from '../catalog/types.js';
import {
  NETWORK_DEFAULTS,
  type NetworkConfigInput,
  type ProxyConfigInput,
  type CustomProviderConfigInput,
} from '../contract/config-schemas.js';
import type { ApiKeyCreateInput, ApiKeyPatch } from '../contract/provider-inputs.js';
import { DeskError, formatPath, validationError } from '../contract/errors.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import { isEnvRef, type Vault } from '../vault/vault.js';
import { maskParts } from './masking.js';
import {
  PROXY_DEFAULTS,
  PROXY_PASSWORD_PATH,
  parseJson,
  providerConfigHash,
  proxyOf,
  secretPathsOf,
  settingsOf,
  type StoredProxy,
} from './codec.js';
import { mergeSecrets, REDACTED, SECRET_LIST_KEY, splitSecrets } from './secret-fields.js';
import { isNetworkValuePath, networkValuesOf, PROXY_URL_SECRET_PATH, sealHeaders, sealProxyUrl } from './network-secrets.js';
import { canonicalJson } from './canonical-json.js';
import { clearedKeyVerdict } from './health-model.js';

/** Types whose base URL is built from settings (endpoint, region, project), so none is required up front. */
const BASE_URL_FROM_SETTINGS = new Set(['azure', 'bedrock', 'vertex']);

export function providerSecretsAad(providerId: string): string {
  return `providers:${providerId}:secrets`;
}
export function keyValueAad(keyId: string): string {
  return `api_keys:${keyId}:value`;
}
export function keyConfigAad(keyId: string): string {
  return `api_keys:${keyId}:config`;
}

/** Opens a provider's sealed secrets (settings secrets, proxy password and URL userinfo, header values). Plaintext stays in memory. */
export function openProviderSecrets(vault: Vault, row: Pick<ProviderRow, 'id' | 'secrets'>): Record<string, string> {
  if (!row.secrets) return {};
  return JSON.parse(vault.openText(row.secrets, providerSecretsAad(row.id))) as Record<string, string>;
}

function sealSecrets(vault: Vault, aad: string, secrets: Record<string, string>): Buffer | null {
  return Object.keys(secrets).length === 0 ? null : vault.sealText(JSON.stringify(secrets), aad);
}

/**
 * The base URL to store: as the user gave it (a trailing slash included: clients such as Coder's compare it for equality,
 * and the probes join paths onto it slash-tolerantly), else the catalog default or one built from settings.
 */
export function resolveBaseUrl(entry: CatalogEntry, given: string | undefined, settings: Record<string, unknown>): string {
  if (given) return given;
  if (entry.defaultBaseUrl) return entry.defaultBaseUrl;
  if (entry.id === 'azure' && typeof settings.endpoint === 'string' && settings.endpoint) return settings.endpoint.replace(/\/+$/, '');
  if (BASE_URL_FROM_SETTINGS.has(entry.id)) return '';
  throw validationError([{ path: 'base_url', message: `is required for type ${entry.id} (it has no default)` }]);
}

export function settingSecretNames(entry: CatalogEntry): Set<string> {
  return new Set(entry.settings.filter((f) => f.secret).map((f) => f.name));
}

/** Settings after a patch: shallow merge (null removes a field), secrets split out and kept unless replaced. */
export function applySettings(
  entry: CatalogEntry,
  previousPlain: Record<string, unknown>,
  previousSecrets: Record<string, string>,
  patch: Record<string, unknown> | undefined,
): { plain: Record<string, unknown>; secrets: Record<string, string> } {
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(previousPlain)) if (key !== SECRET_LIST_KEY) merged[key] = value;
  for (const path of Object.keys(previousSecrets)) if (path !== PROXY_PASSWORD_PATH && !path.includes('.')) merged[path] = REDACTED;
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const { plain, secrets } = splitSecrets(merged, previousSecrets, settingSecretNames(entry));
  // The network secrets share the sealed blob: carried over here, changed (if at all) by applyProxy and applyNetwork.
  const proxyPassword = previousSecrets[PROXY_PASSWORD_PATH];
  if (proxyPassword !== undefined) secrets[PROXY_PASSWORD_PATH] = proxyPassword;
  Object.assign(secrets, networkValuesOf(previousSecrets));
  return { plain, secrets };
}

/** A `<REDACTED>` secret sent where nothing is stored to keep: refused rather than stored as the marker itself. */
function nothingToKeep(paths: string[]): DeskError {
  return validationError(paths.map((path) => ({ path, message: 'is <REDACTED> but nothing is stored here to keep; give the value' })));
}

/**
 * The proxy block after a patch. The password and the URL's userinfo secret go to `secrets` (which holds the stored
 * ones on entry); the stored URL shows `<REDACTED>` in their place, and `<REDACTED>` sent back keeps them.
 */
export function applyProxy(
  previous: StoredProxy,
  secrets: Record<string, string>,
  patch: ProxyConfigInput | null | undefined,
): StoredProxy {
  if (patch === undefined) return previous;
  if (patch === null) {
    delete secrets[PROXY_PASSWORD_PATH];
    delete secrets[PROXY_URL_SECRET_PATH];
    return { ...PROXY_DEFAULTS };
  }
  let url = previous.url;
  if (patch.url !== undefined) {
    const sealed = sealProxyUrl(patch.url, secrets);
    if (sealed.missing) throw nothingToKeep(['proxy_config.url']);
    url = sealed.url;
  }
  const next: StoredProxy = {
    type: patch.type ?? (patch.url ? 'http' : previous.type),
    url,
    username: patch.username ?? previous.username,
    ca_cert_pem: patch.ca_cert_pem === REDACTED ? previous.ca_cert_pem : (patch.ca_cert_pem ?? previous.ca_cert_pem),
  };
  if (patch.password !== undefined && patch.password !== REDACTED) {
    if (patch.password === '') delete secrets[PROXY_PASSWORD_PATH];
    else secrets[PROXY_PASSWORD_PATH] = patch.password;
  }
  if (next.type === 'none') delete secrets[PROXY_PASSWORD_PATH];
  return next;
}

/**
 * The network block after a patch. Secret header values go to `secrets` (which holds the stored ones on entry) and
 * are stored as `<REDACTED>`; a header map sent replaces the stored one, and `<REDACTED>` in it keeps a stored value.
 */
export function applyNetwork(
  previous: Record<string, unknown>,
  patch: NetworkConfigInput | undefined,
  secrets: Record<string, string>,
): Record<string, unknown> {
  if (!patch) return previous;
  const { base_url: _ignored, ...rest } = patch;
  const next = { ...previous, ...rest };
  if (patch.ca_cert_pem === REDACTED) next.ca_cert_pem = typeof previous.ca_cert_pem === 'string' ? previous.ca_cert_pem : '';
  if (patch.extra_headers !== undefined) {
    const { headers, missing } = sealHeaders(patch.extra_headers, secrets);
    if (missing.length > 0) throw nothingToKeep(missing.map((name) => formatPath(['network_config', 'extra_headers', name])));
    next.extra_headers = headers;
  }
  return next;
}

export function normaliseCustom(custom: CustomProviderConfigInput | null | undefined, previous: string | null): string | null {
  if (custom === undefined) return previous;
  if (custom === null) return null;
  return JSON.stringify({
    is_key_less: custom.is_key_less ?? false,
    base_provider_type: custom.base_provider_type,
    allowed_requests: custom.allowed_requests ?? null,
    request_path_overrides: custom.request_path_overrides ?? null,
  });
}

/** Stores the settings JSON with the list of secret paths it has in the vault, so outputs can say "set" without decrypting. */
export function settingsJson(plain: Record<string, unknown>, secrets: Record<string, string>): string {
  const paths = Object.keys(secrets).sort();
  return JSON.stringify(paths.length > 0 ? { ...plain, [SECRET_LIST_KEY]: paths } : plain);
}

/** The fingerprints that put the sealed network secrets (proxy password, URL userinfo, header values) into the config hash. */
export function secretFingerprints(vault: Vault, secrets: Record<string, string>): Record<string, string> {
  const prints: Record<string, string> = {};
  for (const [path, value] of Object.entries(secrets)) {
    if ((path === PROXY_PASSWORD_PATH || isNetworkValuePath(path)) && value) prints[path] = vault.fingerprint(value);
  }
  return prints;
}

/**
 * Seals the secrets and computes the config hash. `keepSealed` reuses the stored blob when the secrets did not
 * change (then `secrets` is only read for the proxy password's fingerprint).
 */
export function finishProviderRow(
  vault: Vault,
  row: Omit<ProviderRow, 'seq' | 'secrets' | 'config_hash'>,
  secrets: Record<string, string>,
  keepSealed?: Buffer | null,
): Omit<ProviderRow, 'seq'> {
  const sealed = keepSealed !== undefined ? keepSealed : sealSecrets(vault, providerSecretsAad(row.id), secrets);
  const complete = { ...row, secrets: sealed, config_hash: '' };
  complete.config_hash = providerConfigHash(complete, secretFingerprints(vault, secrets));
  return complete;
}

export function initialNetwork(
  entry: CatalogEntry,
  input: NetworkConfigInput | undefined,
  secrets: Record<string, string>,
): Record<string, unknown> {
  return applyNetwork({ ...NETWORK_DEFAULTS, allow_private_network: entry.local }, input, secrets);
}

export { proxyOf, settingsOf, secretPathsOf, parseJson };

/** Validates key fields that depend on the provider and on its other keys. */
export function checkKeyName(name: string, existing: KeyRow[], exceptId?: string): void {
  if (existing.some((k) => k.name === name && k.id !== exceptId)) {
    throw new DeskError('conflict', `A key named "${name}" already exists for this provider`, {
      fields: [{ path: 'name', message: 'is already used' }],
    });
  }
}

export function nextKeyName(existing: KeyRow[]): string {
  const used = new Set(existing.map((k) => k.name));
  for (let n = existing.length + 1; ; n++) if (!used.has(`key-${n}`)) return `key-${n}`;
}

function applySecret(vault: Vault, row: KeyRow, value: string): void {
  const stored = vault.store(value, keyValueAad(row.id));
  if (stored.kind === 'env') {
    row.secret_ref = stored.ref;
    row.secret_sealed = null;
    row.mask_head = '';
    row.mask_tail = '';
    row.secret_length = 0;
  } else {
    const parts = maskParts(value);
    row.secret_ref = null;
    row.secret_sealed = stored.sealed;
    row.mask_head = parts.head;
    row.mask_tail = parts.tail;
    row.secret_length = parts.length;
  }
}

function applyKeyConfig(vault: Vault, row: KeyRow, config: Record<string, unknown> | null | undefined): void {
  if (config === undefined) return;
  if (config === null) {
    row.key_config = null;
    row.key_config_secrets = null;
    return;
  }
  const previous = row.key_config_secrets
    ? (JSON.parse(vault.openText(row.key_config_secrets, keyConfigAad(row.id))) as Record<string, string>)
    : {};
  const { plain, secrets } = splitSecrets(config, previous);
  row.key_config = settingsJson(plain, secrets);
  row.key_config_secrets = sealSecrets(vault, keyConfigAad(row.id), secrets);
}

export function newKeyRow(vault: Vault, providerId: string, input: ApiKeyCreateInput, existing: KeyRow[], now: string): KeyRow {
  const row: KeyRow = {
    id: input.id ?? randomUUID(),
    provider_id: providerId,
    position: existing.reduce((max, k) => Math.max(max, k.position + 1), 0),
    name: input.name ?? nextKeyName(existing),
    secret_sealed: null,
    secret_ref: null,
    mask_head: '',
    mask_tail: '',
    secret_length: 0,
    enabled: input.enabled === false ? 0 : 1,
    weight: input.weight ?? 1,
    models: JSON.stringify(input.models ?? []),
    blacklisted_models: JSON.stringify(input.blacklisted_models ?? []),
    use_for_batch_api: input.use_for_batch_api ? 1 : 0,
    key_config: null,
    key_config_secrets: null,
    status: 'untested',
    last_check: null,
    created_at: now,
    updated_at: now,
  };
  checkKeyName(row.name, existing);
  applySecret(vault, row, input.value);
  applyKeyConfig(vault, row, input.key_config);
  return row;
}

/**
 * New key rows for a batch (a paste of several keys): names generated after the existing ones (`key-2`, `key-3`…), and
 * every value given twice in the batch or already stored refused by its index, without ever naming the value.
 */
export function newKeyRows(
  vault: Vault,
  providerId: string,
  inputs: readonly ApiKeyCreateInput[],
  existing: KeyRow[],
  now: string,
): KeyRow[] {
  const issues: Array<{ path: string; message: string }> = [];
  const firstIndex = new Map<string, number>();
  inputs.forEach((input, index) => {
    const earlier = firstIndex.get(input.value);
    if (earlier !== undefined) {
      issues.push({ path: `keys[${index}].value`, message: `is the same key as keys[${earlier}]` });
      return;
    }
    firstIndex.set(input.value, index);
    const stored = existing.find((k) => !secretDiffers(vault, k, input.value));
    if (stored) issues.push({ path: `keys[${index}].value`, message: `is already stored as key "${stored.name}"` });
    if (input.id !== undefined && existing.some((k) => k.id === input.id))
      issues.push({ path: `keys[${index}].id`, message: 'is already used' });
  });
  if (issues.length > 0) throw validationError(issues);
  const rows: KeyRow[] = [];
  inputs.forEach((input, index) => {
    try {
      rows.push(newKeyRow(vault, providerId, input, [...existing, ...rows], now));
    } catch (error) {
      if (error instanceof DeskError && error.fields) {
        throw new DeskError(error.code, error.message, {
          fields: error.fields.map((f) => ({ ...f, path: `keys[${index}].${f.path}` })),
        });
      }
      throw error;
    }
  });
  return rows;
}

/** Whether `value` differs from the key's stored secret (an `env.VAR` reference compares as written). */
function secretDiffers(vault: Vault, row: KeyRow, value: string): boolean {
  if (isEnvRef(value)) return row.secret_ref !== value;
  if (row.secret_ref !== null || row.secret_sealed === null) return true;
  return vault.openText(row.secret_sealed, keyValueAad(row.id)) !== value;
}

/** The key's typed config with its secrets opened, as one comparable string (in memory only). */
function keyConfigText(vault: Vault, row: KeyRow): string {
  const secrets = row.key_config_secrets ? (JSON.parse(vault.openText(row.key_config_secrets, keyConfigAad(row.id))) as unknown) : {};
  return canonicalJson({ plain: parseJson<unknown>(row.key_config, null), secrets });
}

/**
 * A patched copy of a key row. `<REDACTED>` or a masked echo keeps the stored secret. A new secret, a changed key
 * config or turning the key off or on clears its verdict to untested: the old one is about a key that is no longer there.
 */
export function patchKeyRow(vault: Vault, row: KeyRow, patch: ApiKeyPatch, siblings: KeyRow[], now: string): KeyRow {
  let next: KeyRow = { ...row, updated_at: now };
  let verdictStale = false;
  if (patch.name !== undefined) {
    checkKeyName(patch.name, siblings, row.id);
    next.name = patch.name;
  }
  if (patch.value !== undefined && patch.value !== REDACTED && secretDiffers(vault, row, patch.value)) {
    applySecret(vault, next, patch.value);
    verdictStale = true;
  }
  if (patch.enabled !== undefined && (patch.enabled ? 1 : 0) !== row.enabled) {
    next.enabled = patch.enabled ? 1 : 0;
    verdictStale = true;
  }
  if (patch.weight !== undefined) next.weight = patch.weight;
  if (patch.models !== undefined) next.models = JSON.stringify(patch.models);
  if (patch.blacklisted_models !== undefined) next.blacklisted_models = JSON.stringify(patch.blacklisted_models);
  if (patch.use_for_batch_api !== undefined) next.use_for_batch_api = patch.use_for_batch_api ? 1 : 0;
  if (patch.key_config !== undefined) {
    const before = keyConfigText(vault, row);
    applyKeyConfig(vault, next, patch.key_config);
    if (keyConfigText(vault, next) !== before) verdictStale = true;
  }
  if (verdictStale) next = clearedKeyVerdict(next);
  return next;
}

/** Reads a key's secret and typed-config secrets for use (probe, reveal). */
export function openKey(vault: Vault, row: KeyRow): { secret: string | null; keyConfig: Record<string, unknown> | null } {
  let secret: string | null = null;
  if (row.secret_ref) secret = vault.reveal({ kind: 'env', ref: row.secret_ref }, keyValueAad(row.id));
  else if (row.secret_sealed) secret = vault.openText(row.secret_sealed, keyValueAad(row.id));
  const plain = parseJson<Record<string, unknown> | null>(row.key_config, null);
  if (!plain) return { secret, keyConfig: null };
  const sealed = row.key_config_secrets
    ? (JSON.parse(vault.openText(row.key_config_secrets, keyConfigAad(row.id))) as Record<string, string>)
    : {};
  return { secret, keyConfig: mergeSecrets(resolvePlainEnvRefs(vault, plain), resolveEnvRefs(vault, sealed)) };
}

/**
 * Plain config values may be `env.VAR` too (Bifrost files write `"endpoint": "env.AZURE_ENDPOINT"`): resolved at use,
 * one nested level deep; a reference to an unset variable stays as written, so the probe reports the bad value.
 */
export function resolvePlainEnvRefs(vault: Vault, plain: Record<string, unknown>): Record<string, unknown> {
  const resolve = (value: unknown): unknown => {
    if (typeof value !== 'string' || !isEnvRef(value)) return value;
    try {
      return vault.reveal({ kind: 'env', ref: value }, 'config');
    } catch {
      return value;
    }
  };
  return Object.fromEntries(
    Object.entries(plain).map(([key, value]) => [
      key,
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolve(v)]))
        : resolve(value),
    ]),
  );
}

/** Secrets inside settings and key configs may be `env.VAR` references too; they resolve here, at use. */
export function resolveEnvRefs(vault: Vault, secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secrets).map(([path, value]) => [path, isEnvRef(value) ? vault.reveal({ kind: 'env', ref: value }, path) : value]),
  );
}
