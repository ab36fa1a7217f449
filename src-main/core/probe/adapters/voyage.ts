import { z } from 'zod';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { bearer, parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';
import { voyageModels } from './static-models.js';

const DEFAULT_BASE = 'https://api.voyageai.com/v1';
const Embeddings = z.looseObject({ data: z.array(z.unknown()).min(1) });

function base(ctx: AdapterContext): string {
  const raw = ctx.target.baseUrl.trim() || DEFAULT_BASE;
  return hasVersionSegment(raw) ? raw : joinUrl(raw, 'v1');
}

/**
 * Voyage has no model list and no free call that checks a key: only an embedding (billed per token) proves it.
 * A normal test therefore sends nothing and says so; a deep test embeds one word with the chosen model (or the
 * cheapest one).
 */
export const voyageAdapter: FamilyAdapter = {
  proofModel: 'voyage-3.5-lite',

  list(ctx) {
    requireSecret(ctx);
    return Promise.resolve({
      models: voyageModels(),
      unverified: {
        reason: 'only a billed request can prove a Voyage key (Voyage has no free key check); run a deep test to embed one word',
      },
    });
  },

  async deep(ctx, model) {
    const { body, response } = await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(base(ctx), 'embeddings'),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...bearer(ctx) },
      body: JSON.stringify({ input: ['hello'], model }),
      purpose: 'deep',
    });
    parseShape(Embeddings, body, response.path, '{"data": [{"embedding": […]}]}');
  },
};
