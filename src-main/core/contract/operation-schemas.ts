/** Input and output schemas (and shared examples) of the operations in operations.ts. */
import { z } from 'zod';
import { CheckResultSchema, ERROR_CLASSES, PROVIDER_HEALTH, StoredModelSchema } from './domain-schemas.js';
import { PROVIDER_SORT_FIELDS } from './sort-fields.js';
import { DestinationChangeSchema, FieldChangesSchema } from './config-schemas.js';

export const IdOrName = z.string().min(1).max(200).meta({ description: 'The provider id (uuid) or name.' });
export const Revision = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .meta({ description: 'Expected revision (If-Match); a stale write gets 412.' });
export const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean));

export const ProviderListInput = z
  .object({
    search: z.string().max(200).optional(),
    type: csv.optional().meta({ description: 'Comma-separated catalog types.' }),
    health: z
      .enum(PROVIDER_HEALTH)
      .optional()
      .meta({ description: 'Only providers with this health (the word the GUI and the CLI show).' }),
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

export const TestOutput = z.object({
  ok: z.boolean(),
  health: z
    .enum(PROVIDER_HEALTH)
    .meta({ description: "The provider's health after this test (counting keys not tested now by their last check)." }),
  results: z.array(CheckResultSchema),
});

/** Providers per health word after a test-all: the same words as the list filter, so "show the offline ones" finds them all. */
export const HealthCounts = z.object({
  ok: z.number().int(),
  degraded: z.number().int(),
  error: z.number().int(),
  offline: z.number().int(),
  untested: z.number().int(),
});

/** Why a provider failed in a test-all: the error class of its first failing check ('other' when the check named none). */
export const TEST_ALL_CAUSES = [...ERROR_CLASSES, 'other'] as const;
export const TestAllCause = z.enum(TEST_ALL_CAUSES);
export type TestAllCause = z.infer<typeof TestAllCause>;

/** The time cap of one provider in a test-all when neither the call nor the preferences give one. */
export const TEST_ALL_DEFAULT_TIMEOUT_MS = 20_000;
/** A run id chosen by the caller, so that it can cancel the run before the first progress arrives. */
export const TestAllRunId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1 to 100 letters, digits, dots, dashes, underscores or colons');

export const TestAllInput = z
  .object({
    concurrency: z.number().int().min(1).max(256).optional(),
    only: z.array(z.string()).optional().meta({ description: 'Test only these providers (ids or names), e.g. the failed ones again.' }),
    run_id: TestAllRunId.optional().meta({
      description: 'Names this run for providers.testAllCancel (any unique string; one is made up when absent).',
    }),
    timeout_ms: z.number().int().min(1000).max(600_000).optional().meta({
      description:
        'Time cap per provider: a provider still unanswered after this long counts as timed out (error class `timeout`). Default: the `testTimeoutSeconds` preference (20 s).',
    }),
  })
  .strict();

export const TestAllProgress = z.object({
  run_id: z.string().optional(),
  done: z.number().int(),
  total: z.number().int(),
  provider: z.object({ id: z.string(), name: z.string() }),
  ok: z.boolean(),
  health: z.enum(PROVIDER_HEALTH),
  cause: TestAllCause.nullable().optional(),
  results: z.array(CheckResultSchema),
});
export type TestAllProgress = z.infer<typeof TestAllProgress>;

export const TestAllOutput = z.object({
  run_id: z.string(),
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  not_tested: z.number().int().meta({
    description: 'Providers the run did not finish because it was cancelled (their health is left as it was).',
  }),
  cancelled: z.boolean().meta({ description: 'The run was cancelled (providers.testAllCancel, or the caller went away).' }),
  timeout_ms: z.number().int().meta({ description: 'The time cap per provider this run used.' }),
  duration_ms: z.number().int(),
  by_health: HealthCounts.meta({
    description: 'How many of the tested providers ended up with each health word (passed counts ok; failed counts the rest).',
  }),
  by_cause: z.partialRecord(TestAllCause, z.number().int()).meta({
    description: 'Failed providers per cause: the error class of their first failing check (auth_failed, rate_limited, timeout …).',
  }),
  providers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      ok: z.boolean(),
      health: z.enum(PROVIDER_HEALTH),
      cause: TestAllCause.nullable().meta({ description: 'Why it failed (null when it passed).' }),
      results: z.array(CheckResultSchema),
    }),
  ),
});

export const TestAllCancelInput = z
  .object({ run_id: TestAllRunId.optional().meta({ description: 'The run to cancel; every running test-all when absent.' }) })
  .strict();
export const TestAllCancelOutput = z.object({
  cancelled: z.array(z.string()).meta({ description: 'The ids of the runs that were cancelled (empty when none was running).' }),
});

export const ModelsOutput = z.object({ models: z.array(StoredModelSchema), fetched_at: z.string().nullable() });

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
  api: z.object({
    url: z.string(),
    port: z.number().int(),
    enabled: z.boolean(),
    note: z.string().optional().meta({
      description:
        'How the local API differs from the preferences, shown in Settings (e.g. served by a `provider-desk serve`, or another port).',
    }),
  }),
  vault: z.object({
    slots: z.array(z.string()),
    cli_access: z.boolean().meta({
      description: 'The data key is also in a keyfile slot (master.key), so the CLI and `serve` can open the store without the app.',
    }),
    cli_access_configurable: z.boolean().meta({
      description: 'Command-line access can be turned off: the desktop app with a real OS keychain (headless the key file is needed).',
    }),
    keychain_backend: z.string().nullable(),
    warning: z.string().nullable(),
  }),
});

export const CliAccessInput = z.object({ enabled: z.boolean() }).strict();

// --- config.json import / export (Bifrost's format) -----------------------------------------------------------
/** Body limit of config import: a config.json with thousands of providers is larger than the default 1 MiB. */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
export const CONFIG_ENVELOPE_FORMAT = 'provider-desk-encrypted-config';

/** `true`/`false` from JSON, or from a query string (`?dry_run=true`). */
export const FlagInput = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

export const ConfigImportInput = z
  .looseObject({
    // The document's own fields (providers, client, governance …) are not declared: zod would move declared keys first
    // and the file's section order is kept on export.
    dry_run: FlagInput.optional().meta({ description: 'Only compute the diff; change nothing.' }),
    prune: FlagInput.optional().meta({ description: 'Also remove providers (and keys) the file does not list.' }),
    passphrase: z
      .string()
      .max(1024)
      .optional()
      .meta({ description: 'Opens an encrypted export (JSON body only, never the query string).' }),
    confirm_destinations: FlagInput.optional().meta({
      description:
        'Confirms the listed `destinations`: without it, an import that would send kept keys to a new host, proxy, CA or TLS setting is refused (409 destination_change_unconfirmed).',
    }),
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
  destinations: z.array(DestinationChangeSchema).meta({
    description:
      'Changes of where kept (not re-entered) secrets are sent: base URL scheme/host/port, proxy, CA, TLS verification. Applying needs confirm_destinations.',
  }),
  changes: FieldChangesSchema.meta({ description: 'Per changed provider, the dotted paths of the fields that change (no values).' }),
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
export const EXAMPLE_KEY = {
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
  health: 'untested',
  status: 'untested',
  last_check: null,
  headroom: null,
  created_at: '2026-11-22T08:00:00.000Z',
  updated_at: '2026-11-22T08:00:00.000Z',
};

export const EXAMPLE_PROVIDER = {
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
  health: 'untested',
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

export const Empty = z.object({}).strict();

/** The longest interval of scheduled checks, in minutes (a day). */
export const MAX_CHECK_INTERVAL_MINUTES = 1440;

export const PreferencesSchema = z.object({
  theme: z.enum(['light', 'dark', 'system']),
  apiPort: z.number().int().min(1024, 'must be 1024 or higher').max(65535),
  apiEnabled: z.boolean(),
  checkIntervalMinutes: z
    .number()
    .int()
    .min(0, 'must be 0 (off) or more')
    .max(MAX_CHECK_INTERVAL_MINUTES, `must be at most ${MAX_CHECK_INTERVAL_MINUTES} (a day)`)
    .meta({
      description:
        'Scheduled checks: re-test every enabled provider in the background every this many minutes (0 = off). Never deep tests.',
    }),
  testTimeoutSeconds: z.number().int().min(1, 'must be at least 1 second').max(600, 'must be at most 600 seconds').meta({
    description:
      'Test all: a provider still unanswered after this many seconds counts as timed out, so one slow provider cannot hold the run.',
  }),
});

// --- scheduled checks ---------------------------------------------------------------------------------------
/** A key that changed between working and failing during a scheduled check. */
export const CheckTransitionSchema = z
  .object({
    kind: z.enum(['key_started_failing', 'key_recovered']),
    provider: z.string().meta({ description: 'The provider name.' }),
    provider_id: z.string(),
    key_id: z.string(),
    key_name: z.string(),
    result: CheckResultSchema,
    message: z
      .string()
      .meta({ description: 'What to tell the user, e.g. "Key \'main\' of openai stopped working: 401 — the key was rejected".' }),
    at: z.string(),
  })
  .meta({ id: 'CheckTransition' });
export type CheckTransition = z.infer<typeof CheckTransitionSchema>;

/** Opaque cursors of checks.recent: which run of the server, and the last transition seen. */
export const CHECK_CURSOR = /^[0-9a-f]{8}:\d{1,15}$/;

export const ChecksRecentInput = z
  .object({
    after: z
      .string()
      .regex(CHECK_CURSOR, 'must be a cursor returned by checks.recent')
      .optional()
      .meta({ description: 'The cursor of the previous answer: only newer transitions are returned.' }),
  })
  .strict();

export const ChecksRecentOutput = z.object({
  events: z.array(CheckTransitionSchema).meta({ description: 'Oldest first; without `after`, the recent ones this server kept.' }),
  cursor: z.string().meta({ description: 'Pass as `after` next time.' }),
});
