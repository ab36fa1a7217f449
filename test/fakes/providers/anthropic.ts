/**
 * Anthropic: `x-api-key` plus `anthropic-version`; `GET /v1/models` pages with `after_id`/`limit` (default 20)
 * and `has_more`/`last_id`; a wrong key gets 401 `authentication_error` with a `request_id`; Messages answers carry
 * `anthropic-ratelimit-*` headers with RFC 3339 resets.
 */
import { headerOf, reply, startFakeServer, type FakeServer } from './server.js';

export interface AnthropicOptions {
  keys: string[];
  models?: string[];
  responseHeaders?: Record<string, string>;
}

export function anthropicRateHeaders(): Record<string, string> {
  return {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '49',
    'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:02Z',
    'anthropic-ratelimit-tokens-limit': '90000',
    'anthropic-ratelimit-tokens-remaining': '89990',
    'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:01Z',
    'anthropic-ratelimit-input-tokens-limit': '80000',
    'anthropic-ratelimit-input-tokens-remaining': '79990',
    'anthropic-ratelimit-input-tokens-reset': '2026-01-01T00:00:01Z',
  };
}

const MODELS = ['claude-sonnet-4-20250514', 'claude-3-5-haiku-20241022'];

export function startAnthropic(options: AnthropicOptions): Promise<FakeServer> {
  const ids = options.models ?? MODELS;
  return startFakeServer({
    route(req) {
      if (!headerOf(req.headers, 'anthropic-version'))
        return reply(400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
      const key = headerOf(req.headers, 'x-api-key');
      if (!options.keys.includes(key))
        return reply(401, {
          type: 'error',
          error: { type: 'authentication_error', message: key ? 'invalid x-api-key' : 'x-api-key header is required' },
          request_id: 'req_011CXw8h8A796q3f74Ezmhav',
        });
      if (req.method === 'GET' && req.path === '/v1/models') {
        const after = req.query.get('after_id');
        const start = after ? ids.indexOf(after) + 1 : 0;
        const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 20), 1), 1000);
        const page = ids.slice(start, start + limit);
        return reply(200, {
          data: page.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })),
          has_more: start + limit < ids.length,
          first_id: page[0] ?? null,
          last_id: page.at(-1) ?? null,
        });
      }
      if (req.method === 'POST' && req.path === '/v1/messages') {
        return reply(
          200,
          {
            id: 'msg_fake',
            type: 'message',
            role: 'assistant',
            model: req.json.model,
            content: [{ type: 'text', text: 'Hi' }],
            stop_reason: 'max_tokens',
            usage: { input_tokens: 8, output_tokens: 1 },
          },
          options.responseHeaders ?? anthropicRateHeaders(),
        );
      }
      return reply(404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
    },
  });
}
