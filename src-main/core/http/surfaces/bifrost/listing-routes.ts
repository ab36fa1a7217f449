import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiKey, Provider } from '../../../contract/domain-schemas.js';
import type { SurfaceDeps } from '../deps.js';
import { BifrostError } from './errors.js';

const API = '/bifrost/api';

/** Query strings as Fastify parses them: a repeated parameter is an array, of which Bifrost reads the first. */
const QueryString = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

function queryOf(request: FastifyRequest): (name: string) => string {
  const parsed = QueryString.safeParse(request.query ?? {});
  const query = parsed.success ? parsed.data : {};
  return (name) => {
    const value = query[name];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
}

/** Bifrost's unsigned-integer parameters: a value that is not one leaves the default. */
function uintOf(text: string, fallback: number): number {
  return /^\d{1,9}$/.test(text) ? Number(text) : fallback;
}

interface ModelQuery {
  query: string;
  provider: string;
  keyIds: string[];
  limit: number;
  offset: number;
  unfiltered: boolean;
}

function modelQuery(request: FastifyRequest, defaultLimit: number): ModelQuery {
  const get = queryOf(request);
  return {
    query: get('query'),
    provider: get('provider'),
    keyIds: get('keys')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    limit: uintOf(get('limit'), defaultLimit),
    offset: uintOf(get('offset'), 0),
    unfiltered: get('unfiltered') === 'true',
  };
}

/** Bifrost's name match: case-insensitive substring, also with `-` and `_` removed. */
function matchesQuery(model: string, query: string): boolean {
  if (query === '') return true;
  const lower = model.toLowerCase();
  const wanted = query.toLowerCase();
  const strip = (text: string) => text.replace(/[-_]/g, '');
  return lower.includes(wanted) || strip(lower).includes(strip(wanted));
}

/** Whether a key may use a model: not blacklisted (`*` blocks all), and in its allow-list when it has one (`*` allows all). */
function keyAllows(key: ApiKey, model: string): boolean {
  const blacklisted = key.blacklisted_models;
  if (blacklisted.includes('*') || blacklisted.includes(model)) return false;
  const allowed = key.models;
  return allowed.length === 0 || allowed.includes('*') || allowed.includes(model);
}

interface ListedModel {
  name: string;
  provider: string;
  context_window: number | null;
  accessible_by_keys?: string[];
}

/**
 * The models a provider serves (as last listed), narrowed to those the requested keys may use. Only enabled keys of
 * this provider count; when none of the requested keys does, the list is not narrowed (as Bifrost does).
 */
function providerModels(desk: SurfaceDeps, row: Provider, q: ModelQuery): ListedModel[] {
  // One entry per model id (a model seen with several keys is still one model).
  const models = [...new Map(desk.providers.modelsOf(row.id).map((m) => [m.id, m] as const)).values()];
  const keys = q.unfiltered || q.keyIds.length === 0 ? [] : row.api_keys.filter((k) => k.enabled);
  const chosen = [...new Set(q.keyIds)].flatMap((id) => keys.filter((k) => k.id === id));
  const listed: ListedModel[] = [];
  for (const model of models) {
    if (!matchesQuery(model.id, q.query)) continue;
    const entry: ListedModel = { name: model.id, provider: row.name, context_window: model.context_window };
    if (chosen.length > 0) {
      const granted = chosen.filter((key) => keyAllows(key, model.id)).map((key) => key.id);
      if (granted.length === 0) continue;
      entry.accessible_by_keys = granted;
    }
    listed.push(entry);
  }
  return listed;
}

/** Every provider's models (or one provider's), by provider name; `total` counts before offset and limit. */
function listModels(desk: SurfaceDeps, q: ModelQuery): { models: ListedModel[]; total: number } {
  const rows = desk.providers.allProviders().filter((row) => q.provider === '' || row.name === q.provider);
  const all = rows.flatMap((row) => providerModels(desk, row, q));
  const page = all.slice(q.offset);
  return { models: q.limit > 0 ? page.slice(0, q.limit) : page, total: all.length };
}

function accessFields(model: ListedModel): { accessible_by_keys?: string[] } {
  return model.accessible_by_keys ? { accessible_by_keys: model.accessible_by_keys } : {};
}

/**
 * The read-only routes of Bifrost's OpenAPI "Providers" section that its UI uses beyond the provider routes:
 * every key (`/api/keys`, its governance pickers) and the model lists (`/api/models` and friends), read through the provider service.
 */
export function registerBifrostListings(app: FastifyInstance, desk: SurfaceDeps): void {
  // A bare array of DBKey-shaped entries (key_id, name, provider, provider_id, models); never a secret.
  app.get(`${API}/keys`, async () =>
    desk.providers.allProviders().flatMap((row) =>
      row.api_keys.map((key) => ({
        key_id: key.id,
        name: key.name,
        provider: row.name,
        provider_id: row.id,
        models: key.models,
      })),
    ),
  );

  app.get(`${API}/models`, async (request) => {
    const { models, total } = listModels(desk, modelQuery(request, 5));
    return { models: models.map((m) => ({ name: m.name, provider: m.provider, ...accessFields(m) })), total };
  });

  app.get(`${API}/models/details`, async (request) => {
    const { models, total } = listModels(desk, modelQuery(request, 20));
    return {
      models: models.map((m) => ({
        name: m.name,
        provider: m.provider,
        ...(m.context_window !== null ? { context_length: m.context_window } : {}),
        ...accessFields(m),
      })),
      total,
    };
  });

  // Bifrost resolves these from its own model-parameters catalog, which we do not have: its UI uses defaults on 404.
  app.get(`${API}/models/parameters`, async (request) => {
    const model = queryOf(request)('model');
    if (model === '') throw new BifrostError(400, 'model query parameter is required');
    throw new BifrostError(404, `no parameters found for model ${model}`);
  });

  // Bifrost lists its model catalog's base names; ours is what the providers listed, each name once, sorted.
  app.get(`${API}/models/base`, async (request) => {
    const get = queryOf(request);
    const query = get('query');
    const names = [...new Set(desk.providers.allModelIds().map((m) => m.modelId))].filter((name) => matchesQuery(name, query)).sort();
    const limit = uintOf(get('limit'), 20);
    return { models: limit > 0 ? names.slice(0, limit) : names, total: names.length };
  });
}
