import { z } from 'zod';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { bearer, parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';
import { runwayModel, runwayModels } from './static-models.js';

const DEFAULT_BASE = 'https://api.dev.runwayml.com/v1';
const API_VERSION = '2024-11-06';
const Organization = z.looseObject({
  creditBalance: z.number().nullish(),
  tier: z.looseObject({ models: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});

function base(ctx: AdapterContext): string {
  const raw = ctx.target.baseUrl.trim() || DEFAULT_BASE;
  return hasVersionSegment(raw) ? raw : joinUrl(raw, 'v1');
}

/**
 * `GET /v1/organization` proves the key and tells the credit balance (in Runway credits; one is $0.01). Its tier
 * names the models the organization may use; when it does not, the documented static list is returned.
 */
export const runwayAdapter: FamilyAdapter = {
  async list(ctx) {
    requireSecret(ctx);
    const { body, response } = await requestJson(ctx, {
      method: 'GET',
      url: joinUrl(base(ctx), 'organization'),
      headers: { Accept: 'application/json', 'X-Runway-Version': API_VERSION, ...bearer(ctx) },
      purpose: 'check',
    });
    const org = parseShape(Organization, body, response.path, '{"creditBalance": …, "tier": {…}}');
    ctx.headroom.credit({ credit_remaining: org.creditBalance ?? null, currency: 'credits' });
    const ids = Object.keys(org.tier?.models ?? {});
    return ids.length > 0 ? ids.map(runwayModel) : runwayModels();
  },
};
