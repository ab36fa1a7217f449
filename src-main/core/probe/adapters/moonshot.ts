import { z } from 'zod';
import { ProbeError } from '../errors.js';
import { parseAmount } from '../headroom.js';
import { joinUrl } from '../urls.js';
import { parseShape, type AdapterContext, type JsonAnswer } from './context.js';
import { keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** `GET /v1/users/me/balance`; it names no currency. */
const Balance = z.looseObject({
  data: z.looseObject({ available_balance: z.union([z.number(), z.string()]).nullish() }),
});

/** Moonshot bills in US dollars on api.moonshot.ai and in yuan on api.moonshot.cn (keys are bound to one). */
function currencyOf(base: string): string | null {
  const host = new URL(base).hostname.toLowerCase();
  if (host === 'moonshot.ai' || host.endsWith('.moonshot.ai')) return 'USD';
  if (host === 'moonshot.cn' || host.endsWith('.moonshot.cn')) return 'CNY';
  return null;
}

/** Records the balance; with nothing available Moonshot refuses inference. */
export function readMoonshotBalance(ctx: AdapterContext, { body, response }: JsonAnswer): void {
  const available = parseAmount(parseShape(Balance, body, response.path, '{"data": {"available_balance": …}}').data.available_balance);
  ctx.headroom.credit({ credit_remaining: available, currency: currencyOf(requireBase(ctx)) });
  if (available !== null && available <= 0) {
    throw new ProbeError({
      errorClass: 'quota_exceeded',
      httpStatus: response.status,
      summary: `the key works, but the Moonshot account has no available balance (${available})`,
      hint: 'top up the Moonshot account; inference is refused until then',
    });
  }
}

/** `GET {base}/users/me/balance` proves the key and tells the balance; the model list follows. */
export const moonshotAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({
    label: 'Moonshot',
    url: (ctx) => joinUrl(requireBase(ctx), 'users/me/balance'),
    listingNeedsKey: true,
    read: readMoonshotBalance,
  }),
);
