import type { BedrockSession } from '../probe/adapters/bedrock.js';
import { settingString } from '../probe/adapters/context.js';
import { targetForKey } from '../probe/key-endpoint.js';
import type { ProbeKey } from '../probe/types.js';
import { badRequest } from './errors.js';
import type { GatewayProvider } from './providers.js';

const WATSONX_DEFAULT = 'https://us-south.ml.cloud.ibm.com';

/**
 * The provider's API base as this key reaches it: the stored base URL (a key may name its own server, as Bifrost's
 * vLLM/SGLang/Ollama keys do), Azure's endpoint setting, Vertex's regional host when no base URL is set.
 */
export function providerBase(provider: GatewayProvider, key: ProbeKey): string {
  const target = targetForKey(provider.target, key);
  const base = target.baseUrl.trim();
  const concrete = base && !base.includes('{') ? base : '';
  const ctx = { key, target };
  switch (provider.dialect) {
    case 'azure':
      return (settingString(ctx, 'endpoint') ?? concrete).replace(/\/+$/, '');
    case 'vertex': {
      if (concrete) return concrete;
      const location = settingString(ctx, 'region', 'location') ?? 'us-central1';
      return location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
    }
    case 'watsonx':
      return concrete || WATSONX_DEFAULT;
    default:
      return concrete || target.entry.defaultBaseUrl || '';
  }
}

/** A base URL as a URL object; a provider without a usable one cannot take gateway requests. */
export function parsedBase(provider: GatewayProvider, base: string): URL {
  const refuse = (why: string) => badRequest('no_base_url', `Provider "${provider.row.name}" ${why}; set its base URL in Provider Desk`);
  if (!base) throw refuse('has no base URL');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw refuse(`has a base URL that is not a URL (${base})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('has a base URL that is not http(s)');
  return url;
}

/**
 * Where a passthrough request goes: the provider's origin (scheme, host and port of its base URL) followed by the path
 * the client sent after `/proxy/{name}`. So an SDK's base URL is the provider's documented one with its origin
 * replaced by `http://127.0.0.1:3100/proxy/{name}` (…/proxy/openai/v1, …/proxy/anthropic, …/proxy/groq/openai/v1).
 */
export function passthroughOrigin(provider: GatewayProvider, key: ProbeKey): string {
  const known = origins.get(key);
  if (known !== undefined) return known;
  const origin = parsedBase(provider, providerBase(provider, key)).origin;
  origins.set(key, origin);
  return origin;
}

/**
 * Each opened key's origin, worked out once rather than per request (a URL parse and the key's settings). An opened key
 * belongs to one provider as it was opened (providers.ts re-opens on any change), so its origin never changes.
 */
const origins = new WeakMap<ProbeKey, string>();

/** Bedrock's runtime API (invoke, converse, async-invoke, guardrails) and its control plane live on different hosts. */
export function bedrockOrigin(session: BedrockSession, path: string): string {
  const runtime = /^\/(model|async-invoke|guardrail)(\/|$)/.test(path);
  return new URL(runtime ? session.endpoints.runtime : session.endpoints.controlPlane).origin;
}
