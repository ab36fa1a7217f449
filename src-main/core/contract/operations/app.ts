import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { AppInfo, CliAccessInput, Empty } from '../operation-schemas.js';

/** The app itself: liveness, information, the vault setting and the catalog of provider types. */
export const appOperations = {
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
} as const;
