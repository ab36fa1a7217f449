import type { IncomingHttpHeaders } from 'node:http';
import { applyBedrockSession, type Credentials, type KeyMaterial } from './credentials.js';
import { bedrockOrigin, passthroughOrigin } from './destinations.js';
import type { ForwardPlan } from './failover.js';
import { badRequest } from './errors.js';
import { forwardedRequestHeaders, headerText } from './headers.js';
import type { GatewayProvider } from './providers.js';
import type { UpstreamRequest } from './upstream.js';

/** A client request to `/proxy/{provider}/…` as the gateway received it. */
export interface ProxyRequest {
  method: string;
  /** The raw request target after `/proxy/{provider}`: the path, still percent-encoded as sent, and the query. */
  rest: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

/** JSON bodies larger than this are not searched for a `model` (keys are then chosen among all the provider's). */
const MODEL_SEARCH_LIMIT = 8 * 1024 * 1024;

function pathOf(rest: string): string {
  const query = rest.indexOf('?');
  return query === -1 ? rest : rest.slice(0, query);
}

/** The provider's URL for the path the client sent; a path that would leave the provider's origin is refused. */
function upstreamUrl(origin: string, rest: string): URL {
  const url = new URL(`${origin}${rest}`);
  if (url.origin !== origin) throw badRequest('invalid_path', 'The path after /proxy/{provider} must stay on the provider');
  return url;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The model a native request is for, so keys can be chosen among those allowed for it: the JSON body's `model`
 * (OpenAI, Anthropic, Ollama, Mistral …) or the path (Gemini and Vertex `…/models/{model}:action`, Bedrock
 * `/model/{id}/…`, Azure `/deployments/{name}/…`). Null when the request names none.
 */
export function modelOfRequest(req: ProxyRequest): string | null {
  const type = headerText(req.headers, 'content-type').toLowerCase();
  if (req.body && req.body.length <= MODEL_SEARCH_LIMIT && (type.includes('json') || type === '')) {
    try {
      const parsed: unknown = JSON.parse(req.body.toString('utf8'));
      const model = parsed && typeof parsed === 'object' ? (parsed as { model?: unknown }).model : undefined;
      if (typeof model === 'string' && model) return model;
    } catch {
      /* not JSON: the path may still name the model */
    }
  }
  const path = pathOf(req.rest);
  const match = /\/models\/([^/:]+)(?::[^/]*)?$/.exec(path) ?? /\/model\/([^/]+)\//.exec(path) ?? /\/deployments\/([^/]+)\//.exec(path);
  return match?.[1] ? decoded(match[1]) : null;
}

/**
 * How a `/proxy/{provider}/…` request is sent for one key: to the provider's origin plus the path the client sent,
 * query kept, the client's headers without hop-by-hop ones and without our credential, the body byte for byte, and
 * the provider's real credential in its own scheme (Bedrock re-signed over the same body).
 */
export function passthroughPlan(provider: GatewayProvider, req: ProxyRequest, credentials: Credentials): ForwardPlan {
  const headers = forwardedRequestHeaders(req.headers);
  const rest = req.rest.startsWith('/') ? req.rest : `/${req.rest}`;
  return {
    provider,
    model: provider.filtersModels ? modelOfRequest(req) : null,
    async build(key: KeyMaterial) {
      if (provider.auth === 'aws-sigv4') {
        const { session, cached } = await credentials.bedrock(provider.target, key);
        const request: UpstreamRequest = {
          url: upstreamUrl(bedrockOrigin(session, pathOf(rest)), rest),
          method: req.method,
          headers: { ...headers },
          body: req.body,
        };
        applyBedrockSession(session, request);
        return { request, cached };
      }
      const request: UpstreamRequest = {
        url: upstreamUrl(passthroughOrigin(provider, key.probeKey), rest),
        method: req.method,
        headers: { ...headers },
        body: req.body,
      };
      const { cached } = await credentials.apply(provider.auth, provider.target, key, request);
      return { request, cached };
    },
  };
}
