/**
 * Services where only a billed request proves a key for most accounts.
 * Perplexity: the Sonar chat API (`POST /chat/completions`, billed) has no list; the Router (private preview) lists
 * models at `GET /router/v1/models` with the key, and a key without Router access is refused there (403 here: the
 * exact answer is unverified). A wrong key gets Perplexity's JSON 401 (or openresty's HTML page, `htmlErrors`).
 * Voyage: no list and no key check at all; `POST /v1/embeddings` is billed per token. 401 body unverified.
 */
import { bearerOf, reply, startFakeServer, type FakeServer, type Reply } from './server.js';
import { chatCompletion, openAiModel } from './openai-compatible.js';

export interface PerplexityOptions {
  keys: string[];
  /** Keys with Router access (default: all valid keys). */
  routerKeys?: string[];
  htmlErrors?: boolean;
}

const OPENRESTY_401 =
  '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>openresty/1.27.4</center>\r\n</body>\r\n</html>\r\n';

export function startPerplexity(options: PerplexityOptions): Promise<FakeServer> {
  const router = options.routerKeys ?? options.keys;
  const wrongKey = (): Reply =>
    options.htmlErrors
      ? { status: 401, body: OPENRESTY_401, headers: { 'content-type': 'text/html' } }
      : reply(401, {
          error: {
            message: 'Invalid API key provided. You can find your API key at https://www.perplexity.ai/settings/api.',
            type: 'invalid_api_key',
            code: 401,
          },
        });
  return startFakeServer({
    route(req) {
      const key = bearerOf(req.headers);
      if (!options.keys.includes(key)) return wrongKey();
      if (req.method === 'GET' && req.path === '/router/v1/models') {
        if (!router.includes(key))
          return reply(403, {
            error: { message: 'Your account does not have access to the Router API.', type: 'permission_denied', code: 403 },
          });
        return reply(200, {
          object: 'list',
          data: [
            openAiModel('perplexity/sonar', { created: 0, owned_by: 'perplexity' }),
            openAiModel('openai/gpt-oss-120b', { created: 0 }),
          ],
        });
      }
      if (req.method === 'POST' && (req.path === '/chat/completions' || req.path === '/router/v1/chat/completions'))
        return reply(200, chatCompletion(String(req.json.model ?? 'sonar')));
      return reply(404, { error: { message: 'Not found', type: 'not_found', code: 404 } });
    },
  });
}

export function startVoyage(options: { keys: string[] }): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      if (!options.keys.includes(bearerOf(req.headers))) return reply(401, { detail: 'Provided API key is invalid.' });
      if (req.method === 'POST' && req.path === '/v1/embeddings') {
        if (!Array.isArray(req.json.input) || typeof req.json.model !== 'string') return reply(400, { detail: 'Request body is invalid.' });
        return reply(200, {
          object: 'list',
          data: [{ object: 'embedding', embedding: [0.01, -0.02, 0.03], index: 0 }],
          model: req.json.model,
          usage: { total_tokens: 1 },
        });
      }
      return reply(404, { detail: 'Not Found' });
    },
  });
}
