import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { AuthScheme } from '../catalog/types.js';
import { configuredDeployments } from '../probe/adapters/azure.js';
import { settingString, settingValue } from '../probe/adapters/context.js';
import { targetForKey } from '../probe/key-endpoint.js';
import { stripTrailing } from '../probe/urls.js';
import { parseJson } from '../service/codec.js';
import type { ModelRow, ProviderRow } from '../store/rows.js';
import type { Credentials, KeyMaterial } from './credentials.js';
import { parsedBase, providerBase } from './destinations.js';
import { badRequest, forbidden, GatewayError, notFound } from './errors.js';
import type { ForwardPlan } from './failover.js';
import { forwardedRequestHeaders, headerText } from './headers.js';
import { keyAllows } from './keys.js';
import type { GatewayProvider } from './providers.js';
import type { UpstreamRequest } from './upstream.js';

/** The operations of the OpenAI-compatible endpoint, as paths under /v1. */
import { COMPAT_OPERATIONS, type CompatOperation } from './compat-operations.js';
export { COMPAT_OPERATIONS, type CompatOperation };

const AZURE_API_VERSION = '2024-10-21';

/** Types whose OpenAI-compatible endpoint serves only some operations (the others serve all three). */
const OPERATIONS_OF: Readonly<Record<string, readonly CompatOperation[]>> = {
  anthropic: ['chat/completions'],
  gemini: ['chat/completions', 'embeddings'],
  azure: ['chat/completions', 'embeddings'],
  cohere: ['chat/completions', 'embeddings'],
  mistral: ['chat/completions', 'embeddings'],
  voyage: ['embeddings'],
};

/** Types with no OpenAI-compatible endpoint of their own: only their native API, through /proxy. */
const NATIVE_ONLY = new Set(['bedrock', 'vertex', 'watsonx', 'replicate', 'runway', 'elevenlabs']);

const LABEL: Readonly<Record<string, string>> = { anthropic: 'Anthropic', gemini: 'Gemini', azure: 'Azure OpenAI', cohere: 'Cohere' };

/** Where the provider's own OpenAI-compatible endpoint for an operation is, and how it takes the key. */
interface CompatEndpoint {
  url: URL;
  scheme: AuthScheme;
}

function join(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, '')}/${path}`);
}

function endpointFor(provider: GatewayProvider, operation: CompatOperation, model: string, key: KeyMaterial): CompatEndpoint {
  const base = parsedBase(provider, providerBase(provider, key.probeKey)).toString();
  switch (provider.dialect) {
    case 'anthropic':
      // https://api.anthropic.com/v1/chat/completions (Anthropic's OpenAI SDK compatibility)
      return { url: join(stripTrailing(base, /v1/), `v1/${operation}`), scheme: 'x-api-key' };
    case 'gemini':
      // https://generativelanguage.googleapis.com/v1beta/openai/… takes the key as Bearer
      return { url: join(stripTrailing(stripTrailing(base, /openai/), /v1(beta)?/), `v1beta/openai/${operation}`), scheme: 'bearer' };
    case 'ollama':
      return { url: join(stripTrailing(base, /v1/), `v1/${operation}`), scheme: provider.auth };
    case 'cohere':
      return { url: join(stripTrailing(stripTrailing(base, /v\d+/), /compatibility/), `compatibility/v1/${operation}`), scheme: 'bearer' };
    case 'azure': {
      const ctx = { key: key.probeKey, target: targetForKey(provider.target, key.probeKey) };
      const deployments = configuredDeployments(settingValue(ctx, 'deployments'));
      const deployment = deployments.find((d) => d.model === model)?.name ?? model;
      const url = join(base.replace(/\/openai(\/.*)?$/, ''), `openai/deployments/${encodeURIComponent(deployment)}/${operation}`);
      url.searchParams.set('api-version', settingString(ctx, 'api_version') ?? AZURE_API_VERSION);
      return { url, scheme: 'api-key' };
    }
    default:
      // OpenAI and the OpenAI-compatible types: their base URL is the OpenAI-style root (…/v1).
      return { url: join(base, operation), scheme: provider.auth };
  }
}

/** Refuses a provider (or an operation) that has no OpenAI-compatible endpoint, pointing to the native passthrough. */
export function requireCompatEndpoint(provider: GatewayProvider, operation: CompatOperation): void {
  const name = provider.row.name;
  if (NATIVE_ONLY.has(provider.dialect))
    throw badRequest(
      'no_openai_compatible_endpoint',
      `Provider "${name}" (${provider.target.entry.label}) has no OpenAI-compatible endpoint; call its own API through /proxy/${name}/…`,
    );
  const served = OPERATIONS_OF[provider.dialect];
  if (served && !served.includes(operation))
    throw badRequest(
      'no_openai_compatible_endpoint',
      `${LABEL[provider.dialect] ?? provider.target.entry.label}'s OpenAI-compatible endpoint does not serve /v1/${operation} (it serves ${served.map((op) => `/v1/${op}`).join(', ')}); call provider "${name}"'s own API through /proxy/${name}/…`,
    );
}

const CompatBody = z.looseObject({
  model: z.string({ message: 'is required: a string such as "openai/gpt-4o" (GET /v1/models lists them)' }).min(1, 'must not be empty'),
});

/** A request body for /v1/…: a JSON object whose `model` is `provider/model`. */
export interface CompatRequest {
  json: Record<string, unknown>;
  provider: string;
  model: string;
}

export function parseCompatBody(body: Buffer | undefined, headers: IncomingHttpHeaders): CompatRequest {
  const encoding = headerText(headers, 'content-encoding').trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new GatewayError(
      415,
      'invalid_request_error',
      'unsupported_content_encoding',
      'Send the request body uncompressed (no Content-Encoding)',
    );
  if (!body || body.length === 0) throw badRequest('missing_body', 'The request body must be a JSON object with a "model"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw badRequest('invalid_json', 'The request body must be a JSON object');
  const checked = CompatBody.safeParse(parsed);
  if (!checked.success) throw badRequest('invalid_model', `model ${checked.error.issues[0]?.message ?? 'is not valid'}`);
  const slash = checked.data.model.indexOf('/');
  if (slash <= 0 || slash === checked.data.model.length - 1)
    throw badRequest(
      'invalid_model',
      `model must be "provider/model", e.g. "openai/gpt-4o" (got "${checked.data.model.slice(0, 200)}"); GET /v1/models lists them`,
    );
  return { json: checked.data, provider: checked.data.model.slice(0, slash), model: checked.data.model.slice(slash + 1) };
}

/**
 * How a /v1/{operation} request is sent for one key: to the provider's own OpenAI-compatible endpoint with `model`
 * rewritten to the provider's id and nothing else changed, the key set the way that endpoint takes it.
 */
export function compatPlan(
  provider: GatewayProvider,
  operation: CompatOperation,
  request: CompatRequest,
  headers: IncomingHttpHeaders,
  credentials: Credentials,
): ForwardPlan {
  requireCompatEndpoint(provider, operation);
  const body = Buffer.from(JSON.stringify({ ...request.json, model: request.model }));
  const forwarded = { ...forwardedRequestHeaders(headers), 'content-type': 'application/json' };
  return {
    provider,
    model: request.model,
    async build(key: KeyMaterial) {
      const endpoint = endpointFor(provider, operation, request.model, key);
      const upstream: UpstreamRequest = { url: endpoint.url, method: 'POST', headers: { ...forwarded }, body };
      const { cached } = await credentials.apply(endpoint.scheme, provider.target, key, upstream);
      return { request: upstream, cached };
    },
  };
}

/** One model in OpenAI's list shape, named `provider/model`. */
export interface CompatModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** Models no enabled key may use are left out (a provider without keys keeps them all: it is keyless). */
function usable(keys: Array<{ models: string; blacklisted_models: string }>, model: string): boolean {
  if (keys.length === 0) return true;
  return keys.some((key) =>
    keyAllows({ models: parseJson<string[]>(key.models, []), blacklistedModels: parseJson<string[]>(key.blacklisted_models, []) }, model),
  );
}

/**
 * Every stored model of every enabled provider the caller may use, as `provider/model`. Providers without an
 * OpenAI-compatible endpoint are listed too: their models are reachable through /proxy, and the routes say so.
 */
export function compatModels(
  providers: ReadonlyArray<{ row: ProviderRow; models: ModelRow[]; keys: Array<{ models: string; blacklisted_models: string }> }>,
): CompatModel[] {
  const out: CompatModel[] = [];
  for (const { row, models, keys } of providers) {
    for (const model of models) {
      if (!usable(keys, model.model_id)) continue;
      const created = Math.floor(Date.parse(model.fetched_at) / 1000);
      out.push({
        id: `${row.name}/${model.model_id}`,
        object: 'model',
        created: Number.isFinite(created) ? created : 0,
        owned_by: model.owned_by ?? row.name,
      });
    }
  }
  return out;
}

export function modelNotFound(id: string): GatewayError {
  return notFound(
    'model_not_found',
    `The model "${id.slice(0, 200)}" does not exist or you do not have access to it; GET /v1/models lists them`,
  );
}

/** A stored model the user turned off: refused before anything is sent (OpenAI's shape, a code of its own). */
export function modelDisabled(id: string): GatewayError {
  return forbidden(
    'model_disabled',
    `The model "${id.slice(0, 200)}" is disabled in Provider Desk; enable it in the provider's Models tab (GET /v1/models lists the enabled ones)`,
  );
}
