import { z } from 'zod';
import { ProbeError } from '../errors.js';
import { joinUrl } from '../urls.js';
import { parseShape, type AdapterContext, type JsonAnswer } from './context.js';
import { keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** `GET {base}/api-key`: the key's own state, and its team's. */
const KeyInfo = z.looseObject({
  api_key_blocked: z.boolean().nullish(),
  api_key_disabled: z.boolean().nullish(),
  team_blocked: z.boolean().nullish(),
});

/** A key xAI knows but will not serve fails the check, with the reason xAI gives. */
export function readXaiKeyInfo(_ctx: AdapterContext, { body, response }: JsonAnswer): void {
  const info = parseShape(KeyInfo, body, response.path, '{"api_key_blocked": …, "api_key_disabled": …}');
  const refuse = (errorClass: 'auth_failed' | 'forbidden', summary: string, hint: string) => {
    throw new ProbeError({ errorClass, httpStatus: response.status, summary, hint });
  };
  if (info.api_key_disabled)
    refuse('auth_failed', 'xAI reports this key as disabled', 'enable the key in the xAI console, or create a new one');
  if (info.api_key_blocked) refuse('auth_failed', 'xAI reports this key as blocked', 'create a new key in the xAI console');
  if (info.team_blocked)
    refuse('forbidden', 'xAI reports the key’s team as blocked', 'check the team’s status and billing in the xAI console');
}

/** `GET {base}/api-key` proves the key (a wrong one gets 400) and says whether it is blocked; the model list follows. */
export const xaiAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({ label: 'xAI', url: (ctx) => joinUrl(requireBase(ctx), 'api-key'), listingNeedsKey: true, read: readXaiKeyInfo }),
);
