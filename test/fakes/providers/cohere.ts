/**
 * Cohere: Bearer; `POST /v1/check-api-key` (no body) answers `{valid, organization_id, owner_id}`; `GET /v1/models`
 * pages with `page_size`/`page_token` → `next_page_token`; a wrong key gets 401 `{"message": "invalid api token"}`.
 */
import { bearerOf, reply, startFakeServer, type FakeServer } from './server.js';

const MODELS = ['command-r-plus', 'embed-english-v3.0', 'rerank-english-v3.0'];

export function startCohere(options: { keys: string[]; pageSize?: number }): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      if (!options.keys.includes(bearerOf(req.headers))) return reply(401, { message: 'invalid api token' });
      if (req.method === 'POST' && req.path === '/v1/check-api-key')
        return reply(200, { valid: true, organization_id: 'org-0001', owner_id: 'owner-0001' });
      if (req.method === 'GET' && req.path === '/v1/models') {
        const size = Math.min(Number(req.query.get('page_size') ?? 20), options.pageSize ?? 1000);
        const start = Number(req.query.get('page_token') ?? 0);
        const page = MODELS.slice(start, start + size);
        return reply(200, {
          models: page.map((name) => ({
            name,
            endpoints: name.startsWith('rerank') ? ['rerank'] : name.startsWith('embed') ? ['embed'] : ['chat', 'generate'],
            finetuned: false,
            context_length: 128_000,
            features: [],
          })),
          ...(start + size < MODELS.length ? { next_page_token: String(start + size) } : {}),
        });
      }
      if (req.method === 'POST' && req.path === '/v2/chat')
        return reply(200, {
          id: 'fake',
          finish_reason: 'MAX_TOKENS',
          message: { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] },
        });
      return reply(404, { message: 'Not Found' });
    },
  });
}
