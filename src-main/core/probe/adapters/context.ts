import type { z } from 'zod';
import type { ModelInfo } from '../../contract/domain-schemas.js';
import { classifyHttpFailure, type RequestPurpose } from '../classify.js';
import { ProbeError, invalidResponse, missingCredentials } from '../errors.js';
import type { HeadroomCollector } from '../headroom.js';
import type { HttpRequest, HttpResponse, ProviderHttp } from '../network/http-client.js';
import type { SecretScrubber } from '../scrub.js';
import type { ProbeKey, ProbeTarget } from '../types.js';

/** Everything an adapter needs for one key of one provider. */
export interface AdapterContext {
  target: ProbeTarget;
  key: ProbeKey;
  /** The key's secret; null when none was given. */
  secret: string | null;
  /** The provider is used without a key (keyless type without a key, or a custom provider with is_key_less). */
  keyless: boolean;
  http: ProviderHttp;
  scrubber: SecretScrubber;
  /** Rate-limit figures from every answer's headers, and credit from balance endpoints the adapter reads. */
  headroom: HeadroomCollector;
}

export interface JsonRequest extends HttpRequest {
  purpose: RequestPurpose;
}

export interface JsonAnswer {
  body: unknown;
  response: HttpResponse;
}

/** Sends a request and returns its JSON body; any non-2xx or non-JSON answer becomes a classified ProbeError. */
export async function requestJson(ctx: AdapterContext, req: JsonRequest): Promise<JsonAnswer> {
  return jsonAnswer(ctx, req, await sendObserved(ctx, req));
}

/** Sends a request and records the headroom its headers reveal (a 429 tells as much as a 200). */
export async function sendObserved(ctx: AdapterContext, req: JsonRequest): Promise<HttpResponse> {
  const response = await ctx.http.send(req);
  ctx.headroom.observe(response.headers);
  return response;
}

/** The JSON body of an answer; any non-2xx or non-JSON answer becomes a classified ProbeError. */
export function jsonAnswer(ctx: AdapterContext, req: JsonRequest, response: HttpResponse): JsonAnswer {
  if (response.status < 200 || response.status >= 300) {
    throw classifyHttpFailure({
      status: response.status,
      headers: response.headers,
      text: response.text,
      path: response.path,
      purpose: req.purpose,
      scrubber: ctx.scrubber,
    });
  }
  try {
    return { body: JSON.parse(response.text) as unknown, response };
  } catch {
    const html = /^\s*</.test(response.text);
    throw new ProbeError({
      errorClass: 'invalid_response',
      httpStatus: response.status,
      summary: `the answer from ${response.path} is not JSON${html ? ' (an HTML page)' : ''}`,
      hint: 'check that the base URL points at the provider’s API, not a website or another service',
    });
  }
}

/** Validates a body against the family's documented shape. */
export function parseShape<T>(schema: z.ZodType<T>, body: unknown, path: string, expected: string): T {
  const result = schema.safeParse(body);
  if (!result.success) throw invalidResponse(path, expected);
  return result.data;
}

function plainObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * A setting for this key: the key's typed config first (flat, or nested as azure_key_config / bedrock_key_config …),
 * then the provider's settings. Strings wrapped as Bifrost secret objects ({value}) are unwrapped.
 */
export function settingValue(ctx: Pick<AdapterContext, 'key' | 'target'>, ...names: string[]): unknown {
  const sources: Record<string, unknown>[] = [];
  const keyConfig = plainObject(ctx.key.keyConfig);
  if (keyConfig) {
    sources.push(keyConfig);
    for (const [name, value] of Object.entries(keyConfig)) {
      const nested = plainObject(value);
      if (name.endsWith('_key_config') && nested) sources.push(nested);
    }
  }
  sources.push(ctx.target.settings);
  for (const source of sources) {
    for (const name of names) {
      const value = source[name];
      if (value === undefined || value === null || value === '') continue;
      const wrapped = plainObject(value);
      if (
        wrapped &&
        typeof wrapped.value === 'string' &&
        Object.keys(wrapped).every((k) => ['value', 'ref', 'type', 'env_var', 'from_env'].includes(k))
      ) {
        if (wrapped.value) return wrapped.value;
        continue;
      }
      return value;
    }
  }
  return undefined;
}

export function settingString(ctx: Pick<AdapterContext, 'key' | 'target'>, ...names: string[]): string | undefined {
  const value = settingValue(ctx, ...names);
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The secret, or a missing_credentials failure. */
export function requireSecret(ctx: AdapterContext, what = 'API key'): string {
  if (!ctx.secret) throw missingCredentials(what);
  return ctx.secret;
}

/** Bearer auth when a key is present (keyless servers get no Authorization header). */
export function bearer(ctx: AdapterContext): Record<string, string> {
  if (ctx.keyless || !ctx.secret) return {};
  return { Authorization: `Bearer ${ctx.secret}` };
}

/** The custom provider's list-models path override, if any. */
export function listPathOverride(ctx: AdapterContext): string | undefined {
  const override = ctx.target.custom?.request_path_overrides?.list_models;
  return override && override.trim() ? override.trim() : undefined;
}

/** Why a check could not prove the key without spending money; shown to the user with the result. */
export interface Unverified {
  reason: string;
}

/** What list() found when the listing itself could not prove the key (Perplexity without the model list, Voyage). */
export interface Listing {
  models: ModelInfo[];
  unverified: Unverified | null;
}

/** One family's (or one type's) way of proving a key and listing models. */
export interface FamilyAdapter {
  /**
   * Proves the key before listing, for types whose model list is public or proves less than a key-info call
   * (OpenRouter /key, Hugging Face whoami …); it may record credit on ctx.headroom. Throws a ProbeError when
   * the key is rejected; returns Unverified when no free call can tell, null when the key is proven (or
   * the listing that follows will prove it).
   */
  prove?(ctx: AdapterContext): Promise<Unverified | null>;
  /**
   * Every model the key can use (all pages); without prove(), this call is the proof, so it needs the key.
   * Families without a list endpoint return their documented static list; Replicate returns [].
   */
  list(ctx: AdapterContext): Promise<ModelInfo[] | Listing>;
  /** Sends a one-token request to the model. Families without it are reported as unsupported. */
  deep?(ctx: AdapterContext, model: string): Promise<void>;
  /** The model a deep test uses to prove an unverified key when the user chose none (the cheapest one). */
  proofModel?: string;
  /** Models are not listed by this family (Replicate): an empty list is the normal answer. */
  unlisted?: boolean;
}
