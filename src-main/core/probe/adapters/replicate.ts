import { z } from 'zod';
import { hasVersionSegment, joinUrl } from '../urls.js';
import { bearer, parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';

const DEFAULT_BASE = 'https://api.replicate.com/v1';
const Account = z.looseObject({ type: z.string(), username: z.string() });

function base(ctx: AdapterContext): string {
  const raw = ctx.target.baseUrl.trim() || DEFAULT_BASE;
  return hasVersionSegment(raw) ? raw : joinUrl(raw, 'v1');
}

/**
 * `GET /account` proves the token. Replicate hosts far too many public models to list: the user picks them,
 * so this family answers an empty model list on success (it is the only listing family allowed to).
 */
export const replicateAdapter: FamilyAdapter = {
  unlisted: true,
  async list(ctx) {
    requireSecret(ctx, 'API token');
    const { body, response } = await requestJson(ctx, {
      method: 'GET',
      url: joinUrl(base(ctx), 'account'),
      headers: { Accept: 'application/json', ...bearer(ctx) },
      purpose: 'check',
    });
    parseShape(Account, body, response.path, '{"type": …, "username": …}');
    return [];
  },
};
