import { z } from 'zod';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { parseShape, type AdapterContext } from './context.js';
import { keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** `GET /api/v1/key`: limit and limit_remaining are null for a key without a credit limit; figures are US dollars. */
const KeyInfo = z.looseObject({
  data: z.looseObject({
    limit: z.number().nullish(),
    limit_remaining: z.number().nullish(),
    usage: z.number().nullish(),
  }),
});

function apiBase(ctx: AdapterContext): string {
  const base = requireBase(ctx);
  return hasVersionSegment(base) ? base : joinUrl(base, 'v1');
}

/**
 * OpenRouter lists models without a key, so `GET /api/v1/key` proves it (and tells the key's credit limit and
 * usage); the public list follows.
 */
export const openrouterAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({
    label: 'OpenRouter',
    url: (ctx) => joinUrl(apiBase(ctx), 'key'),
    listingNeedsKey: false,
    read(ctx, { body, response }) {
      const info = parseShape(KeyInfo, body, response.path, '{"data": {"limit": …, "usage": …}}').data;
      ctx.headroom.credit({
        credit_limit: info.limit ?? null,
        credit_remaining: info.limit_remaining ?? null,
        credit_used: info.usage ?? null,
        currency: 'USD',
      });
    },
  }),
);
