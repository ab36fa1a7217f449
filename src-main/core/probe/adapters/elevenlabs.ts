import { z } from 'zod';
import type { ModelCapability } from '../../contract/domain-schemas.js';
import { buildModel } from '../capabilities.js';
import { joinUrl, stripTrailing } from '../urls.js';
import { parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';
import { keyInfoProof } from './key-proof.js';

const DEFAULT_BASE = 'https://api.elevenlabs.io';

const Models = z.array(
  z.looseObject({
    model_id: z.string().min(1),
    name: z.string().nullish(),
    can_do_text_to_speech: z.boolean().nullish(),
    can_do_voice_conversion: z.boolean().nullish(),
  }),
);

/** `GET /v1/user/subscription`: the character quota of the billing period. */
const Subscription = z.looseObject({ character_count: z.number().nullish(), character_limit: z.number().nullish() });

function root(ctx: AdapterContext): string {
  return stripTrailing(ctx.target.baseUrl.trim() || DEFAULT_BASE, /v1/);
}

/** ElevenLabs takes the key only as xi-api-key (a Bearer header is rejected). */
function auth(ctx: AdapterContext): Record<string, string> {
  return { Accept: 'application/json', 'xi-api-key': requireSecret(ctx) };
}

/** `GET /v1/models` with `xi-api-key`; a bare array. Every ElevenLabs model is an audio model. */
export const elevenlabsAdapter: FamilyAdapter = {
  /**
   * The subscription proves the key and tells its character quota, shown as credit in "characters". A key
   * restricted to other endpoints gets 401 missing_permissions here: ElevenLabs knew it, so it is proven.
   */
  prove: keyInfoProof({
    label: 'ElevenLabs',
    url: (ctx) => joinUrl(root(ctx), 'v1/user/subscription'),
    headers: auth,
    listingNeedsKey: true,
    forbiddenProvesKey: true,
    read(ctx, { body, response }) {
      const plan = parseShape(Subscription, body, response.path, '{"character_count": …, "character_limit": …}');
      const used = plan.character_count ?? null;
      const limit = plan.character_limit ?? null;
      ctx.headroom.credit({
        credit_used: used,
        credit_limit: limit,
        credit_remaining: used !== null && limit !== null ? Math.max(0, limit - used) : null,
        currency: 'characters',
      });
    },
  }),

  async list(ctx) {
    const { body, response } = await requestJson(ctx, {
      method: 'GET',
      url: joinUrl(root(ctx), 'v1/models'),
      headers: auth(ctx),
      purpose: 'list',
    });
    return parseShape(Models, body, response.path, '[{"model_id": …}]').map((m) => {
      const caps: ModelCapability[] = ['audio'];
      return buildModel({ id: m.model_id, displayName: m.name ?? null, capabilities: caps, ownedBy: 'elevenlabs' });
    });
  },
};
