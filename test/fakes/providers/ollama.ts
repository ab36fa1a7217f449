/**
 * Ollama: no auth at all (`GET /api/tags`). Behind an auth proxy (`proxyKeys`), a Bearer token is required and a
 * wrong one gets the proxy's 401.
 */
import { bearerOf, reply, startFakeServer, type FakeServer } from './server.js';

export function startOllama(options: { proxyKeys?: string[] } = {}): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      if (options.proxyKeys && !options.proxyKeys.includes(bearerOf(req.headers))) return reply(401, { error: 'Unauthorized' });
      if (req.method === 'GET' && req.path === '/api/tags')
        return reply(200, {
          models: [
            {
              name: 'llama3.2:latest',
              model: 'llama3.2:latest',
              modified_at: '2025-01-01T00:00:00Z',
              size: 2_019_393_189,
              digest: 'sha256:0000',
              details: { format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
            },
          ],
        });
      return reply(404, { error: 'page not found' });
    },
  });
}
