import { z } from 'zod';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { bearer, parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';
import { voyageModels } from './static-models.js';

const DEFAULT_BASE = 'https://api.voyageai.com/v1';
/** The cheapest model for the one-word embedding that proves the key. */
const CHECK_MODEL = 'voyage-3.5-lite';
const Embeddings = z.looseObject({ data: z.array(z.unknown()).min(1) });

function base(ctx: AdapterContext): string {
  const raw = ctx.target.baseUrl.trim() || DEFAULT_BASE;
  return hasVersionSegment(raw) ? raw : joinUrl(raw, 'v1');
}

/** No list endpoint: a one-word embedding proves the key, then the documented model list is returned. */
export const voyageAdapter: FamilyAdapter = {
  async list(ctx) {
    requireSecret(ctx);
    const { body, response } = await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(base(ctx), 'embeddings'),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...bearer(ctx) },
      body: JSON.stringify({ input: ['hello'], model: CHECK_MODEL }),
      purpose: 'check',
    });
    parseShape(Embeddings, body, response.path, '{"data": [{"embedding": […]}]}');
    return voyageModels();
  },
};
