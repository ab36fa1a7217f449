/**
 * OpenAI's model list as the real service answers it to a request with a key: 401 `invalid_api_key` for an unknown
 * key, and for a valid one the list with its rate-limit headers (`x-ratelimit-{limit,remaining,reset}-{requests,tokens}`,
 * resets as Go-style durations such as `6m0s`), as documented under "Rate limits" in OpenAI's API reference.
 *
 *   const fake = await startRateLimitedOpenAi({ key: 'sk-good…', limits: { requests: [500, 499, '1s'], tokens: [30000, 29000, '6m0s'] } });
 *   fake.baseUrl   // http://127.0.0.1:port/v1
 */
import { createHttpServer } from './http-server.js';

export interface RateLimits {
  /** limit, remaining, reset (duration) */
  requests: [number, number, string];
  tokens: [number, number, string];
}

export interface RateLimitedOpenAi {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startRateLimitedOpenAi(options: { key: string; limits: RateLimits }): Promise<RateLimitedOpenAi> {
  const { requests, tokens } = options.limits;
  const server = await createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/v1/models') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', param: null, code: null },
        }),
      );
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.key}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: 'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-ratelimit-limit-requests': String(requests[0]),
      'x-ratelimit-remaining-requests': String(requests[1]),
      'x-ratelimit-reset-requests': requests[2],
      'x-ratelimit-limit-tokens': String(tokens[0]),
      'x-ratelimit-remaining-tokens': String(tokens[1]),
      'x-ratelimit-reset-tokens': tokens[2],
    });
    res.end(
      JSON.stringify({
        object: 'list',
        data: [
          { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
          { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
        ],
      }),
    );
  });
  return { baseUrl: `${server.url}/v1`, close: () => server.close() };
}
