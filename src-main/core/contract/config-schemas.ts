import { z } from 'zod';
import { goDurationMs } from './duration.js';

/** Bifrost-style durations: integer milliseconds, or a Go duration string such as "500ms", "2s" or "1m30s". */
const durationMs = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .refine((text) => goDurationMs(text) !== null, 'must be milliseconds or a duration like "500ms"')
    .transform((text) => goDurationMs(text) ?? 0),
]);

export const NETWORK_DEFAULTS = {
  extra_headers: {} as Record<string, string>,
  default_request_timeout_in_seconds: 30,
  max_retries: 0,
  retry_backoff_initial: 500,
  retry_backoff_max: 5000,
  insecure_skip_verify: false,
  ca_cert_pem: '',
  allow_private_network: false,
};

/** The longest request timeout in whole seconds that a Node timer can hold (2^31-1 ms). */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Header names a user may not override: they carry auth or framing. */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name');

export const NetworkConfigInput = z
  .object({
    base_url: z.string().optional(),
    extra_headers: z.record(headerName, z.string().regex(/^[^\r\n]*$/, 'must not contain line breaks')).optional(),
    // Bifrost's schema sets only minimums (7200 s or 12 retries are valid there). The one ceiling is a timer's: Node
    // cannot wait longer than 2^31-1 ms, and a longer timeout would fire at once.
    default_request_timeout_in_seconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_TIMEOUT_SECONDS, `must be at most ${MAX_TIMEOUT_SECONDS} (about 24 days, the longest timer Node can set)`)
      .optional(),
    max_retries: z.number().int().min(0).optional(),
    retry_backoff_initial: durationMs.optional(),
    retry_backoff_max: durationMs.optional(),
    insecure_skip_verify: z.boolean().optional(),
    ca_cert_pem: z.string().optional(),
    allow_private_network: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    const initial = value.retry_backoff_initial ?? NETWORK_DEFAULTS.retry_backoff_initial;
    const max = value.retry_backoff_max ?? NETWORK_DEFAULTS.retry_backoff_max;
    if (initial < 100) ctx.addIssue({ code: 'custom', path: ['retry_backoff_initial'], message: 'must be at least 100 ms' });
    if (max > 1_000_000) ctx.addIssue({ code: 'custom', path: ['retry_backoff_max'], message: 'must be at most 1000000 ms' });
    if (initial > max) ctx.addIssue({ code: 'custom', path: ['retry_backoff_initial'], message: 'must not exceed retry_backoff_max' });
  });
export type NetworkConfigInput = z.infer<typeof NetworkConfigInput>;

/** The network config as stored and used: every field present. base_url lives on the provider itself. */
export interface NetworkConfig {
  extra_headers: Record<string, string>;
  default_request_timeout_in_seconds: number;
  max_retries: number;
  retry_backoff_initial: number;
  retry_backoff_max: number;
  insecure_skip_verify: boolean;
  ca_cert_pem: string;
  allow_private_network: boolean;
}

export const PROXY_TYPES = ['none', 'http', 'socks5', 'environment'] as const;
export const ProxyConfigInput = z
  .object({
    type: z.enum(PROXY_TYPES).optional(),
    url: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    ca_cert_pem: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    const type = value.type ?? (value.url ? 'http' : 'none');
    if ((type === 'http' || type === 'socks5') && !value.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `is required for a ${type} proxy` });
    }
    if (value.url && !/^(https?|socks5h?):\/\/[^\s]+$/i.test(value.url)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http://, https:// or socks5:// URL' });
    }
  });
export type ProxyConfigInput = z.infer<typeof ProxyConfigInput>;

export interface ProxyConfig {
  type: (typeof PROXY_TYPES)[number];
  url: string;
  username: string;
  /** Plaintext only in memory; stored in the vault. */
  password: string;
  ca_cert_pem: string;
}

export const ConcurrencyInput = z
  .object({
    concurrency: z.number().int().min(1, 'must be at least 1'),
    buffer_size: z.number().int().min(1, 'must be at least 1'),
  })
  .refine((v) => v.concurrency <= v.buffer_size, { path: ['concurrency'], message: 'must not exceed buffer_size' });
export type ConcurrencyAndBufferSize = z.infer<typeof ConcurrencyInput>;
export const CONCURRENCY_DEFAULTS: ConcurrencyAndBufferSize = { concurrency: 1000, buffer_size: 5000 };

export const REQUEST_TYPES = [
  'list_models',
  'text_completion',
  'text_completion_stream',
  'chat_completion',
  'chat_completion_stream',
  'responses',
  'responses_stream',
  'count_tokens',
  'embedding',
  'speech',
  'speech_stream',
  'transcription',
  'transcription_stream',
  'image_generation',
  'image_generation_stream',
  'batch_create',
  'batch_list',
  'batch_retrieve',
  'batch_cancel',
  'batch_results',
  'file_upload',
  'file_list',
  'file_retrieve',
  'file_delete',
  'file_content',
  // Flags newer Bifrost versions added (its config schema, Go RequestType list and UI). A flag not listed here is still
  // accepted and kept as sent, so a client's newer flags round-trip.
  'responses_retrieve',
  'responses_delete',
  'responses_cancel',
  'responses_input_items',
  'compaction',
  'rerank',
  'ocr',
  'ocr_stream',
  'image_edit',
  'image_edit_stream',
  'image_variation',
  'video_generation',
  'video_retrieve',
  'video_download',
  'video_delete',
  'video_list',
  'video_remix',
  'batch_delete',
  'container_create',
  'container_list',
  'container_retrieve',
  'container_delete',
  'container_file_create',
  'container_file_list',
  'container_file_retrieve',
  'container_file_content',
  'container_file_delete',
  'passthrough',
  'passthrough_stream',
  'websocket_responses',
  'realtime',
  'cached_content_create',
  'cached_content_list',
  'cached_content_retrieve',
  'cached_content_update',
  'cached_content_delete',
] as const;

/** Request flags of a custom provider: any flag name (newer Bifrost versions add flags), each allowed or not. */
export const AllowedRequestsInput = z.record(z.string().min(1).max(100), z.boolean());

export const BASE_PROVIDER_TYPES = ['anthropic', 'bedrock', 'cohere', 'gemini', 'openai', 'huggingface', 'replicate', 'sgl'] as const;

export const CustomProviderConfigInput = z.object({
  is_key_less: z.boolean().optional(),
  base_provider_type: z.enum(BASE_PROVIDER_TYPES, { message: `must be one of ${BASE_PROVIDER_TYPES.join(', ')}` }),
  allowed_requests: AllowedRequestsInput.nullable().optional(),
  request_path_overrides: z.record(z.string(), z.string()).nullable().optional(),
});
export type CustomProviderConfigInput = z.infer<typeof CustomProviderConfigInput>;

export interface CustomProviderConfig {
  is_key_less: boolean;
  base_provider_type: (typeof BASE_PROVIDER_TYPES)[number];
  allowed_requests: Record<string, boolean> | null;
  request_path_overrides: Record<string, string> | null;
}

/**
 * Bifrost's standard provider names (`StandardProviders` in its core/schemas/bifrost.go), in its order. A config.json
 * or a Bifrost client may use any of them without a custom_provider_config; catalog/bifrost-standard.ts says which
 * catalog type each one is. Any other name is a custom provider with a base_provider_type.
 */
export const BIFROST_STANDARD_PROVIDER_NAMES = [
  'anthropic',
  'azure',
  'bedrock',
  'bedrock_mantle',
  'cerebras',
  'cohere',
  'deepseek',
  'gemini',
  'groq',
  'mistral',
  'ollama',
  'opencode-go',
  'opencode-zen',
  'openai',
  'parasail',
  'perplexity',
  'sgl',
  'vertex',
  'openrouter',
  'elevenlabs',
  'huggingface',
  'nebius',
  'xai',
  'replicate',
  'vllm',
  'runway',
  'runware',
  'fireworks',
  'sarvam',
  'wafer',
  'github-copilot',
  'databricks',
  'typesafe',
] as const;
export type BifrostStandardProvider = (typeof BIFROST_STANDARD_PROVIDER_NAMES)[number];
export const BIFROST_STANDARD_PROVIDERS: ReadonlySet<string> = new Set(BIFROST_STANDARD_PROVIDER_NAMES);

// --- config.json import / export ------------------------------------------------------------------------------

/** The shortest passphrase an encrypted export accepts (it is the only thing between a stolen file and every key). */
export const MIN_PASSPHRASE_LENGTH = 12;

/**
 * One change an import makes to where (or how safely) a provider's kept secrets are sent: its base URL's scheme, host
 * or port, its proxy, a CA it trusts, or TLS verification. `from`/`to` are shown without passwords or whole PEMs.
 */
export const DestinationChangeSchema = z
  .object({
    provider: z.string(),
    field: z.string().meta({ description: 'Dotted path in the file, e.g. network_config.base_url or proxy_config.url.' }),
    from: z.string(),
    to: z.string(),
  })
  .meta({ id: 'DestinationChange' });
export type DestinationChange = z.infer<typeof DestinationChangeSchema>;

/** Per changed provider, the dotted paths of the fields an import changes (never their values). */
export const FieldChangesSchema = z.record(z.string(), z.array(z.string()));
export type FieldChanges = z.infer<typeof FieldChangesSchema>;

/** A model id inside a config file's curation block: one line, as the provider spells it. */
const CuratedModelId = z
  .string()
  .min(1)
  .max(256)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must be one line without control characters');

/**
 * `provider_desk.models`: the user's model curation as an export writes it — the ids turned off, the user's own ids,
 * and the own allow/block lists of each key whose `models`/`blacklisted_models` the export rewrote for Bifrost.
 */
export const ModelCurationBlock = z
  .object({
    disabled: z.array(CuratedModelId).max(20_000).optional(),
    custom: z
      .array(z.object({ id: CuratedModelId, display_name: z.string().max(200).optional() }).strict())
      .max(20_000)
      .optional(),
    key_lists: z.record(z.string(), z.object({ models: z.array(z.string()), blacklisted_models: z.array(z.string()) }).strict()).optional(),
  })
  .strict();
export type ModelCurationBlock = z.infer<typeof ModelCurationBlock>;
