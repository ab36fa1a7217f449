import { z } from 'zod';
import type { ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel } from '../capabilities.js';
import { invalidResponse } from '../errors.js';
import { joinUrl, stripTrailing, withQuery } from '../urls.js';
import { listPathOverride, parseShape, requestJson, type AdapterContext, type FamilyAdapter } from './context.js';

const DEFAULT_BASE = 'https://api.anthropic.com';
const MAX_PAGES = 100;

const Page = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().min(1), display_name: z.string().nullish(), type: z.string().nullish() })),
  has_more: z.boolean().optional(),
  last_id: z.string().nullish(),
});

/** The API root: the base URL with or without a trailing /v1. */
function root(ctx: AdapterContext): string {
  return stripTrailing(ctx.target.baseUrl.trim() || DEFAULT_BASE, /v1/);
}

function headers(ctx: AdapterContext): Record<string, string> {
  return {
    'anthropic-version': '2023-06-01',
    Accept: 'application/json',
    ...(ctx.secret && !ctx.keyless ? { 'x-api-key': ctx.secret } : {}),
  };
}

/** Claude 3 and later read images; the list endpoint does not say so. */
const VISION = /^claude-(3|(opus|sonnet|haiku)-[4-9])/;

export const anthropicAdapter: FamilyAdapter = {
  async list(ctx) {
    const override = listPathOverride(ctx);
    const listUrl = override ? joinUrl(root(ctx), override) : joinUrl(root(ctx), 'v1/models');
    const models: ModelInfo[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = withQuery(listUrl, { limit: 1000, after_id: after });
      const { body, response } = await requestJson(ctx, { method: 'GET', url, headers: headers(ctx), purpose: 'list' });
      const parsed = parseShape(Page, body, response.path, '{"data": [{"id": …}], "has_more": …}');
      for (const m of parsed.data) {
        models.push(
          buildModel({
            id: m.id,
            displayName: m.display_name ?? null,
            capabilities: VISION.test(m.id) ? ['chat', 'vision'] : ['chat'],
            ownedBy: 'anthropic',
          }),
        );
      }
      if (!parsed.has_more) return models;
      if (!parsed.last_id || parsed.last_id === after)
        throw invalidResponse(response.path, 'a last_id to continue paging (has_more was true)');
      after = parsed.last_id;
    }
    return models;
  },

  async deep(ctx, model) {
    await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(root(ctx), 'v1/messages'),
      headers: { ...headers(ctx), 'Content-Type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 1, messages: [{ role: 'user', content: 'Hi' }] }),
      purpose: 'deep',
    });
  },
};
