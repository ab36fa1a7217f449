import { z } from 'zod';
import { joinUrl } from '../urls.js';
import { bearer, parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';
import { chatOneToken } from './openai.js';
import { perplexityModels } from './static-models.js';

const DEFAULT_BASE = 'https://api.perplexity.ai';
/** The cheapest model for the one-token chat that proves the key. */
const CHECK_MODEL = 'sonar';
const Completion = z.looseObject({ choices: z.array(z.unknown()) });

function base(ctx: AdapterContext): string {
  return (ctx.target.baseUrl.trim() || DEFAULT_BASE).replace(/\/+$/, '');
}

/** No list endpoint: a one-token chat proves the key, then the documented model list is returned. */
export const perplexityAdapter: FamilyAdapter = {
  async list(ctx) {
    requireSecret(ctx);
    const { body, response } = await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(base(ctx), 'chat/completions'),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...bearer(ctx) },
      body: JSON.stringify({ model: CHECK_MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 }),
      purpose: 'check',
    });
    parseShape(Completion, body, response.path, '{"choices": […]}');
    return perplexityModels();
  },

  async deep(ctx, model) {
    await chatOneToken(ctx, joinUrl(base(ctx), 'chat/completions'), model, bearer(ctx));
  },
};
