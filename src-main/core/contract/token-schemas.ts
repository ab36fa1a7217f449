/** Schemas of the gateway's scoped tokens and usage counters (operations tokens.* and usage.* in operations.ts). */
import { z } from 'zod';
import { ERROR_CLASSES } from './domain-schemas.js';
import { FlagInput, IdOrName } from './operation-schemas.js';

export const TOKEN_SCOPES = ['gateway'] as const;
export const TOKEN_STATUSES = ['active', 'expired', 'revoked'] as const;
/** Ten years: long enough for "never" in practice, short enough that the date stays a valid ISO string. */
export const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/** A person-chosen label (the tool that uses the token): letters, digits, spaces and `. _ - @ :`, starting with a letter or digit. */
export const TokenName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._@:-]*$/u, 'may hold letters, digits, spaces and . _ - @ : (starting with a letter or digit)')
  .meta({ description: 'What the token is for, e.g. the tool that uses it ("aider").' });

export const TokenId = z.string().min(1).max(200).meta({ description: 'The token id (not the token).' });

export const TokenCreateInput = z
  .object({
    name: TokenName,
    scope: z
      .enum(TOKEN_SCOPES, { message: 'must be "gateway" (the only scope: the gateway routes /proxy/… and /v1/…)' })
      .default('gateway'),
    providers: z
      .array(z.string().min(1).max(200))
      .min(1, 'must name at least one provider (leave it out to allow every provider)')
      .max(1000)
      .nullable()
      .optional()
      .meta({ description: 'Provider names (or ids) the token may use; absent or null: every provider.' }),
    expires_in_seconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_TOKEN_LIFETIME_SECONDS, `must be at most ${MAX_TOKEN_LIFETIME_SECONDS} (ten years)`)
      .optional()
      .meta({ description: 'Lifetime in seconds; absent: the token never expires (revoke it when done).' }),
  })
  .strict();
export type TokenCreateInput = z.output<typeof TokenCreateInput>;

export const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(TOKEN_SCOPES),
    providers: z.array(z.string()).nullable().meta({ description: 'Provider names the token may use; null: every provider.' }),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable().meta({ description: 'Last request with this token (kept up to date within a second or so).' }),
    revoked_at: z.string().nullable(),
    status: z.enum(TOKEN_STATUSES),
  })
  .meta({ id: 'GatewayToken' });
export type GatewayToken = z.infer<typeof TokenSchema>;

export const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().meta({ description: 'The token itself: shown only in this answer, stored only as a hash.' }),
});

export const TokenListInput = z
  .object({ include_revoked: FlagInput.optional().meta({ description: 'Also list revoked tokens (default: only active and expired).' }) })
  .strict();

// --- usage counters -------------------------------------------------------------------------------------------
export const USAGE_OUTCOMES = ['ok', ...ERROR_CLASSES] as const;

export const UsageCountersSchema = z
  .object({
    requests: z.number().int(),
    errors: z.number().int().meta({ description: 'Requests that did not end ok (all classes).' }),
    errors_by_class: z.record(z.string(), z.number().int()).meta({ description: 'Failed requests per error class.' }),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    last_used_at: z.string().nullable(),
  })
  .meta({ id: 'UsageCounters' });
export type UsageCounters = z.infer<typeof UsageCountersSchema>;

export const ProviderUsageOutput = z.object({
  provider: z.object({ id: z.string(), name: z.string() }),
  totals: UsageCountersSchema,
  keys: z.array(
    UsageCountersSchema.extend({
      key_id: z.string().nullable().meta({ description: 'null: requests of a keyless provider.' }),
      key_name: z.string().nullable().meta({ description: 'null when keyless, or when the key was deleted since.' }),
    }),
  ),
  tokens: z.array(
    UsageCountersSchema.extend({
      token_id: z.string().nullable().meta({ description: 'null: the main API token.' }),
      token_name: z.string().nullable(),
    }),
  ),
});

export const TokenUsageOutput = z.object({
  token: TokenSchema,
  totals: UsageCountersSchema,
  providers: z.array(UsageCountersSchema.extend({ provider_id: z.string(), provider_name: z.string() })),
});

export const ProviderUsageInput = z.object({ idOrName: IdOrName }).strict();
export const TokenUsageInput = z.object({ id: TokenId }).strict();
