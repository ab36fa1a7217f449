import { z } from 'zod';
import type { ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, fromCohere } from '../capabilities.js';
import { ProbeError, invalidResponse } from '../errors.js';
import { joinUrl, stripTrailing, withQuery } from '../urls.js';
import { bearer, listPathOverride, parseShape, requestJson, type AdapterContext, type FamilyAdapter } from './context.js';
import { keyInfoProof } from './key-proof.js';

const DEFAULT_BASE = 'https://api.cohere.com';
const MAX_PAGES = 100;

const Page = z.looseObject({
  models: z.array(
    z.looseObject({
      name: z.string().min(1),
      endpoints: z.array(z.string()).nullish(),
      features: z.array(z.string()).nullish(),
      context_length: z.number().nullish(),
    }),
  ),
  next_page_token: z.string().nullish(),
});

/** `POST /v1/check-api-key` answers `{valid, organization_id, owner_id}`. */
const KeyCheck = z.looseObject({ valid: z.boolean() });

/** The API root, whether the base URL was written with /v1 or /v2 or without. */
function root(ctx: AdapterContext): string {
  return stripTrailing(ctx.target.baseUrl.trim() || DEFAULT_BASE, /v1|v2|compatibility/);
}

export const cohereAdapter: FamilyAdapter = {
  /** Cohere's own key check (free); the model list, which also needs the key, follows. */
  prove: keyInfoProof({
    label: 'Cohere',
    method: 'POST',
    url: (ctx) => joinUrl(root(ctx), 'v1/check-api-key'),
    listingNeedsKey: true,
    read(_ctx, { body, response }) {
      if (!parseShape(KeyCheck, body, response.path, '{"valid": true|false}').valid) {
        throw new ProbeError({
          errorClass: 'auth_failed',
          httpStatus: response.status,
          summary: `Cohere answered ${response.path} with valid: false`,
          hint: 'the key was rejected; check it or create a new one',
        });
      }
    },
  }),

  async list(ctx) {
    const override = listPathOverride(ctx);
    const listUrl = override ? joinUrl(root(ctx), override) : joinUrl(root(ctx), 'v1/models');
    const models: ModelInfo[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = withQuery(listUrl, { page_size: 1000, page_token: token });
      const { body, response } = await requestJson(ctx, {
        method: 'GET',
        url,
        headers: { Accept: 'application/json', ...bearer(ctx) },
        purpose: 'list',
      });
      const parsed = parseShape(Page, body, response.path, '{"models": [{"name": …}]}');
      for (const m of parsed.models) {
        models.push(
          buildModel({
            id: m.name,
            capabilities: fromCohere(m.endpoints ?? [], m.features ?? []),
            contextWindow: m.context_length ?? null,
            ownedBy: 'cohere',
          }),
        );
      }
      if (!parsed.next_page_token) return models;
      if (parsed.next_page_token === token) throw invalidResponse(response.path, 'a new next_page_token on each page');
      token = parsed.next_page_token;
    }
    return models;
  },

  async deep(ctx, model) {
    await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(root(ctx), 'v2/chat'),
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...bearer(ctx) },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 }),
      purpose: 'deep',
    });
  },
};
