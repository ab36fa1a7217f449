/** Input and output schemas of the model curation operations (operations/checks.ts): enable/disable, custom ids, check. */
import { z } from 'zod';
import { ERROR_CLASSES, StoredModelSchema } from './domain-schemas.js';
import { IdOrName } from './operation-schemas.js';

/** A model id as providers spell them (`gpt-4o`, `meta-llama/Llama-3.3-70B`, `models/gemini-2.0-flash`): one line, no controls. */
export const ModelId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must be one line without control characters')
  .meta({ description: 'A model id as the provider spells it.' });

/** Many ids at once (the GUI's "Disable all" over a filtered view of a long list). */
const ModelIds = z
  .array(ModelId)
  .min(1, 'must name at least one model')
  .max(20_000, 'must name at most 20000 models')
  .refine((ids) => new Set(ids).size === ids.length, 'must not name a model twice');

export const ModelsUpdateInput = z
  .object({ idOrName: IdOrName, models: ModelIds, enabled: z.boolean() })
  .strict()
  .meta({ description: 'Turns these stored models on or off; every id must be stored for the provider.' });

export const ModelsAddInput = z
  .object({
    idOrName: IdOrName,
    id: ModelId,
    display_name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  })
  .strict();

export const ModelsRemoveInput = z
  .object({ idOrName: IdOrName, models: ModelIds })
  .strict()
  .meta({ description: 'Deletes custom ids and dismisses gone models; a model the provider still lists cannot be removed (disable it).' });

export const ModelsCheckInput = z
  .object({
    idOrName: IdOrName,
    model: ModelId,
    key_id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'The key to send with (default: the first enabled key allowed for the model).' }),
  })
  .strict();

export const ModelCheckOutput = z
  .object({
    model: z.string(),
    key_id: z.string().nullable(),
    status: z.enum(['ok', 'error', 'unsupported']).meta({
      description:
        'ok: the model answered; error: it did not (see error_class); unsupported: this type has no one-token request, nothing was sent.',
    }),
    ok: z.boolean(),
    billed: z
      .boolean()
      .meta({ description: 'The provider bills the request that was sent (a cloud provider answering a one-token request).' }),
    latency_ms: z.number().int().nonnegative(),
    http_status: z.number().int().nullable(),
    error_class: z.enum(ERROR_CLASSES).nullable(),
    message: z.string(),
    hint: z.string().nullable(),
    checked_at: z.string(),
  })
  .meta({ id: 'ModelCheck' });
export type ModelCheck = z.infer<typeof ModelCheckOutput>;

export { StoredModelSchema };
