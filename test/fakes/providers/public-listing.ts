/**
 * OpenAI-dialect services whose model list answers without a key (any string "works" there), each with the call
 * that does need the key: OpenRouter `GET /api/v1/key`, Vercel `GET /v1/credits`, Chutes `GET /users/me` (its
 * account API), Hugging Face `GET /api/whoami-v2` (the Hub). NVIDIA has no such call: only inference needs the key.
 * The account APIs live on other hosts in reality; here they share the fake's origin (the adapters keep the origin
 * of a base URL they do not know).
 */
import { reply } from './server.js';
import { openAiModel, type OpenAiDialect } from './openai-compatible.js';

export const OPENROUTER_KEY_INFO = {
  label: 'sk-or-v1-au7...890',
  limit: 100,
  limit_remaining: 74.5,
  limit_reset: 'monthly',
  usage: 25.5,
  usage_daily: 25.5,
  usage_weekly: 25.5,
  usage_monthly: 25.5,
  byok_usage: 17.38,
  include_byok_in_limit: false,
  is_free_tier: false,
  is_provisioning_key: false,
  is_management_key: false,
  expires_at: '2027-12-31T23:59:59Z',
  rate_limit: { requests: 1000, interval: '1h', note: 'This field is deprecated and safe to ignore.' },
};

export const VERCEL_CREDITS = { balance: '95.50', total_used: '4.50' };

const problem = (status: number, title: string, detail: string) => ({
  status,
  body: { status, title, detail },
  headers: { 'content-type': 'application/problem+json' },
});

export const PUBLIC_LISTING: Record<string, OpenAiDialect> = {
  openrouter: {
    prefix: '/api/v1',
    listing: 'public',
    models: [
      {
        id: 'openai/gpt-4o',
        name: 'OpenAI: GPT-4o',
        created: 1_715_367_049,
        context_length: 128_000,
        architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
        supported_parameters: ['tools', 'max_tokens'],
      },
      { id: 'meta-llama/llama-3.3-70b-instruct:free', name: 'Meta: Llama 3.3 70B (free)', context_length: 131_072 },
    ],
    wrongKey: () => reply(401, { error: { message: 'User not found.', code: 401 } }),
    noKey: () => reply(401, { error: { message: 'No auth credentials found', code: 401 } }),
    extra(req, key) {
      if (req.method !== 'GET' || req.path !== '/api/v1/key') return undefined;
      if (!key.presented) return reply(401, { error: { message: 'No auth credentials found', code: 401 } });
      return key.valid ? reply(200, { data: OPENROUTER_KEY_INFO }) : reply(401, { error: { message: 'User not found.', code: 401 } });
    },
  },
  vercel: {
    prefix: '/v1',
    listing: 'public',
    models: [openAiModel('openai/gpt-4o', { type: 'language', context_window: 128_000 }), openAiModel('anthropic/claude-sonnet-4')],
    // Message text unverified; the type is the gateway's documented one.
    wrongKey: () => reply(401, { error: { message: 'Invalid API key', type: 'authentication_error' } }),
    extra(req, key) {
      if (req.method !== 'GET' || req.path !== '/v1/credits') return undefined;
      return key.valid ? reply(200, VERCEL_CREDITS) : reply(401, { error: { message: 'Invalid API key', type: 'authentication_error' } });
    },
  },
  nvidia: {
    prefix: '/v1',
    listing: 'public',
    models: [openAiModel('meta/llama-3.1-8b-instruct'), openAiModel('nvidia/nv-embedqa-e5-v5')],
    wrongKey: () => problem(401, 'Unauthorized', 'Authentication failed'),
  },
  chutes: {
    prefix: '/v1',
    listing: 'public',
    models: [openAiModel('deepseek-ai/DeepSeek-V3', { context_length: 163_840, supported_features: ['tools'] })],
    // 401 body unverified.
    wrongKey: () => reply(401, { detail: 'Invalid token.' }),
    extra(req, key) {
      if (req.method !== 'GET' || req.path !== '/users/me') return undefined;
      return key.valid ? reply(200, { user_id: 'user-0001', username: 'fake-user' }) : reply(401, { detail: 'Invalid token.' });
    },
  },
  huggingface: {
    prefix: '/v1',
    listing: 'public',
    models: [openAiModel('meta-llama/Llama-3.3-70B-Instruct', { providers: [{ provider: 'together', status: 'live' }] })],
    wrongKey: () => reply(401, { error: 'Invalid credentials in Authorization header' }),
    extra(req, key) {
      if (req.method !== 'GET' || req.path !== '/api/whoami-v2') return undefined;
      if (!key.valid) return reply(401, { error: 'Invalid credentials in Authorization header' });
      return reply(200, {
        id: 'user-0001',
        type: 'user',
        name: 'fake-user',
        fullname: 'Fake User',
        isPro: false,
        canPay: false,
        orgs: [],
        auth: { type: 'access_token', accessToken: { displayName: 'desk', role: 'read' } },
      });
    },
  },
};
