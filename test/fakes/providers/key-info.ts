/**
 * OpenAI-dialect services whose list needs the key and which also offer a free key-info or balance call:
 * DeepSeek `GET /user/balance` (at the root, not under /v1), Moonshot `GET /v1/users/me/balance`, xAI
 * `GET /v1/api-key` (xAI answers a wrong key with 400 and a string `error`).
 */
import { reply, type Reply } from './server.js';
import { masked, openAiModel, type OpenAiDialect } from './openai-compatible.js';

export const DEEPSEEK_BALANCE = {
  is_available: true,
  balance_infos: [{ currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }],
};

export const MOONSHOT_BALANCE = {
  code: 0,
  data: { available_balance: 49.58894, voucher_balance: 46.58893, cash_balance: 3.00001 },
  scode: '0x0',
  status: true,
};

const deepseekWrong = (k: string): Reply =>
  reply(401, {
    error: {
      message: `Authentication Fails, Your api key: ****${k.slice(-4)} is invalid`,
      type: 'authentication_error',
      param: null,
      code: 'invalid_request_error',
    },
  });
const moonshotWrong = (): Reply => reply(401, { error: { message: 'Invalid Authentication', type: 'invalid_authentication_error' } });
const xaiWrong = (k: string): Reply =>
  reply(400, {
    code: 'Client specified an invalid argument',
    error: `Incorrect API key provided: ${masked(k)}. You can obtain an API key from https://console.x.ai.`,
  });

export interface KeyInfoOptions {
  /** DeepSeek balance body. */
  deepseekBalance?: unknown;
  /** Moonshot balance body. */
  moonshotBalance?: unknown;
  /** xAI key-info overrides (api_key_disabled …). */
  xaiKey?: Record<string, unknown>;
}

export function keyInfoProfiles(options: KeyInfoOptions = {}): Record<string, OpenAiDialect> {
  return {
    deepseek: {
      prefix: '/v1',
      listing: 'key',
      models: [openAiModel('deepseek-chat', { owned_by: 'deepseek' }), openAiModel('deepseek-reasoner', { owned_by: 'deepseek' })],
      wrongKey: deepseekWrong,
      extra(req, key) {
        if (req.method !== 'GET' || req.path !== '/user/balance') return undefined;
        return key.valid ? reply(200, options.deepseekBalance ?? DEEPSEEK_BALANCE) : deepseekWrong(key.presented);
      },
    },
    moonshot: {
      prefix: '/v1',
      listing: 'key',
      models: [openAiModel('kimi-k2-0905-preview', { owned_by: 'moonshot' })],
      wrongKey: moonshotWrong,
      extra(req, key) {
        if (req.method !== 'GET' || req.path !== '/v1/users/me/balance') return undefined;
        return key.valid ? reply(200, options.moonshotBalance ?? MOONSHOT_BALANCE) : moonshotWrong();
      },
    },
    xai: {
      prefix: '/v1',
      listing: 'key',
      models: [openAiModel('grok-4', { owned_by: 'xai' })],
      wrongKey: xaiWrong,
      extra(req, key) {
        if (req.method !== 'GET' || req.path !== '/v1/api-key') return undefined;
        if (!key.valid) return xaiWrong(key.presented);
        return reply(200, {
          redacted_api_key: masked(key.presented),
          user_id: 'user-0001',
          name: 'My API Key',
          create_time: '2024-01-01T12:55:18.139305Z',
          team_id: 'team-0001',
          acls: ['api-key:model:*', 'api-key:endpoint:*'],
          api_key_id: 'key-0001',
          team_blocked: false,
          api_key_blocked: false,
          api_key_disabled: false,
          ...options.xaiKey,
        });
      },
    },
  };
}
