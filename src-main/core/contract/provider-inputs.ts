import { z } from 'zod';
import { resolveTypeId, CATALOG_IDS } from '../catalog/catalog.js';
import { ConcurrencyInput, CustomProviderConfigInput, NetworkConfigInput, ProxyConfigInput } from './config-schemas.js';

/** Bifrost's own standard names use `_` as well as `-` (bedrock_mantle, opencode-go), so both separate words. */
export const NAME_PATTERN = /^[a-z0-9]+([-_][a-z0-9]+)*$/;
/** Said in words, never as the regex: people read it under the name field (and tools show it as given). */
export const NAME_MESSAGE =
  'must be lowercase letters and digits, with words joined by single dashes or underscores and no spaces (e.g. "my-openai")';

export const ProviderName = z
  .string({ message: 'is required' })
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(NAME_PATTERN, NAME_MESSAGE);

export const ProviderType = z
  .string({ message: 'is required' })
  .min(1, 'is required')
  .refine((value) => resolveTypeId(value) !== undefined, {
    message: `must be one of ${CATALOG_IDS.join(', ')} (or an alias: google, other)`,
  })
  .transform((value) => resolveTypeId(value) ?? value);

export const HttpUrl = z
  .string()
  .max(2083, 'must be at most 2083 characters')
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'must be an absolute http(s) URL' },
  );

/** A secret as a user gives it: a literal, or an `env.VAR` reference. Never trimmed silently. */
export const SecretValue = z
  .string({ message: 'is required' })
  .min(1, 'must not be empty')
  .max(65_536, 'is too long')
  .refine((value) => value.trim() === value, { message: 'must not start or end with whitespace' });

export const KeyConfig = z.record(z.string(), z.unknown()).nullable();

export const ApiKeyCreateInput = z
  .object({
    id: z.string().min(1).max(128).optional(),
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    value: SecretValue,
    enabled: z.boolean().optional(),
    weight: z.number().min(0, 'must be 0 or more').max(1000).optional(),
    models: z.array(z.string().min(1)).optional(),
    blacklisted_models: z.array(z.string().min(1)).optional(),
    use_for_batch_api: z.boolean().optional(),
    key_config: KeyConfig.optional(),
  })
  .strict();
export type ApiKeyCreateInput = z.infer<typeof ApiKeyCreateInput>;

export const ApiKeyPatch = ApiKeyCreateInput.omit({ id: true }).partial().strict();
export type ApiKeyPatch = z.infer<typeof ApiKeyPatch>;

const providerFields = {
  display_name: z.string().max(200, 'must be at most 200 characters').optional(),
  base_url: z.union([HttpUrl, z.literal('')]).optional(),
  enabled: z.boolean().optional(),
  description: z.string().max(4000, 'must be at most 4000 characters').optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  network_config: NetworkConfigInput.optional(),
  proxy_config: ProxyConfigInput.nullable().optional(),
  concurrency_and_buffer_size: ConcurrencyInput.optional(),
  custom_provider_config: CustomProviderConfigInput.nullable().optional(),
  send_back_raw_request: z.boolean().optional(),
  send_back_raw_response: z.boolean().optional(),
  store_raw_request_response: z.boolean().optional(),
};

export const ProviderCreateInput = z
  .object({
    name: ProviderName,
    type: ProviderType,
    ...providerFields,
    api_keys: z.array(ApiKeyCreateInput).max(100).optional(),
  })
  .strict();
export type ProviderCreateInput = z.infer<typeof ProviderCreateInput>;

export const ProviderPatch = z
  .object({
    name: ProviderName.optional(),
    ...providerFields,
  })
  .strict();
export type ProviderPatch = z.infer<typeof ProviderPatch>;
