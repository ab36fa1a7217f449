/**
 * Bifrost's config.json as Provider Desk reads and writes it: field names, the standard provider names,
 * secret values in their several spellings, and JSON paths for error messages.
 */
import { formatPath } from '../contract/errors.js';
import { BIFROST_STANDARD_PROVIDERS } from '../contract/config-schemas.js';
import { REDACTED } from '../service/secret-fields.js';
import { isEnvRef } from '../vault/vault.js';

export { REDACTED };

/** Provider names Bifrost knows natively (catalog/bifrost-standard.ts gives each one's type). Any other name needs a base_provider_type. */
export const STANDARD_PROVIDERS = BIFROST_STANDARD_PROVIDERS;

/** Our own per-provider block: what Bifrost has no place for (type, display name, settings …). Bifrost ignores it. */
export const DESK_BLOCK = 'provider_desk';

/** Provider fields Provider Desk models; anything else in a provider block is kept verbatim ("extras"). */
export const MODELED_PROVIDER_FIELDS = new Set([
  'keys',
  'network_config',
  'concurrency_and_buffer_size',
  'proxy_config',
  'custom_provider_config',
  'send_back_raw_request',
  'send_back_raw_response',
  'store_raw_request_response',
  DESK_BLOCK,
]);

/** What Bifrost's API shows about a provider but is not configuration: ignored on import, never exported. */
export const READ_ONLY_PROVIDER_FIELDS = new Set(['name', 'provider', 'provider_status', 'status', 'description', 'config_hash']);

export const NETWORK_FIELDS = new Set([
  'base_url',
  'extra_headers',
  'default_request_timeout_in_seconds',
  'max_retries',
  'retry_backoff_initial',
  'retry_backoff_max',
  'insecure_skip_verify',
  'ca_cert_pem',
  'allow_private_network',
]);
export const PROXY_FIELDS = new Set(['type', 'url', 'username', 'password', 'ca_cert_pem']);
export const CONCURRENCY_FIELDS = new Set(['concurrency', 'buffer_size']);
export const CUSTOM_FIELDS = new Set(['is_key_less', 'base_provider_type', 'allowed_requests', 'request_path_overrides']);

/** Key fields with a column of their own; every other key field (the typed `*_key_config` blocks, aliases …) is the key's config. */
export const CORE_KEY_FIELDS = new Set(['id', 'name', 'value', 'models', 'blacklisted_models', 'weight', 'enabled', 'use_for_batch_api']);
/** What Bifrost's keys API adds to a key but is not configuration. */
export const READ_ONLY_KEY_FIELDS = new Set(['status', 'description', 'config_hash', 'created_at', 'updated_at']);

/** A place in the file as its parts (`['providers', 'openai', 'keys', 1]`); `jsonPath` spells it for messages. */
export type Path = Array<string | number>;

/**
 * `[...parent, ...more]` allocated at its exact length: an import of 100,000 providers keeps one path per provider and
 * per key, and a spread literal gives each a backing store with room to grow.
 */
export function childPath(parent: Path, ...more: Array<string | number>): Path {
  const path: Path = new Array<string | number>(parent.length + more.length);
  for (let i = 0; i < parent.length; i++) path[i] = parent[i] as string | number;
  for (let i = 0; i < more.length; i++) path[parent.length + i] = more[i] as string | number;
  return path;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `providers.openai.keys[1].value` (and `providers["odd name"]` for names that are not plain words). */
export function jsonPath(parts: ReadonlyArray<PropertyKey>): string {
  return formatPath(
    parts.map((part) => (typeof part === 'string' && part !== '' && !/^[A-Za-z0-9_$-]+$/.test(part) ? JSON.stringify(part) : part)),
  );
}

const ALL_STARS = /^\*{1,8}$/;
const BIFROST_MASK = /^[^*]{4}\*{24}[^*]{4}$/su;

/** A value as Bifrost's API masks a secret (all `*` up to 8 characters, else 4 + 24 `*` + 4). */
export function looksMasked(value: string): boolean {
  return ALL_STARS.test(value) || BIFROST_MASK.test(value);
}

/** `<REDACTED>` or a Bifrost mask: "keep what is stored". */
export function isKeepMarker(value: string): boolean {
  return value === REDACTED || looksMasked(value);
}

const SECRET_OBJECT_FIELDS = new Set(['value', 'ref', 'type', 'env_var', 'from_env']);

/** Bifrost's secret-variable object (`{value, ref, type, env_var, from_env}`), which both of its generations accept. */
export function isSecretObject(
  value: unknown,
): value is { value?: unknown; ref?: unknown; type?: unknown; env_var?: unknown; from_env?: unknown } {
  return isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => SECRET_OBJECT_FIELDS.has(k));
}

/**
 * A secret in any of Bifrost's spellings as one string: a literal, `env.VAR`, `<REDACTED>`, or a mask.
 * Returns undefined when the value is not a secret at all (a number, an array …).
 */
export function secretString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isSecretObject(value)) return undefined;
  const reference = [value.env_var, value.ref].find((v): v is string => typeof v === 'string' && v !== '');
  const fromEnv = value.from_env === true || value.type === 'env';
  if (fromEnv && reference) return reference.startsWith('env.') ? reference : `env.${reference}`;
  if (typeof value.value === 'string') return value.value;
  return reference ?? '';
}

export { isEnvRef };

/** Secrets in preserved sections: a field named like a credential, or a governance virtual key's value. */
const SECTION_SECRET_NAME =
  /(password|passwd|secret|token|api[_-]?key|apikey|encryption_key|private_key|credential|authorization|access_key)/i;

export function isSectionSecret(path: ReadonlyArray<PropertyKey>): boolean {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return false;
  if (SECTION_SECRET_NAME.test(last)) return true;
  return last === 'value' && path.some((p) => p === 'virtual_keys');
}
