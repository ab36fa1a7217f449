import type { AdapterContext } from './context.js';
import { openAiLikeAdapter } from './openai.js';

function ritsAuth(ctx: AdapterContext): Record<string, string> {
  return ctx.secret && !ctx.keyless ? { RITS_API_KEY: ctx.secret } : {};
}

/** RITS speaks the OpenAI dialect but takes its key in a `RITS_API_KEY` header. */
export const ritsAdapter = openAiLikeAdapter({ auth: ritsAuth });
