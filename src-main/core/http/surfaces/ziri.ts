import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DeskError } from '../../contract/errors.js';
import type { Provider } from '../../contract/domain-schemas.js';
import { HttpUrl, NAME_PATTERN, type ProviderPatch } from '../../contract/provider-inputs.js';
import type { SurfaceDeps } from './deps.js';
import {
  MISSING_FIELDS,
  NOT_FOUND,
  NOT_FOUND_ON_UPDATE,
  ZiriFailure,
  failureReason,
  parseListQuery,
  toZiriProvider,
  ziriKeyLooksValid,
  ziriTypeForName,
} from './ziri/mapping.js';
import { startingModels } from './ziri/default-models.js';
import { readUpdate, type ZiriUpdate } from './ziri/update-input.js';
import { IF_MATCH_MALFORMED, IF_MATCH_ON_CREATE, readIfMatch } from './if-match.js';
import type { Surface } from './plugin.js';
import { ZIRI_INTERNAL_ERROR, ziriAnswerError, ziriGenericFailure } from './ziri/errors.js';

interface UpsertInput {
  name: string;
  apiKey: string;
  displayName: string | undefined;
  baseUrl: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the POST body in ZIRI's order: required fields, then the name and metadata we can store. */
function readUpsert(body: unknown): UpsertInput {
  const b = isObject(body) ? body : {};
  if (typeof b.name !== 'string' || b.name === '' || typeof b.apiKey !== 'string' || b.apiKey === '') {
    throw new ZiriFailure(400, 'MISSING_FIELDS', MISSING_FIELDS);
  }
  const name = b.name.toLowerCase();
  if (name.length > 64 || !NAME_PATTERN.test(name)) {
    throw new ZiriFailure(400, 'INVALID_NAME', 'Invalid provider name: must match ^[a-z0-9]+(-[a-z0-9]+)*$ (at most 64 characters)');
  }
  const metadata = b.metadata ?? {};
  if (!isObject(metadata)) throw new ZiriFailure(400, 'INVALID_METADATA', 'metadata must be an object');
  const { displayName, baseUrl } = metadata;
  if (displayName !== undefined && displayName !== null && (typeof displayName !== 'string' || displayName.length > 200)) {
    throw new ZiriFailure(400, 'INVALID_METADATA', 'metadata.displayName must be a string of at most 200 characters');
  }
  if (baseUrl !== undefined && baseUrl !== null && baseUrl !== '' && (typeof baseUrl !== 'string' || !HttpUrl.safeParse(baseUrl).success)) {
    throw new ZiriFailure(400, 'INVALID_METADATA', 'metadata.baseUrl must be an absolute http(s) URL');
  }
  return {
    name,
    apiKey: b.apiKey,
    displayName: typeof displayName === 'string' && displayName !== '' ? displayName : undefined,
    baseUrl: typeof baseUrl === 'string' && baseUrl !== '' ? baseUrl : undefined,
  };
}

/** The provider with exactly this name (ZIRI addresses providers by name only), or null. */
function findByName(desk: SurfaceDeps, name: string): Provider | null {
  try {
    const provider = desk.providers.get(name);
    return provider.name === name ? provider : null;
  } catch (error) {
    if (error instanceof DeskError && error.code === 'not_found') return null;
    throw error;
  }
}

function requireByName(desk: SurfaceDeps, raw: unknown): Provider {
  const provider = typeof raw === 'string' ? findByName(desk, raw.toLowerCase()) : null;
  if (!provider) throw NOT_FOUND;
  return provider;
}

/** The revision If-Match names (undefined without one); a header that is no ETag of ours is a 400. */
function expectedRevision(request: FastifyRequest): number | undefined {
  const ifMatch = readIfMatch(request);
  if (ifMatch.kind === 'malformed') throw new ZiriFailure(400, 'INVALID_IF_MATCH', IF_MATCH_MALFORMED);
  return ifMatch.kind === 'revision' ? ifMatch.revision : undefined;
}

/**
 * Create, or update the provider's display name / base URL and replace its first key (each one service write, in one
 * transaction). With If-Match, only an existing provider still at that revision is updated.
 */
function upsert(desk: SurfaceDeps, input: UpsertInput, revision: number | undefined): Provider {
  const existing = findByName(desk, input.name);
  if (revision !== undefined) {
    if (!existing) throw new ZiriFailure(412, 'PRECONDITION_FAILED', IF_MATCH_ON_CREATE);
    desk.providers.checkRevision(existing, revision);
  }
  const type = existing?.type ?? ziriTypeForName(input.name);
  if (!ziriKeyLooksValid(type, input.apiKey)) throw new ZiriFailure(400, 'INVALID_API_KEY', 'Invalid API key format');
  if (!existing) {
    try {
      return desk.providers.create({
        name: input.name,
        type,
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.baseUrl !== undefined ? { base_url: input.baseUrl } : {}),
        api_keys: [{ value: input.apiKey }],
      });
    } catch (error) {
      if (error instanceof DeskError && error.code === 'validation_failed' && error.fields?.some((f) => f.path === 'base_url')) {
        throw new ZiriFailure(
          400,
          'MISSING_FIELDS',
          `metadata.baseUrl is required for "${input.name}" (not a provider type with a known base URL)`,
        );
      }
      throw error;
    }
  }
  const patch: ProviderPatch = {};
  if (input.displayName !== undefined) patch.display_name = input.displayName;
  if (input.baseUrl !== undefined) patch.base_url = input.baseUrl;
  // Written only if the provider is still as read (its type decided the key check): a race answers as a conflict.
  return desk.providers.updateWithFirstKey(existing.id, patch, input.apiKey, revision ?? existing.revision);
}

/**
 * ZIRI's edit: a new display name and/or a new key (replacing the provider's first key, as the upsert does), in one
 * service write; with If-Match, only while the provider is still at that revision. An unknown name is ZIRI's 400.
 */
function update(desk: SurfaceDeps, raw: unknown, input: ZiriUpdate, revision: number | undefined): Provider {
  const provider = typeof raw === 'string' ? findByName(desk, raw.toLowerCase()) : null;
  if (!provider) throw NOT_FOUND_ON_UPDATE;
  desk.providers.checkRevision(provider, revision);
  if (input.apiKey !== undefined && !ziriKeyLooksValid(provider.type, input.apiKey)) {
    throw new ZiriFailure(400, 'INVALID_API_KEY', 'Invalid API key format');
  }
  const patch: ProviderPatch = {};
  if (input.displayName !== undefined && input.displayName !== provider.display_name) patch.display_name = input.displayName;
  return desk.providers.updateWithFirstKey(provider.id, patch, input.apiKey, revision ?? provider.revision);
}

/** `models` always: the stored ones once a listing has run, the type's starting models before. */
function present(desk: SurfaceDeps, provider: Provider) {
  const models = provider.models_count > 0 ? desk.providers.modelIdsOf(provider.id) : startingModels(provider.type);
  return toZiriProvider(provider, models);
}

function nameParam(request: FastifyRequest): unknown {
  return (request.params as { name?: unknown }).name;
}

/** See ../shared/specs/ziri.md: `/api/providers`, id = our seq, upsert by name, a real connection test. */
function registerZiriRoutes(app: FastifyInstance, desk: SurfaceDeps): void {
  app.get('/api/providers', async (request) => {
    const page = desk.providers.list(parseListQuery(request.query));
    return { providers: page.items.map((p) => present(desk, p)), total: page.total };
  });

  app.get('/api/providers/:name', async (request) => ({ provider: present(desk, requireByName(desk, nameParam(request))) }));

  app.post('/api/providers', async (request) => {
    const revision = expectedRevision(request);
    return { provider: present(desk, upsert(desk, readUpsert(request.body), revision)) };
  });

  app.put('/api/providers/:name', async (request) => {
    const revision = expectedRevision(request);
    return { provider: present(desk, update(desk, nameParam(request), readUpdate(request.body), revision)) };
  });

  app.delete('/api/providers/:name', async (request) => {
    const revision = expectedRevision(request);
    desk.providers.remove(requireByName(desk, nameParam(request)).id, revision);
    return { success: true };
  });

  app.post('/api/providers/:name/test', async (request) => {
    const revision = expectedRevision(request);
    const provider = requireByName(desk, nameParam(request));
    // A test rewrites the provider's health: with If-Match, only the provider as the caller last read it.
    desk.providers.checkRevision(provider, revision);
    const outcome = await desk.health.test(provider.id);
    if (outcome.ok) return { success: true, message: 'Provider connection successful' };
    const failed = outcome.results.find((r) => !r.ok) ?? outcome.results[0];
    throw new ZiriFailure(400, 'CONNECTION_FAILED', `Provider connection failed: ${failureReason(failed)}`);
  });
}

/** ZIRI's API under `/api/providers`, answering every failure as `{error, code}`. */
export const ziriSurface: Surface = {
  name: 'ziri',
  prefix: '/api/providers',
  failure: ziriGenericFailure,
  answerError: ziriAnswerError,
  internalError: ZIRI_INTERNAL_ERROR,
  routes: registerZiriRoutes,
};
