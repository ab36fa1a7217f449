import { z } from 'zod';
import type { ModelCapability, ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, contextWindowOf, fromModalities, fromTogetherType } from '../capabilities.js';
import { ProbeError, invalidResponse } from '../errors.js';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { bearer, listPathOverride, parseShape, requestJson, type AdapterContext, type FamilyAdapter } from './context.js';

const Entry = z.looseObject({ id: z.string().min(1) });
/** `{data:[…]}` (OpenAI and most compatibles) or a bare array (Together, some self-hosted servers). */
const ListBody = z.union([z.looseObject({ data: z.array(z.unknown()) }), z.array(z.unknown())]);

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Capabilities OpenAI-compatible servers add to the plain shape: OpenRouter architecture, Mistral capabilities, Together type. */
function metadataCapabilities(raw: Record<string, unknown>): ModelCapability[] {
  const caps: ModelCapability[] = [];
  const architecture = record(raw.architecture);
  if (Array.isArray(architecture.input_modalities) || Array.isArray(architecture.output_modalities)) {
    caps.push(...fromModalities(strings(architecture.input_modalities), strings(architecture.output_modalities)));
  }
  const params = strings(raw.supported_parameters);
  if (params.includes('tools')) caps.push('tools');
  if (params.includes('reasoning') || params.includes('include_reasoning')) caps.push('reasoning');
  const mistral = record(raw.capabilities);
  if (mistral.completion_chat === true) caps.push('chat');
  if (mistral.function_calling === true) caps.push('tools');
  if (mistral.vision === true) caps.push('vision');
  if (typeof raw.type === 'string') caps.push(...fromTogetherType(raw.type));
  return caps;
}

/** Maps an OpenAI-shaped list body to models; anything else is an invalid response. */
export function modelsFromOpenAiBody(body: unknown, path: string): ModelInfo[] {
  const parsed = parseShape(ListBody, body, path, '{"data": [{"id": …}]}');
  const items = Array.isArray(parsed) ? parsed : parsed.data;
  const models: ModelInfo[] = [];
  for (const item of items) {
    const entry = Entry.safeParse(item);
    if (!entry.success) continue;
    const raw = entry.data as Record<string, unknown>;
    const displayName = typeof raw.display_name === 'string' ? raw.display_name : typeof raw.name === 'string' ? raw.name : null;
    const ownedBy = typeof raw.owned_by === 'string' ? raw.owned_by : typeof raw.organization === 'string' ? raw.organization : null;
    models.push(
      buildModel({ id: entry.data.id, displayName, capabilities: metadataCapabilities(raw), contextWindow: contextWindowOf(raw), ownedBy }),
    );
  }
  if (items.length > 0 && models.length === 0) throw invalidResponse(path, 'models with an "id"');
  return models;
}

export interface OpenAiLikeOptions {
  /** Auth headers for this family (Bearer by default; RITS uses its own header). */
  auth?: (ctx: AdapterContext) => Record<string, string>;
}

/**
 * Base URLs are used as written when they carry a version segment (…/v1, …/openai/v1, …/v1beta/openai).
 * Without one, `{base}/models` is tried first and `{base}/v1/models` only if that answers 404, so both
 * "https://host" and "https://host/v1" work for servers that live under /v1.
 */
function candidateBases(base: string): string[] {
  return hasVersionSegment(base) ? [base] : [base, joinUrl(base, 'v1')];
}

async function firstFound<T>(bases: string[], attempt: (base: string) => Promise<T>): Promise<T> {
  let lastNotFound: ProbeError | null = null;
  for (const base of bases) {
    try {
      return await attempt(base);
    } catch (error) {
      if (error instanceof ProbeError && error.errorClass === 'not_found') {
        lastNotFound ??= error; // report the first (as-written) URL's 404
        continue;
      }
      throw error;
    }
  }
  throw lastNotFound ?? new Error('no base URL to try');
}

/** The base URL as configured; a clear failure when there is none. */
export function requireBase(ctx: AdapterContext): string {
  const base = ctx.target.baseUrl.trim();
  if (!base)
    throw new ProbeError({
      errorClass: 'not_found',
      httpStatus: null,
      summary: 'no base URL set',
      hint: 'enter the server’s base URL, e.g. https://host/v1',
    });
  return base;
}

/** Lists `GET {base}/models` and deep-tests with a one-token chat completion. */
export function openAiLikeAdapter(options: OpenAiLikeOptions = {}): FamilyAdapter {
  const auth = options.auth ?? bearer;
  return {
    async list(ctx) {
      const base = requireBase(ctx);
      const override = listPathOverride(ctx);
      const urls = override ? [joinUrl(base, override)] : candidateBases(base).map((b) => joinUrl(b, 'models'));
      return firstFound(urls, async (url) => {
        const { body, response } = await requestJson(ctx, {
          method: 'GET',
          url,
          headers: { Accept: 'application/json', ...auth(ctx) },
          purpose: 'list',
        });
        return modelsFromOpenAiBody(body, response.path);
      });
    },
    async deep(ctx, model) {
      const base = requireBase(ctx);
      await firstFound(candidateBases(base), (b) => chatOneToken(ctx, joinUrl(b, 'chat/completions'), model, auth(ctx)));
    },
  };
}

/** A one-token chat completion; retried with max_completion_tokens for models that reject max_tokens. */
export async function chatOneToken(ctx: AdapterContext, url: string, model: string, auth: Record<string, string>): Promise<void> {
  const send = (limit: 'max_tokens' | 'max_completion_tokens') =>
    requestJson(ctx, {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...auth },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], [limit]: 1 }),
      purpose: 'deep',
    });
  try {
    await send('max_tokens');
  } catch (error) {
    if (error instanceof ProbeError && error.httpStatus === 400 && /max_completion_tokens/.test(error.summary)) {
      await send('max_completion_tokens');
      return;
    }
    throw error;
  }
}

export const openaiAdapter = openAiLikeAdapter();
