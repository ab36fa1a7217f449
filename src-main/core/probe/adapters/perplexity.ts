import { joinUrl } from '../urls.js';
import {
  bearer,
  jsonAnswer,
  requireSecret,
  sendObserved,
  type AdapterContext,
  type FamilyAdapter,
  type JsonRequest,
  type Listing,
} from './context.js';
import { chatOneToken, modelsFromOpenAiBody } from './openai.js';
import { perplexityModels } from './static-models.js';

const DEFAULT_BASE = 'https://api.perplexity.ai';

/** What Perplexity sends for a key it does not know: its JSON `invalid_api_key` error or openresty's 401 page. */
const WRONG_KEY = /invalid_api_key|Invalid API key|401 Authorization Required/i;
/** Answers that say "not for this key" (no Router access, or a proxy without the Router) rather than "wrong key". */
const NO_ROUTER = new Set([401, 403, 404, 405]);

function base(ctx: AdapterContext): string {
  return (ctx.target.baseUrl.trim() || DEFAULT_BASE).replace(/\/+$/, '');
}

/** Router models are named `publisher/model` and served under /router/v1; Sonar models by the chat API at the root. */
function chatUrl(ctx: AdapterContext, model: string): string {
  return joinUrl(base(ctx), model.includes('/') ? 'router/v1/chat/completions' : 'chat/completions');
}

function billedOnly(detail: string): Listing {
  return {
    models: perplexityModels(),
    unverified: {
      reason: `only a billed request can prove this key (${detail}); run a deep test to send a one-token chat`,
    },
  };
}

/**
 * The Router's model list (`GET /router/v1/models`, free, documented with the key) lists the models and proves the
 * key. The Router is in private preview: a key without access to it cannot be proven for free, so the documented
 * Sonar models are listed and the key is reported as not verified until a deep test (one billed token) proves it.
 */
export const perplexityAdapter: FamilyAdapter = {
  proofModel: 'sonar',

  async list(ctx) {
    requireSecret(ctx);
    const req: JsonRequest = {
      method: 'GET',
      url: joinUrl(base(ctx), 'router/v1/models'),
      headers: { Accept: 'application/json', ...bearer(ctx) },
      purpose: 'check',
    };
    const response = await sendObserved(ctx, req);
    const wrongKey = response.status === 401 && WRONG_KEY.test(response.text);
    if (!wrongKey && NO_ROUTER.has(response.status)) return billedOnly('this key cannot read the Router model list');
    const { body } = jsonAnswer(ctx, req, response);
    return modelsFromOpenAiBody(body, response.path);
  },

  async deep(ctx, model) {
    await chatOneToken(ctx, chatUrl(ctx, model), model, bearer(ctx));
  },
};
