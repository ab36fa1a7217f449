import { z } from 'zod';
import type { ModelCapability } from '../../contract/domain-schemas.js';
import { buildModel } from '../capabilities.js';
import { joinUrl, stripTrailing } from '../urls.js';
import { parseShape, requestJson, requireSecret, type AdapterContext, type FamilyAdapter } from './context.js';

const DEFAULT_BASE = 'https://api.elevenlabs.io';

const Models = z.array(
  z.looseObject({
    model_id: z.string().min(1),
    name: z.string().nullish(),
    can_do_text_to_speech: z.boolean().nullish(),
    can_do_voice_conversion: z.boolean().nullish(),
  }),
);

function root(ctx: AdapterContext): string {
  return stripTrailing(ctx.target.baseUrl.trim() || DEFAULT_BASE, /v1/);
}

/** `GET /v1/models` with `xi-api-key`; a bare array. Every ElevenLabs model is an audio model. */
export const elevenlabsAdapter: FamilyAdapter = {
  async list(ctx) {
    const headers = { Accept: 'application/json', 'xi-api-key': requireSecret(ctx) };
    const { body, response } = await requestJson(ctx, { method: 'GET', url: joinUrl(root(ctx), 'v1/models'), headers, purpose: 'list' });
    return parseShape(Models, body, response.path, '[{"model_id": …}]').map((m) => {
      const caps: ModelCapability[] = ['audio'];
      return buildModel({ id: m.model_id, displayName: m.name ?? null, capabilities: caps, ownedBy: 'elevenlabs' });
    });
  },
};
