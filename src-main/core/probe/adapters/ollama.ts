import { z } from 'zod';
import type { ModelCapability } from '../../contract/domain-schemas.js';
import { buildModel } from '../capabilities.js';
import { joinUrl, stripTrailing } from '../urls.js';
import { bearer, parseShape, requestJson, type AdapterContext, type FamilyAdapter } from './context.js';
import { chatOneToken } from './openai.js';

const DEFAULT_HOST = 'http://localhost:11434';

const Tags = z.looseObject({
  models: z.array(
    z.looseObject({
      name: z.string().min(1),
      model: z.string().nullish(),
      details: z
        .looseObject({ family: z.string().nullish(), families: z.array(z.string()).nullish(), parameter_size: z.string().nullish() })
        .nullish(),
    }),
  ),
});

/** The server root: users often paste the OpenAI-compatible …/v1 URL (or …/api). */
function host(ctx: AdapterContext): string {
  return stripTrailing(ctx.target.baseUrl.trim() || DEFAULT_HOST, /v1|api/);
}

/** Ollama's native `GET /api/tags`; keyless, though a key is sent as Bearer for servers behind an auth proxy. */
export const ollamaAdapter: FamilyAdapter = {
  async list(ctx) {
    const { body, response } = await requestJson(ctx, {
      method: 'GET',
      url: joinUrl(host(ctx), 'api/tags'),
      headers: { Accept: 'application/json', ...bearer(ctx) },
      purpose: 'list',
    });
    return parseShape(Tags, body, response.path, '{"models": [{"name": …}]}').models.map((m) => {
      const families = [m.details?.family ?? '', ...(m.details?.families ?? [])].map((f) => f.toLowerCase());
      const caps: ModelCapability[] = families.some((f) => f === 'clip' || f.includes('vision') || f === 'mllama') ? ['vision'] : [];
      if (families.some((f) => f.includes('bert'))) caps.push('embedding');
      return buildModel({ id: m.name, capabilities: caps, ownedBy: null });
    });
  },

  async deep(ctx, model) {
    await chatOneToken(ctx, joinUrl(host(ctx), 'v1/chat/completions'), model, bearer(ctx));
  },
};
