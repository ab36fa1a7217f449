/**
 * A badly behaved OpenAI-compatible upstream (`GET /v1/models`, Bearer auth, OpenAI's list and error shapes) whose
 * answers carry what a real provider should never send back: the presented key, or terminal control sequences.
 *
 *   const up = await startHostileUpstream({ keys: ['sk-good'], echoKey: true });
 *   provider.base_url = up.baseUrl;   // http://127.0.0.1:port/v1
 *
 * Options:
 *   keys          keys the list answers for (anything else gets OpenAI's 401 invalid_api_key body)
 *   echoKey       add models whose id, owned_by and name contain the presented key (and one only its owner/name)
 *   modelIds      the ids of the ordinary models listed (default ['gpt-4o'])
 *   errorMessage  the `error.message` of the 401 answer (default OpenAI's "Incorrect API key provided" text)
 */
import { createHttpServer, type TestServer } from './http-server.js';

export interface HostileUpstreamOptions {
  keys?: string[];
  echoKey?: boolean;
  modelIds?: string[];
  errorMessage?: string;
}

export interface HostileUpstream extends TestServer {
  /** The base URL a user would configure (…/v1). */
  baseUrl: string;
}

function modelsFor(presented: string, options: HostileUpstreamOptions): unknown[] {
  const ordinary = (options.modelIds ?? ['gpt-4o']).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' }));
  if (!options.echoKey) return ordinary;
  return [
    ...ordinary,
    { id: `ft:gpt-4o:${presented}`, object: 'model', created: 1_700_000_000, owned_by: presented },
    { id: `echo-${presented.slice(2, 14)}-tuned`, object: 'model', created: 1_700_000_000, owned_by: 'system' },
    { id: 'gpt-4o-mini', object: 'model', created: 1_700_000_000, owned_by: `org ${presented}`, name: `Mini for ${presented}` },
  ];
}

export async function startHostileUpstream(options: HostileUpstreamOptions = {}): Promise<HostileUpstream> {
  const keys = options.keys ?? ['test-key'];
  const server = await createHttpServer((req, res) => {
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || req.url !== '/v1/models') {
      return send(404, { error: { message: `Invalid URL (${req.method} ${req.url})`, type: 'invalid_request_error', code: null } });
    }
    if (!keys.includes(presented)) {
      const message = options.errorMessage ?? 'Incorrect API key provided. You can find your API key at https://platform.openai.com.';
      return send(401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    send(200, { object: 'list', data: modelsFor(presented, options) });
  });
  return { ...server, baseUrl: `${server.url}/v1` };
}
