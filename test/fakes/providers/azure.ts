/**
 * Azure OpenAI: `api-key` header and a required `api-version`; base models at `/openai/models`, deployments at
 * `/openai/deployments` (only in 2023-03-15-preview); a wrong key gets 401 with a string `code`; chat answers carry
 * `x-ratelimit-remaining-requests` / `-tokens` only.
 */
import { headerOf, reply, startFakeServer, type FakeServer } from './server.js';
import { chatCompletion } from './openai-compatible.js';

const ACCESS_DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

export function startAzure(options: { keys: string[] }): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      if (!req.query.get('api-version')) return reply(404, { error: { code: '404', message: 'Resource not found' } });
      if (!options.keys.includes(headerOf(req.headers, 'api-key'))) return reply(401, { error: { code: '401', message: ACCESS_DENIED } });
      if (req.method === 'GET' && req.path === '/openai/models')
        return reply(200, {
          object: 'list',
          data: [
            { id: 'gpt-4o', capabilities: { chat_completion: true, inference: true }, lifecycle_status: 'generally-available' },
            { id: 'text-embedding-3-large', capabilities: { embeddings: true, inference: true }, lifecycle_status: 'generally-available' },
          ],
        });
      if (req.method === 'GET' && req.path === '/openai/deployments') {
        if (req.query.get('api-version') !== '2023-03-15-preview')
          return reply(404, { error: { code: '404', message: 'Resource not found' } });
        return reply(200, { object: 'list', data: [{ id: 'gpt-4o-prod', model: 'gpt-4o', status: 'succeeded', object: 'deployment' }] });
      }
      if (req.method === 'POST' && /^\/openai\/deployments\/[^/]+\/chat\/completions$/.test(req.path))
        return reply(200, chatCompletion(String(req.json.model ?? 'gpt-4o')), {
          'x-ratelimit-remaining-requests': '119',
          'x-ratelimit-remaining-tokens': '119990',
        });
      return reply(404, { error: { code: '404', message: 'Resource not found' } });
    },
  });
}
