import { z } from 'zod';
import { ProbeError } from '../errors.js';
import { parseAmount } from '../headroom.js';
import { joinUrl, stripTrailing } from '../urls.js';
import { parseShape, type AdapterContext, type JsonAnswer } from './context.js';
import { keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** `GET /user/balance`: amounts are decimal strings, the currency CNY or USD. */
const Balance = z.looseObject({
  is_available: z.boolean().nullish(),
  balance_infos: z
    .array(z.looseObject({ currency: z.string().nullish(), total_balance: z.union([z.string(), z.number()]).nullish() }))
    .nullish(),
});

/** The balance endpoint is at the API root, not under /v1. */
function root(ctx: AdapterContext): string {
  return stripTrailing(requireBase(ctx), /v1|beta/);
}

/** Records the balance; an account DeepSeek marks unavailable refuses every request, whatever the key. */
export function readDeepSeekBalance(ctx: AdapterContext, { body, response }: JsonAnswer): void {
  const balance = parseShape(Balance, body, response.path, '{"is_available": …, "balance_infos": […]}');
  const info = balance.balance_infos?.[0];
  const currency = info?.currency && /^[A-Z]{3}$/.test(info.currency) ? info.currency : null;
  ctx.headroom.credit({ credit_remaining: parseAmount(info?.total_balance), currency });
  if (balance.is_available === false) {
    throw new ProbeError({
      errorClass: 'quota_exceeded',
      httpStatus: response.status,
      summary: 'the key works, but DeepSeek reports no usable balance on the account (is_available: false)',
      hint: 'top up the DeepSeek account; requests are refused until then',
    });
  }
}

/** `GET /user/balance` proves the key and tells the balance; the model list (which also needs the key) follows. */
export const deepseekAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({
    label: 'DeepSeek',
    url: (ctx) => joinUrl(root(ctx), 'user/balance'),
    listingNeedsKey: true,
    read: readDeepSeekBalance,
  }),
);
