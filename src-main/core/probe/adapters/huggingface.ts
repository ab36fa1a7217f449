import { joinUrl } from '../urls.js';
import { accountOrigin, keyInfoProof, withKeyProof } from './key-proof.js';
import { openaiAdapter, requireBase } from './openai.js';

/** The router (and the older inference API) are served by router.huggingface.co; whoami lives on the Hub. */
const HUB_HOSTS = {
  'router.huggingface.co': 'https://huggingface.co',
  'api-inference.huggingface.co': 'https://huggingface.co',
  'huggingface.co': 'https://huggingface.co',
};

/** The router lists models without a key; the Hub's `GET /api/whoami-v2` needs it. */
export const huggingfaceAdapter = withKeyProof(
  openaiAdapter,
  keyInfoProof({
    label: 'Hugging Face',
    url: (ctx) => joinUrl(accountOrigin(requireBase(ctx), HUB_HOSTS), 'api/whoami-v2'),
    listingNeedsKey: false,
  }),
);
