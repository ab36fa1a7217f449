/**
 * ElevenLabs: the key goes only in `xi-api-key` (a Bearer header is not read); every error is
 * `{detail: {status, message}}`: a wrong key 401 invalid_api_key, no key 401 needs_authorization, and a key restricted
 * to other endpoints 401 missing_permissions. `GET /v1/user/subscription` has the character quota.
 */
import { headerOf, reply, startFakeServer, type FakeServer } from './server.js';

export const ELEVENLABS_SUBSCRIPTION = {
  tier: 'creator',
  status: 'active',
  character_count: 12_000,
  character_limit: 100_000,
  next_character_count_reset_unix: 1_767_225_600,
  billing_period: 'monthly_period',
  character_refresh_period: 'monthly_period',
  can_extend_character_limit: true,
  voice_slots_used: 3,
  voice_limit: 30,
};

export interface ElevenLabsOptions {
  keys: string[];
  /** Keys allowed the models but not user_read (their subscription call gets missing_permissions). */
  restrictedKeys?: string[];
}

const detail = (status: string, message: string) => reply(401, { detail: { status, message } });

export function startElevenLabs(options: ElevenLabsOptions): Promise<FakeServer> {
  const restricted = options.restrictedKeys ?? [];
  return startFakeServer({
    route(req) {
      const key = headerOf(req.headers, 'xi-api-key');
      if (!key) return detail('needs_authorization', 'Neither authorization header nor xi-api-key received, please provide one.');
      if (!options.keys.includes(key) && !restricted.includes(key)) return detail('invalid_api_key', 'Invalid API key');
      if (req.method === 'GET' && req.path === '/v1/user/subscription') {
        if (restricted.includes(key))
          return detail('missing_permissions', 'The API key you used is missing the permission user_read to execute this operation.');
        return reply(200, ELEVENLABS_SUBSCRIPTION);
      }
      if (req.method === 'GET' && req.path === '/v1/models')
        return reply(200, [
          { model_id: 'eleven_multilingual_v2', name: 'Eleven Multilingual v2', can_do_text_to_speech: true },
          { model_id: 'eleven_turbo_v2_5', name: 'Eleven Turbo v2.5', can_do_text_to_speech: true },
        ]);
      return reply(404, { detail: { status: 'not_found', message: 'Not found' } });
    },
  });
}
