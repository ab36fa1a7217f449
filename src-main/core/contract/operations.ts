import { z } from 'zod';
import { defineOperation } from './operation.js';
import { ApiKeySchema, CheckResultSchema, ProviderSchema } from './domain-schemas.js';
import { ApiKeyCreateInput, ApiKeyPatch, ProviderCreateInput, ProviderPatch } from './provider-inputs.js';
import { MIN_PASSPHRASE_LENGTH } from './config-schemas.js';
import {
  CreatedTokenSchema,
  ProviderUsageInput,
  ProviderUsageOutput,
  TokenCreateInput,
  TokenId,
  TokenListInput,
  TokenSchema,
  TokenUsageInput,
  TokenUsageOutput,
} from './token-schemas.js';
import {
  IdOrName,
  Revision,
  ProviderListInput,
  TestInput,
  TestOutput,
  TestAllOutput,
  ModelsOutput,
  AppInfo,
  CliAccessInput,
  IMPORT_BODY_LIMIT,
  ConfigImportInput,
  ConfigImportOutput,
  ConfigDocument,
  EncryptedConfig,
  EXAMPLE_KEY,
  EXAMPLE_PROVIDER,
  Empty,
  PreferencesSchema,
  ChecksRecentInput,
  ChecksRecentOutput,
} from './operation-schemas.js';

export * from './operation-schemas.js';

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
  'vault.setCliAccess': defineOperation({
    summary:
      'Allow command-line access: also keep the data key in master.key (0600) so the CLI and serve can open the store without the app, or keep it in the OS keychain only',
    method: 'PUT',
    path: '/api/v1/vault/cli-access',
    input: CliAccessInput,
    output: AppInfo,
    errors: ['validation_failed', 'conflict', 'vault_locked'],
    // A setting of the person at the desktop: a tool holding the API token may not put a decryption key on disk.
    transports: ['ipc'],
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
    input: z.object({ idOrName: IdOrName, revision: Revision }).strict(),
    output: ProviderSchema,
    errors: ['unauthorized', 'not_found', 'precondition_failed'],
    revisionField: 'revision',
    tag: 'providers',
    example: { input: { idOrName: 'openai' }, output: EXAMPLE_PROVIDER },
  }),
  'keys.create': defineOperation({
    summary: 'Add an API key to a provider',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/keys',
    input: ApiKeyCreateInput.extend({ idOrName: IdOrName, revision: Revision }),
    output: ApiKeySchema,
    status: 201,
    errors: ['unauthorized', 'validation_failed', 'not_found', 'conflict', 'precondition_failed'],
    revisionField: 'revision',
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
    input: ApiKeyPatch.extend({ idOrName: IdOrName, keyId: z.string().min(1), revision: Revision }),
    output: ApiKeySchema,
    errors: ['unauthorized', 'validation_failed', 'not_found', 'conflict', 'precondition_failed'],
    revisionField: 'revision',
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
    input: z.object({ idOrName: IdOrName, keyId: z.string().min(1), revision: Revision }).strict(),
    output: ApiKeySchema,
    errors: ['unauthorized', 'not_found', 'precondition_failed'],
    revisionField: 'revision',
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
        health: 'error',
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
  'checks.recent': defineOperation({
    summary: 'Keys that started failing (or recovered) in scheduled checks, since a cursor; polled by the browser GUI to notify',
    method: 'GET',
    path: '/api/v1/checks/recent',
    input: ChecksRecentInput,
    output: ChecksRecentOutput,
    errors: ['unauthorized', 'validation_failed'],
    tag: 'health',
    example: {
      input: { after: '9f2c41d7:3' },
      output: {
        events: [
          {
            kind: 'key_started_failing',
            provider: 'openai',
            provider_id: EXAMPLE_PROVIDER.id,
            key_id: EXAMPLE_KEY.id,
            key_name: 'work',
            result: {
              key_id: EXAMPLE_KEY.id,
              ok: false,
              latency_ms: 212,
              http_status: 401,
              error_class: 'auth_failed',
              message: '401 from /v1/models — the key was rejected',
              hint: 'the key was rejected; check it or create a new one',
              checked_at: '2026-11-22T08:15:00.000Z',
            },
            message: "Key 'work' of openai stopped working: 401 — the key was rejected",
            at: '2026-11-22T08:15:00.000Z',
          },
        ],
        cursor: '9f2c41d7:4',
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
    example: {
      input: { concurrency: 8 },
      output: {
        total: 2,
        passed: 1,
        failed: 1,
        duration_ms: 640,
        by_health: { ok: 1, degraded: 0, error: 0, offline: 1, untested: 0 },
        providers: [],
      },
    },
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
    summary: 'Change preferences (theme and the scheduled-check interval apply at once; API port and on/off at the next start of the app)',
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
  'tokens.create': defineOperation({
    summary:
      'Create a scoped token for a local tool: it may call only the gateway routes (/proxy/…, /v1/…), only for its providers; shown once, stored as a hash',
    method: 'POST',
    path: '/api/v1/tokens',
    input: TokenCreateInput,
    output: CreatedTokenSchema,
    status: 201,
    errors: ['unauthorized', 'validation_failed'],
    tag: 'tokens',
    example: { input: { name: 'aider', scope: 'gateway', providers: ['openai', 'anthropic'], expires_in_seconds: 2592000 } },
  }),
  'tokens.list': defineOperation({
    summary: 'The scoped tokens (never their values), with last use; revoked ones only when asked',
    method: 'GET',
    path: '/api/v1/tokens',
    input: TokenListInput,
    output: z.object({ tokens: z.array(TokenSchema) }),
    errors: ['unauthorized', 'validation_failed'],
    tag: 'tokens',
  }),
  'tokens.delete': defineOperation({
    summary: 'Revoke a scoped token (refused at once on every route)',
    method: 'DELETE',
    path: '/api/v1/tokens/{id}',
    input: z.object({ id: TokenId }).strict(),
    output: TokenSchema,
    errors: ['unauthorized', 'not_found'],
    tag: 'tokens',
  }),
  'usage.byProvider': defineOperation({
    summary: "A provider's gateway usage: requests, errors by class, input and output tokens, last use — in total, per key and per token",
    method: 'GET',
    path: '/api/v1/providers/{idOrName}/usage',
    input: ProviderUsageInput,
    output: ProviderUsageOutput,
    errors: ['unauthorized', 'not_found'],
    tag: 'tokens',
  }),
  'usage.byToken': defineOperation({
    summary: "A scoped token's gateway usage, in total and per provider",
    method: 'GET',
    path: '/api/v1/tokens/{id}/usage',
    input: TokenUsageInput,
    output: TokenUsageOutput,
    errors: ['unauthorized', 'not_found'],
    tag: 'tokens',
  }),
  'config.import': defineOperation({
    summary: 'Import a Bifrost config.json: validate everything, diff by config hash, apply in one transaction unless dry_run',
    method: 'POST',
    path: '/api/v1/config/import',
    input: ConfigImportInput,
    output: ConfigImportOutput,
    errors: ['unauthorized', 'validation_failed', 'conflict', 'destination_change_unconfirmed', 'payload_too_large'],
    bodyLimit: IMPORT_BODY_LIMIT,
    bodyOnly: ['passphrase'],
    tag: 'config',
    example: {
      input: { providers: { openai: { keys: [{ name: 'main', value: 'env.OPENAI_API_KEY', models: [], weight: 1 }] } }, dry_run: true },
      output: { added: ['openai'], changed: [], unchanged: [], removed: [], applied: false, destinations: [], changes: {} },
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
        passphrase: z
          .string()
          .min(MIN_PASSPHRASE_LENGTH, `must be at least ${MIN_PASSPHRASE_LENGTH} characters`)
          .max(1024, 'must be at most 1024 characters')
          .meta({ description: 'JSON body only: a passphrase in the query string is refused.' }),
        kdf: z
          .enum(['scrypt', 'pbkdf2-sha256'])
          .optional()
          .meta({ description: 'Key derivation (default scrypt, N=2^17, r=8, p=1; pbkdf2-sha256: 600000 iterations).' }),
      })
      .strict(),
    output: EncryptedConfig,
    errors: ['unauthorized', 'validation_failed'],
    bodyOnly: ['passphrase'],
    tag: 'config',
  }),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Operations[N]['output']>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];
