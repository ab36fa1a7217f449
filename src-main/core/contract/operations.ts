import { z } from 'zod';
import { defineOperation } from './operation.js';
import { ApiKeySchema, CheckResultSchema, ModelSchema, ProviderSchema } from './domain-schemas.js';
import { ApiKeyCreateInput, ApiKeyPatch, ProviderCreateInput, ProviderPatch } from './provider-inputs.js';
import { PROVIDER_SORT_FIELDS } from './sort-fields.js';

const IdOrName = z.string().min(1).max(200).meta({ description: 'The provider id (uuid) or name.' });
const Revision = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .meta({ description: 'Expected revision (If-Match); a stale write gets 412.' });
const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean));

export const ProviderListInput = z
  .object({
    search: z.string().max(200).optional(),
    type: csv.optional().meta({ description: 'Comma-separated catalog types.' }),
    health: z.enum(['online', 'offline', 'error', 'untested']).optional(),
    sort: z.enum(PROVIDER_SORT_FIELDS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export const TestInput = z
  .object({
    idOrName: IdOrName,
    deep: z.boolean().optional(),
    model: z.string().min(1).optional(),
    key_id: z.string().optional().meta({ description: 'Test only this key.' }),
  })
  .strict();

export const TestOutput = z.object({ ok: z.boolean(), results: z.array(CheckResultSchema) });

export const TestAllProgress = z.object({
  done: z.number().int(),
  total: z.number().int(),
  provider: z.object({ id: z.string(), name: z.string() }),
  ok: z.boolean(),
  results: z.array(CheckResultSchema),
});
export type TestAllProgress = z.infer<typeof TestAllProgress>;

export const TestAllOutput = z.object({
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  duration_ms: z.number().int(),
  providers: z.array(z.object({ id: z.string(), name: z.string(), ok: z.boolean(), results: z.array(CheckResultSchema) })),
});

export const ModelsOutput = z.object({ models: z.array(ModelSchema), fetched_at: z.string().nullable() });

export const ImportDiff = z.object({
  added: z.array(z.string()),
  changed: z.array(z.string()),
  unchanged: z.array(z.string()),
  removed: z.array(z.string()),
  applied: z.boolean().optional(),
});

export const AppInfo = z.object({
  version: z.string(),
  data_dir: z.string(),
  api: z.object({ url: z.string(), port: z.number().int(), enabled: z.boolean() }),
  vault: z.object({ slots: z.array(z.string()), keychain_backend: z.string().nullable(), warning: z.string().nullable() }),
});

// --- config.json import / export (Bifrost's format) -----------------------------------------------------------
/** Body limit of config import: a config.json with thousands of providers is larger than the default 1 MiB. */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
export const CONFIG_ENVELOPE_FORMAT = 'provider-desk-encrypted-config';

/** `true`/`false` from JSON, or from a query string (`?dry_run=true`). */
const FlagInput = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

export const ConfigImportInput = z
  .looseObject({
    // The document's own fields (providers, client, governance …) are not declared: zod would move declared keys first
    // and the file's section order is kept on export.
    dry_run: FlagInput.optional().meta({ description: 'Only compute the diff; change nothing.' }),
    prune: FlagInput.optional().meta({ description: 'Also remove providers (and keys) the file does not list.' }),
    passphrase: z.string().max(1024).optional().meta({ description: 'Opens an encrypted export.' }),
  })
  .meta({
    description:
      'A Bifrost config.json — {"providers": {"<name>": {"keys": [...], "network_config": {...}, ...}}, ...other sections kept} — or Provider Desk\'s encrypted envelope, plus the flags.',
  });

export const ConfigImportOutput = ImportDiff.extend({
  applied: z.boolean(),
  sections: z
    .object({ added: z.array(z.string()), changed: z.array(z.string()), unchanged: z.array(z.string()), removed: z.array(z.string()) })
    .optional()
    .meta({ description: 'Top-level sections other than providers (client, governance, mcp, …).' }),
});

export const ConfigDocument = z
  .looseObject({ providers: z.record(z.string(), z.record(z.string(), z.unknown())) })
  .meta({ id: 'ConfigDocument', description: "Bifrost's config.json: providers plus every other section kept from the last import." });

export const EncryptedConfig = z
  .object({
    format: z.literal(CONFIG_ENVELOPE_FORMAT),
    version: z.literal(1),
    kdf: z.looseObject({ name: z.enum(['scrypt', 'pbkdf2-sha256']), salt: z.string() }),
    cipher: z.literal('aes-256-gcm'),
    iv: z.string(),
    tag: z.string(),
    ciphertext: z.string(),
  })
  .meta({ id: 'EncryptedConfig', description: 'The plain export sealed with a passphrase (scrypt or PBKDF2-SHA256, then AES-256-GCM).' });

// --- examples for the OpenAPI document (checked against the output schemas by the acceptance tests) ---------------
const EXAMPLE_KEY = {
  id: '6bdca6f7-cb17-45b1-af39-8c588aca264c',
  name: 'work',
  masked: 'sk-p...wxyz',
  source: 'literal',
  enabled: true,
  weight: 1,
  models: [],
  blacklisted_models: [],
  use_for_batch_api: false,
  key_config: null,
  status: 'untested',
  last_check: null,
  created_at: '2026-11-22T08:00:00.000Z',
  updated_at: '2026-11-22T08:00:00.000Z',
};

const EXAMPLE_PROVIDER = {
  id: '67f62f5d-9edd-4706-926d-eb1f6bea7ae1',
  seq: 1,
  name: 'openai',
  display_name: 'OpenAI',
  type: 'openai',
  base_url: 'https://api.openai.com/v1',
  enabled: true,
  description: '',
  settings: {},
  network_config: {
    extra_headers: {},
    default_request_timeout_in_seconds: 30,
    max_retries: 0,
    retry_backoff_initial: 500,
    retry_backoff_max: 5000,
    insecure_skip_verify: false,
    ca_cert_pem: '',
    allow_private_network: false,
  },
  proxy_config: { type: 'none', url: '', username: '', has_password: false, ca_cert_pem: '' },
  concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
  custom_provider_config: null,
  send_back_raw_request: false,
  send_back_raw_response: false,
  store_raw_request_response: false,
  capabilities: ['llm', 'embedding', 'audio', 'image'],
  status: 'untested',
  state: 'unknown',
  last_check: null,
  models_count: 0,
  config_hash: 'da03ce94702a5ac6d9876fea23e6bbe79d1a066b8d957c323369ba7b7cca0b92',
  revision: 1,
  api_keys: [EXAMPLE_KEY],
  created_at: '2026-11-22T08:00:00.000Z',
  updated_at: '2026-11-22T08:00:00.000Z',
};

const Empty = z.object({}).strict();

export const PreferencesSchema = z.object({
  theme: z.enum(['light', 'dark', 'system']),
  apiPort: z.number().int().min(1024, 'must be 1024 or higher').max(65535),
  apiEnabled: z.boolean(),
});

/** Every operation of Provider Desk. IPC, the native HTTP API, the CLI, the renderer's client and OpenAPI derive from this table. */
export const operations = {
  health: defineOperation({
    summary: 'Liveness check (no auth)',
    method: 'GET',
    path: '/api/v1/health',
    input: Empty,
    output: z.object({ ok: z.literal(true), version: z.string() }),
    errors: [],
    public: true,
    tag: 'app',
    example: { output: { ok: true, version: '0.1.0' } },
  }),
  'app.info': defineOperation({
    summary: 'Version, data dir, local API and vault status',
    method: 'GET',
    path: '/api/v1/info',
    input: Empty,
    output: AppInfo,
    errors: ['unauthorized'],
    tag: 'app',
  }),
  'catalog.list': defineOperation({
    summary: 'Every provider type with its defaults',
    method: 'GET',
    path: '/api/v1/catalog',
    input: Empty,
    output: z.object({
      types: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          default_base_url: z.string().nullable(),
          base_url_template: z.string().nullable(),
          auth: z.string(),
          key_required: z.boolean(),
          key_hint: z.string(),
          capabilities: z.array(z.string()),
          model_list: z.string(),
          local: z.boolean(),
          aliases: z.array(z.string()),
          settings: z.array(
            z.object({
              name: z.string(),
              label: z.string(),
              secret: z.boolean(),
              required: z.boolean(),
              placeholder: z.string(),
              multiline: z.boolean(),
            }),
          ),
          docs_url: z.string(),
        }),
      ),
    }),
    errors: ['unauthorized'],
    tag: 'catalog',
  }),
  'providers.list': defineOperation({
    summary: 'List providers with search, filters, sorting and paging',
    method: 'GET',
    path: '/api/v1/providers',
    input: ProviderListInput,
    output: z.object({ items: z.array(ProviderSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
    errors: ['unauthorized', 'validation_failed'],
    tag: 'providers',
    example: {
      input: { search: 'openai', sort: 'name', order: 'asc', limit: 20 },
      output: { items: [EXAMPLE_PROVIDER], total: 1, limit: 20, offset: 0 },
    },
  }),
  'providers.create': defineOperation({
    summary: 'Create a provider (with optional keys)',
    method: 'POST',
    path: '/api/v1/providers',
    input: ProviderCreateInput,
    output: ProviderSchema,
    status: 201,
    errors: ['unauthorized', 'validation_failed', 'conflict'],
    tag: 'providers',
    example: { input: { name: 'openai', type: 'openai', api_keys: [{ name: 'work', value: 'sk-proj-…' }] }, output: EXAMPLE_PROVIDER },
  }),
  'providers.get': defineOperation({
    summary: 'Get one provider by id or name',
    method: 'GET',
    path: '/api/v1/providers/{idOrName}',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: ProviderSchema,
    errors: ['unauthorized', 'not_found'],
    tag: 'providers',
    example: { input: { idOrName: 'openai' }, output: EXAMPLE_PROVIDER },
  }),
  'providers.update': defineOperation({
    summary: 'Change a provider (fields present are changed; blocks merge; null clears a block)',
    method: 'PATCH',
    path: '/api/v1/providers/{idOrName}',
    input: ProviderPatch.extend({ idOrName: IdOrName, revision: Revision }),
    output: ProviderSchema,
    errors: ['unauthorized', 'validation_failed', 'not_found', 'conflict', 'precondition_failed'],
    revisionField: 'revision',
    tag: 'providers',
    example: {
      input: { display_name: 'OpenAI (work)', network_config: { max_retries: 2 } },
      output: {
        ...EXAMPLE_PROVIDER,
        display_name: 'OpenAI (work)',
        network_config: { ...EXAMPLE_PROVIDER.network_config, max_retries: 2 },
        revision: 2,
      },
    },
  }),
  'providers.delete': defineOperation({
    summary: 'Delete a provider and its keys, models and checks',
    method: 'DELETE',
    path: '/api/v1/providers/{idOrName}',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: ProviderSchema,
    errors: ['unauthorized', 'not_found'],
    tag: 'providers',
    example: { input: { idOrName: 'openai' }, output: EXAMPLE_PROVIDER },
  }),
  'keys.create': defineOperation({
    summary: 'Add an API key to a provider',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/keys',
    input: ApiKeyCreateInput.extend({ idOrName: IdOrName }),
    output: ApiKeySchema,
    status: 201,
    errors: ['unauthorized', 'validation_failed', 'not_found', 'conflict'],
    tag: 'keys',
    example: {
      input: { name: 'backup', value: 'env.OPENAI_API_KEY' },
      output: { ...EXAMPLE_KEY, name: 'backup', masked: 'env.OPENAI_API_KEY', source: 'env' },
    },
  }),
  'keys.update': defineOperation({
    summary: 'Rename, enable/disable, reweigh or replace a key',
    method: 'PATCH',
    path: '/api/v1/providers/{idOrName}/keys/{keyId}',
    input: ApiKeyPatch.extend({ idOrName: IdOrName, keyId: z.string().min(1) }),
    output: ApiKeySchema,
    errors: ['unauthorized', 'validation_failed', 'not_found', 'conflict'],
    tag: 'keys',
    example: {
      input: { name: 'backup', enabled: false, weight: 2 },
      output: { ...EXAMPLE_KEY, name: 'backup', enabled: false, weight: 2 },
    },
  }),
  'keys.delete': defineOperation({
    summary: 'Delete a key',
    method: 'DELETE',
    path: '/api/v1/providers/{idOrName}/keys/{keyId}',
    input: z.object({ idOrName: IdOrName, keyId: z.string().min(1) }).strict(),
    output: ApiKeySchema,
    errors: ['unauthorized', 'not_found'],
    tag: 'keys',
    example: { input: { idOrName: 'openai', keyId: 'backup' }, output: { ...EXAMPLE_KEY, name: 'backup' } },
  }),
  'keys.copy': defineOperation({
    summary: 'Copy a key to the clipboard, cleared after 30 s (desktop app only; the key never reaches the page or HTTP)',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/keys/{keyId}/copy',
    input: z.object({ idOrName: IdOrName, keyId: z.string().min(1) }).strict(),
    output: z.object({ copied: z.literal(true), clears_in_seconds: z.number().int() }),
    errors: ['not_found', 'forbidden'],
    transports: ['ipc'],
    tag: 'keys',
  }),
  'providers.test': defineOperation({
    summary: 'Test every enabled key (or the keyless endpoint) now',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/test',
    input: TestInput,
    output: TestOutput,
    errors: ['unauthorized', 'validation_failed', 'not_found'],
    tag: 'health',
    example: {
      input: { deep: true, model: 'gpt-4o-mini' },
      output: {
        ok: false,
        results: [
          {
            key_id: '0b9c…',
            ok: false,
            latency_ms: 212,
            http_status: 401,
            error_class: 'auth_failed',
            message: '401 from /v1/models — the key was rejected',
            hint: 'check the key or create a new one',
            checked_at: '2026-11-22T08:00:00.000Z',
          },
        ],
      },
    },
  }),
  'providers.checks': defineOperation({
    summary: 'The recent check history of a provider',
    method: 'GET',
    path: '/api/v1/providers/{idOrName}/checks',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: z.object({ checks: z.array(CheckResultSchema) }),
    errors: ['unauthorized', 'not_found'],
    tag: 'health',
    example: {
      output: {
        checks: [
          {
            key_id: '0b9c…',
            ok: false,
            latency_ms: 212,
            http_status: 401,
            error_class: 'auth_failed',
            message: '401 from /v1/models — the key was rejected',
            hint: 'check the key or create a new one',
            checked_at: '2026-11-22T08:00:00.000Z',
          },
        ],
      },
    },
  }),
  'models.list': defineOperation({
    summary: 'The stored model list (fetched first when none is stored; 502 when the upstream fails)',
    method: 'GET',
    path: '/api/v1/providers/{idOrName}/models',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: ModelsOutput,
    errors: ['unauthorized', 'not_found', 'upstream_failed'],
    tag: 'models',
    example: {
      output: {
        models: [
          {
            id: 'gpt-4o-mini',
            display_name: 'gpt-4o-mini',
            capabilities: ['chat', 'vision', 'tools'],
            context_window: 128000,
            owned_by: 'openai',
          },
        ],
        fetched_at: '2026-11-22T08:00:00.000Z',
      },
    },
  }),
  'models.refresh': defineOperation({
    summary: 'Fetch the model list from the provider now',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/models/refresh',
    input: z.object({ idOrName: IdOrName }).strict(),
    output: ModelsOutput,
    errors: ['unauthorized', 'not_found', 'upstream_failed', 'conflict'],
    tag: 'models',
    example: {
      output: {
        models: [
          {
            id: 'claude-sonnet-4-5',
            display_name: 'Claude Sonnet 4.5',
            capabilities: ['chat', 'vision'],
            context_window: null,
            owned_by: 'anthropic',
          },
        ],
        fetched_at: '2026-11-22T08:00:00.000Z',
      },
    },
  }),
  'providers.testAll': defineOperation({
    summary: 'Test every enabled provider in parallel, streaming progress',
    method: 'POST',
    path: '/api/v1/test-all',
    input: z.object({ concurrency: z.number().int().min(1).max(256).optional(), only: z.array(z.string()).optional() }).strict(),
    output: TestAllOutput,
    errors: ['unauthorized', 'validation_failed'],
    streams: true,
    tag: 'health',
    example: { input: { concurrency: 8 }, output: { total: 2, passed: 1, failed: 1, duration_ms: 640, providers: [] } },
  }),
  'token.get': defineOperation({
    summary: "The local API token (for the GUI's copy button and curl example)",
    method: 'GET',
    path: '/api/v1/token',
    input: Empty,
    output: z.object({ token: z.string(), file: z.string().nullable(), from_environment: z.boolean() }),
    errors: ['unauthorized'],
    tag: 'app',
  }),
  'preferences.get': defineOperation({
    summary: 'UI and local API preferences',
    method: 'GET',
    path: '/api/v1/preferences',
    input: Empty,
    output: PreferencesSchema,
    errors: ['unauthorized'],
    tag: 'app',
  }),
  'preferences.update': defineOperation({
    summary: 'Change preferences (theme applies at once; API port and on/off at the next start of the app)',
    method: 'PATCH',
    path: '/api/v1/preferences',
    input: PreferencesSchema.partial().strict(),
    output: PreferencesSchema,
    errors: ['unauthorized', 'validation_failed'],
    tag: 'app',
    example: { input: { theme: 'dark' } },
  }),
  'token.rotate': defineOperation({
    summary: 'Replace the local API token (the old one stops working at once)',
    method: 'POST',
    path: '/api/v1/token/rotate',
    input: Empty,
    output: z.object({ token: z.string() }),
    errors: ['unauthorized', 'conflict'],
    tag: 'app',
    example: { output: { token: 'pd_…' } },
  }),
  'config.import': defineOperation({
    summary: 'Import a Bifrost config.json: validate everything, diff by config hash, apply in one transaction unless dry_run',
    method: 'POST',
    path: '/api/v1/config/import',
    input: ConfigImportInput,
    output: ConfigImportOutput,
    errors: ['unauthorized', 'validation_failed', 'conflict', 'payload_too_large'],
    bodyLimit: IMPORT_BODY_LIMIT,
    tag: 'config',
    example: {
      input: { providers: { openai: { keys: [{ name: 'main', value: 'env.OPENAI_API_KEY', models: [], weight: 1 }] } }, dry_run: true },
      output: { added: ['openai'], changed: [], unchanged: [], removed: [], applied: false },
    },
  }),
  'config.export': defineOperation({
    summary: 'Export every provider as a Bifrost config.json (secrets redacted unless secrets=plain)',
    method: 'GET',
    path: '/api/v1/config/export',
    input: z
      .object({
        secrets: z
          .enum(['redacted', 'plain'], {
            message: 'must be redacted or plain (an encrypted export is POST /api/v1/config/export with a passphrase)',
          })
          .optional()
          .meta({
            description: 'redacted (default): literal secrets become <REDACTED>, env.VAR references stay; plain: every secret written out.',
          }),
      })
      .strict(),
    output: ConfigDocument,
    errors: ['unauthorized', 'validation_failed'],
    tag: 'config',
  }),
  'config.exportEncrypted': defineOperation({
    summary: 'Export every provider, secrets included, sealed with a passphrase',
    method: 'POST',
    path: '/api/v1/config/export',
    input: z
      .object({
        secrets: z.literal('encrypted').optional(),
        passphrase: z.string().min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters'),
        kdf: z.enum(['scrypt', 'pbkdf2-sha256']).optional().meta({ description: 'Key derivation (default scrypt, N=2^15).' }),
      })
      .strict(),
    output: EncryptedConfig,
    errors: ['unauthorized', 'validation_failed'],
    tag: 'config',
  }),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Operations[N]['output']>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];
