import { z } from 'zod';
import type { ModelCapability } from '../../contract/domain-schemas.js';
import { buildModel, contextWindowOf, fromModalities } from '../capabilities.js';
import { joinUrl } from '../urls.js';
import { bearer, parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';
import { accountOrigin, keyInfoProof } from './key-proof.js';
import { chatOneToken } from './openai.js';

const DEFAULT_BASE = 'https://models.github.ai/inference';

const Catalog = z.array(
  z.looseObject({
    id: z.string().min(1),
    name: z.string().nullish(),
    publisher: z.string().nullish(),
    capabilities: z.array(z.string()).nullish(),
    supported_input_modalities: z.array(z.string()).nullish(),
    supported_output_modalities: z.array(z.string()).nullish(),
  }),
);

/** The inference base (…/inference, where chat completions live). */
function inferenceBase(ctx: AdapterContext): string {
  return (ctx.target.baseUrl.trim() || DEFAULT_BASE).replace(/\/+$/, '');
}

/** The catalog lives beside the inference API: https://models.github.ai/inference → https://models.github.ai/catalog/models. */
function catalogUrl(ctx: AdapterContext): string {
  const root = inferenceBase(ctx).replace(/\/inference(\/.*)?$/, '');
  return joinUrl(root, 'catalog/models');
}

/** The REST API that knows the token, beside the models host. */
const API_HOSTS = { 'models.github.ai': 'https://api.github.com', 'models.inference.ai.azure.com': 'https://api.github.com' };

function headers(ctx: AdapterContext): Record<string, string> {
  requireSecret(ctx, 'GitHub token');
  return { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', ...bearer(ctx) };
}

export const githubAdapter: FamilyAdapter = {
  /**
   * `GET https://api.github.com/user` proves the token (a wrong one gets 401 "Bad credentials"): whether the catalog
   * needs a token is not documented. A 403 still proves it (GitHub App tokens, such as Actions' GITHUB_TOKEN, may
   * not read /user but can use Models).
   */
  prove: keyInfoProof({
    label: 'GitHub Models',
    url: (ctx) => joinUrl(accountOrigin(inferenceBase(ctx), API_HOSTS), 'user'),
    headers,
    listingNeedsKey: false,
    forbiddenProvesKey: true,
  }),

  async list(ctx) {
    const { body, response } = await requestJson(ctx, { method: 'GET', url: catalogUrl(ctx), headers: headers(ctx), purpose: 'list' });
    return parseShape(Catalog, body, response.path, '[{"id": "publisher/model", …}]').map((m) => {
      const caps: ModelCapability[] = fromModalities(m.supported_input_modalities ?? [], m.supported_output_modalities ?? []);
      if ((m.capabilities ?? []).some((c) => /tool/i.test(c))) caps.push('tools');
      if ((m.capabilities ?? []).some((c) => /reasoning/i.test(c))) caps.push('reasoning');
      return buildModel({
        id: m.id,
        displayName: m.name ?? null,
        capabilities: caps,
        contextWindow: contextWindowOf(m),
        ownedBy: m.publisher ?? null,
      });
    });
  },

  async deep(ctx, model) {
    requireSecret(ctx, 'GitHub token');
    await chatOneToken(ctx, joinUrl(inferenceBase(ctx), 'chat/completions'), model, bearer(ctx));
  },
};
