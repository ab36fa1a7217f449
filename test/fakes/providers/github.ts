/**
 * GitHub Models: the catalog (`GET /catalog/models`, a bare array) is served here without a token (whether the real
 * one needs it is undocumented: a scraper reads it without one); `GET /user` on the REST API needs the token (wrong:
 * 401 "Bad credentials"; an App installation token: 403); inference at `/inference/chat/completions`.
 * Real hosts: models.github.ai and api.github.com; here one origin.
 */
import { bearerOf, reply, startFakeServer, type FakeServer } from './server.js';
import { chatCompletion } from './openai-compatible.js';

const BAD_CREDENTIALS = { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' };

export interface GithubOptions {
  keys: string[];
  /** Tokens that may use Models but not read /user (GitHub App installation tokens, e.g. Actions' GITHUB_TOKEN). */
  appTokens?: string[];
}

export function startGithub(options: GithubOptions): Promise<FakeServer> {
  const apps = options.appTokens ?? [];
  return startFakeServer({
    route(req) {
      const token = bearerOf(req.headers);
      const known = options.keys.includes(token) || apps.includes(token);
      if (req.method === 'GET' && req.path === '/catalog/models')
        return reply(200, [
          {
            id: 'openai/gpt-4.1',
            name: 'OpenAI GPT-4.1',
            publisher: 'OpenAI',
            capabilities: ['streaming', 'tool-calling'],
            limits: { max_input_tokens: 1_048_576, max_output_tokens: 32_768 },
            supported_input_modalities: ['text', 'image'],
            supported_output_modalities: ['text'],
          },
        ]);
      if (req.method === 'GET' && req.path === '/user') {
        if (!known) return reply(401, BAD_CREDENTIALS);
        if (apps.includes(token))
          return reply(403, {
            message: 'Resource not accessible by integration',
            documentation_url: 'https://docs.github.com/rest',
            status: '403',
          });
        return reply(200, { login: 'octocat', id: 1, type: 'User' });
      }
      if (req.method === 'POST' && req.path === '/inference/chat/completions') {
        if (!known) return reply(401, { error: { code: 'unauthorized', message: 'Bad credentials' } });
        return reply(200, chatCompletion(String(req.json.model ?? 'unknown')));
      }
      return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    },
  });
}
