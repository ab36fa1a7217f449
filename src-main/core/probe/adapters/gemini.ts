import { z } from 'zod';
import type { ModelCapability, ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, fromGenerationMethods } from '../capabilities.js';
import { invalidResponse } from '../errors.js';
import { joinUrl, stripTrailing, withQuery } from '../urls.js';
import { listPathOverride, parseShape, requestJson, type AdapterContext, type FamilyAdapter } from './context.js';

const DEFAULT_BASE = 'https://generativelanguage.googleapis.com';
const MAX_PAGES = 100;

const Page = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        displayName: z.string().nullish(),
        inputTokenLimit: z.number().nullish(),
        supportedGenerationMethods: z.array(z.string()).nullish(),
        thinking: z.boolean().nullish(),
      }),
    )
    .optional(),
  nextPageToken: z.string().nullish(),
});

/** The API root, whether the base URL was written with /v1beta, /v1 or the /v1beta/openai compatibility path. */
function root(ctx: AdapterContext): string {
  return stripTrailing(ctx.target.baseUrl.trim() || DEFAULT_BASE, /openai|v1beta|v1alpha|v1/);
}

/** The key goes in a header, never in `?key=`: URLs end up in logs. */
function headers(ctx: AdapterContext): Record<string, string> {
  return { Accept: 'application/json', ...(ctx.secret && !ctx.keyless ? { 'x-goog-api-key': ctx.secret } : {}) };
}

/** Gemini 1.5 and later read images; the list endpoint does not say so. */
const VISION = /^gemini-(1\.5|[2-9])/;

export const geminiAdapter: FamilyAdapter = {
  async list(ctx) {
    const override = listPathOverride(ctx);
    const listUrl = override ? joinUrl(root(ctx), override) : joinUrl(root(ctx), 'v1beta/models');
    const models: ModelInfo[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = withQuery(listUrl, { pageSize: 1000, pageToken: token });
      const { body, response } = await requestJson(ctx, { method: 'GET', url, headers: headers(ctx), purpose: 'list' });
      const parsed = parseShape(Page, body, response.path, '{"models": [{"name": "models/…"}]}');
      // Google omits empty lists ({} is an empty page), but an object with other fields is some other API.
      if (parsed.models === undefined && Object.keys(parsed).some((k) => k !== 'nextPageToken')) {
        throw invalidResponse(response.path, '{"models": [{"name": "models/…"}]}');
      }
      for (const m of parsed.models ?? []) {
        const id = m.name.replace(/^models\//, '');
        const caps: ModelCapability[] = fromGenerationMethods(m.supportedGenerationMethods ?? []);
        if (caps.includes('chat') && VISION.test(id)) caps.push('vision');
        if (m.thinking) caps.push('reasoning');
        models.push(
          buildModel({
            id,
            displayName: m.displayName ?? null,
            capabilities: caps,
            contextWindow: m.inputTokenLimit ?? null,
            ownedBy: 'google',
          }),
        );
      }
      if (!parsed.nextPageToken) return models;
      if (parsed.nextPageToken === token) throw invalidResponse(response.path, 'a new nextPageToken on each page');
      token = parsed.nextPageToken;
    }
    return models;
  },

  async deep(ctx, model) {
    const id = model.replace(/^models\//, '');
    await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(root(ctx), `v1beta/models/${encodeURIComponent(id)}:generateContent`),
      headers: { ...headers(ctx), 'Content-Type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 1 } }),
      purpose: 'deep',
    });
  },
};
