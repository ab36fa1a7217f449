import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { ApiKeySchema, ProviderSchema } from '../domain-schemas.js';
import { ApiKeyCreateInput, ApiKeyPatch, ProviderCreateInput, ProviderName, ProviderPatch } from '../provider-inputs.js';
import { IdOrName, Revision, ProviderListInput, TestOutput, EXAMPLE_KEY, EXAMPLE_PROVIDER } from '../operation-schemas.js';

/** Providers and their keys. */
export const providersOperations = {
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
  'providers.testDraft': defineOperation({
    summary: 'Check a provider before saving it: the same input as create, probed once and stored nowhere (the name may be left out)',
    method: 'POST',
    path: '/api/v1/provider-drafts/test',
    input: ProviderCreateInput.extend({ name: ProviderName.optional() }),
    output: TestOutput.extend({
      model_count: z.number().int().nullable().meta({ description: 'How many models the first passing key listed; null when none did.' }),
    }),
    errors: ['unauthorized', 'validation_failed'],
    bodyOnly: ['api_keys', 'settings'],
    tag: 'providers',
    example: {
      input: { type: 'openai', api_keys: [{ value: 'sk-proj-…' }] },
      output: {
        ok: true,
        health: 'ok',
        model_count: 42,
        results: [
          {
            key_id: '0b9c…',
            ok: true,
            latency_ms: 180,
            http_status: 200,
            error_class: null,
            message: '42 models listed',
            hint: null,
            checked_at: '2026-11-22T08:00:00.000Z',
          },
        ],
      },
    },
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
  'keys.createMany': defineOperation({
    summary: 'Add several API keys to a provider at once: all are stored, or none (a duplicate value is refused by its index)',
    method: 'POST',
    path: '/api/v1/providers/{idOrName}/keys/batch',
    input: z
      .object({
        idOrName: IdOrName,
        revision: Revision,
        keys: z.array(ApiKeyCreateInput).min(1, 'must list at least one key').max(100, 'must list at most 100 keys'),
      })
      .strict(),
    output: z.object({ keys: z.array(ApiKeySchema) }),
    status: 201,
    errors: ['unauthorized', 'validation_failed', 'not_found', 'conflict', 'precondition_failed'],
    revisionField: 'revision',
    bodyOnly: ['keys'],
    tag: 'keys',
    example: {
      input: { keys: [{ value: 'sk-proj-…1' }, { value: 'sk-proj-…2' }] },
      output: {
        keys: [
          { ...EXAMPLE_KEY, name: 'key-2' },
          { ...EXAMPLE_KEY, name: 'key-3' },
        ],
      },
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
} as const;
