import { z } from 'zod';
import { parseAmount } from '../headroom.js';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { parseShape, type AdapterContext } from './context.js';
import { keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** `GET /v1/credits`: amounts in US dollars, sent as decimal strings. */
const Credits = z.looseObject({
  balance: z.union([z.string(), z.number()]).nullish(),
  total_used: z.union([z.string(), z.number()]).nullish(),
});

function apiBase(ctx: AdapterContext): string {
  const base = requireBase(ctx);
  return hasVersionSegment(base) ? base : joinUrl(base, 'v1');
}

/** The AI Gateway lists models without a key; `GET /v1/credits` needs it (and tells the balance). */
export const vercelAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({
    label: 'Vercel AI Gateway',
    url: (ctx) => joinUrl(apiBase(ctx), 'credits'),
    listingNeedsKey: false,
    read(ctx, { body, response }) {
      const credits = parseShape(Credits, body, response.path, '{"balance": …, "total_used": …}');
      ctx.headroom.credit({
        credit_remaining: parseAmount(credits.balance),
        credit_used: parseAmount(credits.total_used),
        currency: 'USD',
      });
    },
  }),
);
