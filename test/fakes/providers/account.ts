/**
 * Services with no model list whose account call proves the key: Replicate `GET /v1/account` (problem+json
 * errors) and Runway `GET /v1/organization` (needs `X-Runway-Version`; has the credit balance).
 */
import { bearerOf, headerOf, reply, startFakeServer, type FakeServer } from './server.js';

export const RUNWAY_ORGANIZATION = {
  tier: { maxMonthlyCreditSpend: 10_000, models: { gen4_turbo: { maxConcurrentGenerations: 2, maxDailyGenerations: 200 } } },
  creditBalance: 5000,
  usage: { models: { gen4_turbo: { dailyGenerations: 12 } } },
};

export function startReplicate(options: { keys: string[] }): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      if (!options.keys.includes(bearerOf(req.headers)))
        return {
          status: 401,
          body: { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 },
          headers: { 'content-type': 'application/problem+json' },
        };
      if (req.method === 'GET' && req.path === '/v1/account')
        return reply(200, { type: 'organization', username: 'acme', name: 'Acme Corp, Inc.', github_url: 'https://github.com/acme' });
      return reply(404, { title: 'Not found', detail: 'Not found', status: 404 });
    },
  });
}

export function startRunway(options: { keys: string[] }): Promise<FakeServer> {
  return startFakeServer({
    route(req) {
      if (!headerOf(req.headers, 'x-runway-version')) return reply(400, { error: 'The X-Runway-Version header is required.' });
      // 401 body unverified.
      if (!options.keys.includes(bearerOf(req.headers))) return reply(401, { error: 'Invalid API key' });
      if (req.method === 'GET' && req.path === '/v1/organization') return reply(200, RUNWAY_ORGANIZATION);
      return reply(404, { error: 'Not found' });
    },
  });
}
