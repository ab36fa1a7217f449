import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { MIN_PASSPHRASE_LENGTH } from '../config-schemas.js';
import { IMPORT_BODY_LIMIT, ConfigImportInput, ConfigImportOutput, ConfigDocument, EncryptedConfig } from '../operation-schemas.js';

/** config.json import and export. */
export const configOperations = {
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
