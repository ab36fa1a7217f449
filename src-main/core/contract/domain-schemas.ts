import { z } from 'zod';
import { CONCURRENCY_DEFAULTS, NETWORK_DEFAULTS, PROXY_TYPES, BASE_PROVIDER_TYPES, AllowedRequestsInput } from './config-schemas.js';
import { PROVIDER_CAPABILITIES } from '../catalog/types.js';

export const ERROR_CLASSES = [
  'auth_failed',
  'forbidden',
  'not_found',
  'rate_limited',
  'quota_exceeded',
  'server_error',
  'timeout',
  'dns_failed',
  'connection_refused',
  'tls_failed',
  'proxy_failed',
  'blocked_private_network',
  'invalid_response',
  'missing_credentials',
  'missing_env',
  'unsupported',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Failures that mean "could not reach it" (offline) rather than "it answered no" (error). */
export const UNREACHABLE_ERROR_CLASSES: readonly ErrorClass[] = [
  'timeout',
  'dns_failed',
  'connection_refused',
  'tls_failed',
  'proxy_failed',
  'blocked_private_network',
];

export const MODEL_CAPABILITIES = ['chat', 'embedding', 'vision', 'tools', 'reasoning', 'audio', 'image', 'rerank'] as const;
export type ModelCapability = (typeof MODEL_CAPABILITIES)[number];

/**
 * One health vocabulary everywhere (GUI, CLI, native API, filters, test-all summary): a provider is `ok` when every
 * enabled key passes, `degraded` when some do, `error` when the provider answered no, `offline` when it could not be
 * reached, `untested` when nothing current is known (never tested, or a change of key or destination cleared it).
 */
export const PROVIDER_HEALTH = ['ok', 'degraded', 'error', 'offline', 'untested'] as const;
export type ProviderHealth = (typeof PROVIDER_HEALTH)[number];
/** A key's own health; `missing_env` when its `env.VAR` is not set in the process that owns the store. */
export const KEY_HEALTH = ['ok', 'error', 'offline', 'untested', 'missing_env'] as const;
export type KeyHealth = (typeof KEY_HEALTH)[number];

/**
 * What a check learned about a key's room to work: rate-limit figures from the response headers and credit from a
 * balance endpoint, where the provider reveals them; null where unknown. Reset times are ISO 8601 instants.
 */
export const HeadroomSchema = z
  .object({
    requests_limit: z.number().nullable(),
    requests_remaining: z.number().nullable(),
    requests_reset_at: z.string().nullable(),
    tokens_limit: z.number().nullable(),
    tokens_remaining: z.number().nullable(),
    tokens_reset_at: z.string().nullable(),
    credit_remaining: z.number().nullable(),
    credit_limit: z.number().nullable(),
    credit_used: z.number().nullable(),
    currency: z.string().nullable(),
  })
  .meta({ id: 'Headroom' });
export type Headroom = z.infer<typeof HeadroomSchema>;

export const CheckResultSchema = z
  .object({
    key_id: z.string().nullable().meta({ description: 'The key checked; null for a keyless provider.' }),
    ok: z.boolean(),
    latency_ms: z.number().int().nonnegative(),
    http_status: z.number().int().nullable(),
    error_class: z.enum(ERROR_CLASSES).nullable(),
    message: z.string().meta({ description: 'What happened, with a hint that says what to fix.' }),
    hint: z.string().nullable().optional(),
    checked_at: z.string(),
    headroom: HeadroomSchema.nullable().optional(),
  })
  .meta({ id: 'CheckResult' });
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const ModelSchema = z
  .object({
    id: z.string(),
    display_name: z.string(),
    capabilities: z.array(z.enum(MODEL_CAPABILITIES)),
    context_window: z.number().int().nullable(),
    owned_by: z.string().nullable(),
    key_id: z.string().nullable().optional(),
    fetched_at: z.string().optional(),
  })
  .meta({ id: 'Model' });
export type ModelInfo = z.infer<typeof ModelSchema>;

/** A stored model with the user's curation: what the model list operations answer. */
export const StoredModelSchema = ModelSchema.extend({
  enabled: z.boolean().meta({ description: 'Off when the user disabled it: surfaces, the gateway and exports leave it out.' }),
  custom: z.boolean().meta({ description: 'An id the user added; kept across refreshes, never marked gone.' }),
  gone_at: z
    .string()
    .nullable()
    .meta({ description: 'When a refresh first stopped listing it (shown as gone until dismissed); null while listed.' }),
}).meta({ id: 'StoredModel' });
export type StoredModel = z.infer<typeof StoredModelSchema>;

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    masked: z.string().meta({ description: 'The key with its middle hidden; env.VAR references are shown as written.' }),
    source: z.enum(['literal', 'env']),
    enabled: z.boolean(),
    weight: z.number(),
    models: z.array(z.string()),
    blacklisted_models: z.array(z.string()),
    use_for_batch_api: z.boolean(),
    key_config: z.record(z.string(), z.unknown()).nullable(),
    health: z.enum(KEY_HEALTH).meta({
      description:
        "This key's health from its last check: ok, error (the provider answered no), offline (unreachable), missing_env (its env.VAR is not set where the store's owner runs), untested (never tested, or cleared by a change).",
    }),
    status: z
      .enum(['untested', 'ok', 'error'])
      .meta({ description: 'Deprecated: use health (this is health with every failure as error).', deprecated: true }),
    last_check: CheckResultSchema.nullable(),
    headroom: HeadroomSchema.nullable().meta({
      description: "The last check's headroom (the same as last_check.headroom): rate-limit and credit figures, null where unknown.",
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const NetworkConfigSchema = z.object({
  extra_headers: z.record(z.string(), z.string()).default(NETWORK_DEFAULTS.extra_headers),
  default_request_timeout_in_seconds: z.number().int(),
  max_retries: z.number().int(),
  retry_backoff_initial: z.number().int(),
  retry_backoff_max: z.number().int(),
  insecure_skip_verify: z.boolean(),
  ca_cert_pem: z.string(),
  allow_private_network: z.boolean(),
});

export const ProxyConfigSchema = z.object({
  type: z.enum(PROXY_TYPES),
  url: z.string(),
  username: z.string(),
  has_password: z.boolean(),
  ca_cert_pem: z.string(),
});

export const CustomProviderConfigSchema = z.object({
  is_key_less: z.boolean(),
  base_provider_type: z.enum(BASE_PROVIDER_TYPES),
  allowed_requests: AllowedRequestsInput.nullable(),
  request_path_overrides: z.record(z.string(), z.string()).nullable(),
});

export const ProviderSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    name: z.string(),
    display_name: z.string(),
    type: z.string(),
    base_url: z.string(),
    enabled: z.boolean(),
    description: z.string(),
    settings: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Type-specific settings; a stored secret field appears as "<REDACTED>" (send that back to keep it).' }),
    network_config: NetworkConfigSchema,
    proxy_config: ProxyConfigSchema,
    concurrency_and_buffer_size: z.object({ concurrency: z.number().int(), buffer_size: z.number().int() }),
    custom_provider_config: CustomProviderConfigSchema.nullable(),
    send_back_raw_request: z.boolean(),
    send_back_raw_response: z.boolean(),
    store_raw_request_response: z.boolean(),
    capabilities: z.array(z.enum(PROVIDER_CAPABILITIES)),
    health: z.enum(PROVIDER_HEALTH).meta({
      description:
        'ok: every enabled key passes; degraded: some do; error: the provider answered no; offline: it could not be reached; untested: nothing current is known (never tested, or cleared by a change of key or destination).',
    }),
    status: z
      .enum(['untested', 'active', 'error'])
      .meta({ description: 'Deprecated: use health (active = ok; error = degraded, error or offline).', deprecated: true }),
    state: z
      .enum(['online', 'offline', 'unknown'])
      .meta({ description: 'Deprecated: use health (online = ok or degraded; offline = error or offline).', deprecated: true }),
    last_check: CheckResultSchema.nullable().meta({
      description:
        "The check that explains the health: the first failing enabled key's, else a passing one's (the endpoint's when keyless).",
    }),
    models_count: z
      .number()
      .int()
      .meta({ description: 'How many models the provider offers: listed or added, not turned off, not gone from its listing.' }),
    config_hash: z.string(),
    revision: z.number().int(),
    api_keys: z.array(ApiKeySchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Provider' });
export type Provider = z.infer<typeof ProviderSchema>;

export { CONCURRENCY_DEFAULTS, NETWORK_DEFAULTS };
