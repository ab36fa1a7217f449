/**
 * Gemini: `x-goog-api-key`; `GET /v1beta/models` pages with `pageSize`/`pageToken` → `nextPageToken`; a wrong key
 * gets **400** INVALID_ARGUMENT with reason API_KEY_INVALID (not 401). No rate-limit headers are documented.
 */
import { headerOf, reply, startFakeServer, type FakeServer } from './server.js';

const MODELS = ['gemini-2.0-flash', 'gemini-1.5-pro', 'text-embedding-004'];

export function geminiWrongKey(message = 'API key not valid. Please pass a valid API key.'): unknown {
  return {
    error: {
      code: 400,
      message,
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      ],
    },
  };
}

export function startGemini(options: { keys: string[] }): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      const key = headerOf(req.headers, 'x-goog-api-key');
      if (!options.keys.includes(key)) return reply(400, geminiWrongKey());
      if (req.method === 'GET' && req.path === '/v1beta/models') {
        const size = Math.min(Number(req.query.get('pageSize') ?? 50), 1000);
        const start = Number(req.query.get('pageToken') ?? 0);
        const page = MODELS.slice(start, start + size);
        const next = start + size < MODELS.length ? { nextPageToken: String(start + size) } : {};
        return reply(200, {
          models: page.map((id) => ({
            name: `models/${id}`,
            displayName: id,
            inputTokenLimit: 1_048_576,
            supportedGenerationMethods: id.includes('embedding') ? ['embedContent'] : ['generateContent', 'countTokens'],
          })),
          ...next,
        });
      }
      if (req.method === 'POST' && /^\/v1beta\/models\/[^/]+:generateContent$/.test(req.path))
        return reply(200, { candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'MAX_TOKENS' }] });
      return reply(404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    },
  });
}
