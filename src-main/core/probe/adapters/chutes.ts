import { joinUrl } from '../urls.js';
import { accountOrigin, keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** Inference lives on llm.chutes.ai, the account API on api.chutes.ai. */
const ACCOUNT_HOSTS = { 'llm.chutes.ai': 'https://api.chutes.ai', 'api.chutes.ai': 'https://api.chutes.ai' };

/** Chutes lists models without a key; `GET /users/me` on its account API needs it. */
export const chutesAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({
    label: 'Chutes',
    url: (ctx) => joinUrl(accountOrigin(requireBase(ctx), ACCOUNT_HOSTS), 'users/me'),
    listingNeedsKey: false,
  }),
);
