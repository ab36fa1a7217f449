import { goDurationMs } from '../../../contract/duration.js';
import { z } from 'zod';
import { bifrostStandardBaseUrl, bifrostStandardType } from '../../../catalog/bifrost-standard.js';
import { catalogEntry } from '../../../catalog/catalog.js';
import {
  NETWORK_DEFAULTS,
  NetworkConfigInput,
  PROXY_TYPES,
  ProxyConfigInput,
  type ConcurrencyAndBufferSize,
  type CustomProviderConfigInput,
} from '../../../contract/config-schemas.js';
import { formatPath } from '../../../contract/errors.js';
import { HttpUrl, NAME_MESSAGE, NAME_PATTERN } from '../../../contract/provider-inputs.js';
import type { Provider } from '../../../contract/domain-schemas.js';
import { BifrostError, invalidPayload } from './errors.js';
import { fullAllowedRequests, isStandardProvider } from './provider-view.js';

/**
 * The base formats Bifrost's add-provider route accepts for a custom provider: its Go SupportedBaseProviders, plus
 * `sgl`, which its current UI offers (see docs/peers/bifrost.md, "Where we follow the current peer over the seed").
 */
export const HTTP_BASE_PROVIDER_TYPES: ReadonlyArray<CustomProviderConfigInput['base_provider_type']> = [
  'anthropic',
  'bedrock',
  'cohere',
  'gemini',
  'openai',
  'huggingface',
  'replicate',
  'sgl',
];

/** A secret variable as newer Bifrost clients send it; older ones send a plain string. */
const SecretVarObject = z.looseObject({
  value: z.string().nullish(),
  env_var: z.string().nullish(),
  from_env: z.boolean().nullish(),
  ref: z.string().nullish(),
  type: z.string().nullish(),
});
type SecretVarObject = z.infer<typeof SecretVarObject>;

/** The string a secret variable stands for: its `env.VAR` reference when it comes from the environment, else its value. */
export function secretVarText(input: SecretVarObject): string {
  const ref = input.env_var || input.ref || '';
  if ((input.from_env === true || input.type === 'env') && ref) return ref.startsWith('env.') ? ref : `env.${ref}`;
  return input.value ?? '';
}

export const Text = z.union([z.string(), SecretVarObject.transform(secretVarText)]);
const Duration = z.union([z.number(), z.string()]);

const NetworkShape = z.looseObject({
  base_url: Text.nullish(),
  extra_headers: z.record(z.string(), z.string()).nullish(),
  default_request_timeout_in_seconds: z.number().nullish(),
  max_retries: z.number().nullish(),
  retry_backoff_initial: Duration.nullish(),
  retry_backoff_max: Duration.nullish(),
  insecure_skip_verify: z.boolean().nullish(),
  ca_cert_pem: Text.nullish(),
  allow_private_network: z.boolean().nullish(),
});
type NetworkShape = z.infer<typeof NetworkShape>;

const ConcurrencyShape = z.looseObject({ concurrency: z.number().nullish(), buffer_size: z.number().nullish() });
type ConcurrencyShape = z.infer<typeof ConcurrencyShape>;

const ProxyShape = z.looseObject({
  type: z.string().nullish(),
  url: Text.nullish(),
  username: Text.nullish(),
  password: Text.nullish(),
  ca_cert_pem: Text.nullish(),
});
type ProxyShape = z.infer<typeof ProxyShape>;

const CustomShape = z.looseObject({
  is_key_less: z.boolean().nullish(),
  base_provider_type: z.string().nullish(),
  allowed_requests: z.record(z.string(), z.boolean().nullish()).nullish(),
  request_path_overrides: z.record(z.string(), z.string()).nullish(),
});
type CustomShape = z.infer<typeof CustomShape>;

const ProviderBody = z.looseObject({
  provider: z.string().nullish(),
  network_config: NetworkShape.nullish(),
  concurrency_and_buffer_size: ConcurrencyShape.nullish(),
  proxy_config: ProxyShape.nullish(),
  send_back_raw_request: z.boolean().nullish(),
  send_back_raw_response: z.boolean().nullish(),
  store_raw_request_response: z.boolean().nullish(),
  custom_provider_config: CustomShape.nullish(),
  keys: z.array(z.unknown()).nullish(),
});
export type ProviderBody = z.infer<typeof ProviderBody> & { present: Set<string> };

/** Decodes a provider body the way Bifrost's JSON decoder would: unknown fields ignored, a wrong type is an invalid payload. */
export function parseProviderBody(body: unknown): ProviderBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidPayload();
  const parsed = ProviderBody.safeParse(body);
  if (!parsed.success) throw invalidPayload();
  return { ...parsed.data, present: new Set(Object.keys(body)) };
}

/** Our provider names are slugs; Bifrost's are free-form, so a name we cannot store is refused up front. */
export function checkName(name: string | null | undefined): string {
  if (!name) throw new BifrostError(400, 'Missing provider');
  if (!NAME_PATTERN.test(name) || name.length > 64)
    throw new BifrostError(400, `Invalid provider name "${name}": ${NAME_MESSAGE}, at most 64 characters`);
  return name;
}

/** The custom block as stored: base type checked, every request flag present, empty overrides as none. */
export function checkCustomCreate(name: string, custom: CustomShape): CustomProviderConfigInput {
  if (isStandardProvider(name)) throw new BifrostError(400, 'Custom provider cannot be same as a standard provider');
  const base = custom.base_provider_type ?? '';
  if (!base) throw new BifrostError(400, 'BaseProviderType is required when CustomProviderConfig is provided');
  if (!(HTTP_BASE_PROVIDER_TYPES as readonly string[]).includes(base))
    throw new BifrostError(400, 'BaseProviderType must be a standard provider');
  return normaliseCustom(custom, base as CustomProviderConfigInput['base_provider_type']);
}

function normaliseCustom(custom: CustomShape, base: CustomProviderConfigInput['base_provider_type']): CustomProviderConfigInput {
  const overrides = Object.entries(custom.request_path_overrides ?? {});
  return {
    is_key_less: custom.is_key_less === true,
    base_provider_type: base,
    allowed_requests: fullAllowedRequests(custom.allowed_requests ?? null),
    request_path_overrides: overrides.length > 0 ? Object.fromEntries(overrides) : null,
  };
}

/** A PUT may add a custom block to a provider that had none, never remove one or change its base type. */
export function checkCustomUpdate(
  row: Pick<Provider, 'name' | 'type' | 'custom_provider_config'>,
  custom: CustomShape | null,
): CustomProviderConfigInput | null {
  const existing = row.custom_provider_config;
  if (custom === null) {
    if (existing)
      throw new BifrostError(
        400,
        `Invalid custom provider config: custom_provider_config cannot be removed after creation for provider ${row.name}`,
      );
    return null;
  }
  if (!existing) {
    const next = checkCustomCreate(row.name, custom);
    if (next.base_provider_type !== row.type) {
      throw new BifrostError(
        400,
        `Invalid custom provider config: provider ${row.name}: base_provider_type cannot be changed from ${row.type} to ${next.base_provider_type} after creation`,
      );
    }
    return next;
  }
  const base = custom.base_provider_type ?? '';
  if (!base) throw new BifrostError(400, 'BaseProviderType is required when CustomProviderConfig is provided');
  if (base !== existing.base_provider_type) {
    throw new BifrostError(
      400,
      `Invalid custom provider config: provider ${row.name}: base_provider_type cannot be changed from ${existing.base_provider_type} to ${base} after creation`,
    );
  }
  return normaliseCustom(custom, existing.base_provider_type);
}

/**
 * The catalog type a new provider gets: its name's when it is a Bifrost standard name (catalog/bifrost-standard.ts),
 * else its custom block's base type.
 */
export function typeForNew(name: string, custom: CustomProviderConfigInput | null): string {
  if (custom) return catalogEntry(custom.base_provider_type).id;
  const standard = isStandardProvider(name) ? bifrostStandardType(name) : undefined;
  if (standard) return standard;
  throw new BifrostError(400, `Provider ${name} is not a standard provider: custom_provider_config with a base_provider_type is required`);
}

/** Zero means "not set" to a Go client, so zero and absent both take the default. */
export function checkConcurrency(input: ConcurrencyShape | null | undefined): ConcurrencyAndBufferSize {
  const concurrency = input?.concurrency ?? 0;
  const bufferSize = input?.buffer_size ?? 0;
  if (concurrency <= 0) throw new BifrostError(400, 'Concurrency must be greater than 0');
  if (bufferSize <= 0) throw new BifrostError(400, 'Buffer size must be greater than 0');
  if (concurrency > bufferSize) throw new BifrostError(400, 'Concurrency must be less than or equal to buffer size');
  if (!Number.isInteger(concurrency) || !Number.isInteger(bufferSize)) throw invalidPayload();
  return { concurrency, buffer_size: bufferSize };
}

function durationMs(field: string, value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === 0) return undefined;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new BifrostError(400, `Invalid retry backoff: ${field} must be whole milliseconds`);
    return value;
  }
  const ms = goDurationMs(value);
  if (ms === null) throw new BifrostError(400, `Invalid retry backoff: ${field} must be milliseconds or a duration like "500ms"`);
  return ms === 0 ? undefined : ms;
}

function checkRetryBackoff(initial: number | undefined, max: number | undefined): void {
  const problem = (text: string) => new BifrostError(400, `Invalid retry backoff: ${text}`);
  if (initial !== undefined && initial < 100) throw problem('retry backoff initial must be at least 100ms');
  if (initial !== undefined && initial > 1_000_000) throw problem('retry backoff initial must be at most 1000000ms');
  if (max !== undefined && max < 100) throw problem('retry backoff max must be at least 100ms');
  if (max !== undefined && max > 1_000_000) throw problem('retry backoff max must be at most 1000000ms');
  const effectiveInitial = initial ?? NETWORK_DEFAULTS.retry_backoff_initial;
  const effectiveMax = max ?? NETWORK_DEFAULTS.retry_backoff_max;
  if (effectiveInitial > effectiveMax) throw problem('retry backoff initial must be less than or equal to retry backoff max');
}

/** A network block checked by Bifrost's rules: the base URL (separately, as the provider's) and the settings that were set. */
export function checkNetwork(input: NetworkShape | null | undefined): { baseUrl: string; network: NetworkConfigInput } {
  const nc = input ?? {};
  const initial = durationMs('retry_backoff_initial', nc.retry_backoff_initial);
  const max = durationMs('retry_backoff_max', nc.retry_backoff_max);
  checkRetryBackoff(initial, max);
  const baseUrl = (nc.base_url ?? '').trim();
  if (baseUrl && !HttpUrl.safeParse(baseUrl).success)
    throw new BifrostError(400, `Invalid base URL: ${baseUrl} must be an absolute http(s) URL`);
  const candidate: Record<string, unknown> = {
    extra_headers: nc.extra_headers ?? undefined,
    default_request_timeout_in_seconds: nc.default_request_timeout_in_seconds || undefined,
    max_retries: nc.max_retries ?? undefined,
    retry_backoff_initial: initial,
    retry_backoff_max: max,
    insecure_skip_verify: nc.insecure_skip_verify ?? undefined,
    ca_cert_pem: nc.ca_cert_pem ?? undefined,
    allow_private_network: nc.allow_private_network ?? undefined,
  };
  const parsed = NetworkConfigInput.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue?.path ?? []);
    throw new BifrostError(400, `Invalid network config: ${path ? `${path} ` : ''}${issue?.message ?? 'is invalid'}`);
  }
  return { baseUrl, network: parsed.data };
}

/** The whole network block a PUT stores: what was sent, defaults for the rest (Bifrost replaces the block). */
export function completeNetwork(network: NetworkConfigInput, type: string): NetworkConfigInput {
  return {
    ...NETWORK_DEFAULTS,
    extra_headers: {},
    allow_private_network: catalogEntry(type).local,
    ...network,
  };
}

/** A proxy block as sent, complete (a block replaces the stored one; `<REDACTED>` keeps a stored secret). */
export function checkProxy(input: ProxyShape): ProxyConfigInput {
  const type = input.type || (input.url ? 'http' : 'none');
  if (!(PROXY_TYPES as readonly string[]).includes(type))
    throw new BifrostError(400, `Invalid proxy config: type must be one of ${PROXY_TYPES.join(', ')}`);
  const block = {
    type: type as ProxyConfigInput['type'],
    url: input.url ?? '',
    username: input.username ?? '',
    password: input.password ?? '',
    ca_cert_pem: input.ca_cert_pem ?? '',
  };
  const parsed = ProxyConfigInput.safeParse(block);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BifrostError(400, `Invalid proxy config: ${formatPath(issue?.path ?? [])} ${issue?.message ?? 'is invalid'}`.trim());
  }
  return parsed.data;
}

export const KEYS_REJECTED =
  'keys are not accepted on this endpoint; use POST/PUT /api/providers/{provider}/keys[/{key_id}] to manage keys';

/** The base URL a new provider gets when the body gives none: Bifrost's default for a standard name our type lacks. */
export function baseUrlForNew(name: string, type: string, given: string): string {
  return given || (bifrostStandardBaseUrl(name, type) ?? '');
}
