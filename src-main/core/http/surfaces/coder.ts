import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeskError } from '../../contract/errors.js';
import type { Provider } from '../../contract/domain-schemas.js';
import type { ProviderPatch } from '../../contract/provider-inputs.js';
import type { SurfaceDeps } from './deps.js';
import {
  CoderFailure,
  checkIdOrName,
  decodeCreate,
  decodeUpdate,
  invalidRequest,
  isEmptyUpdate,
  keyIdentity,
  validateCreate,
  validateUpdate,
  type UpdateRequest,
} from './coder/decode.js';
import {
  CODER_TYPE_SETTING,
  ICON_SETTING,
  VISIBLE_TYPES,
  acceptsBedrockSettings,
  coderTypeMarker,
  coderTypeOfProvider,
  hasBedrockBlock,
  keysInCreationOrder,
  ourTypeOf,
  settingsForCreate,
  settingsPatch,
  toAIProvider,
  type AIProvider,
  type CoderType,
} from './coder/mapping.js';
import { IF_MATCH_MALFORMED, IF_MATCH_ON_CREATE, readIfMatch, staleIfMatch } from './if-match.js';

const BASE = '/api/v2/ai/providers';
const NOT_FOUND = new CoderFailure(404, { message: 'Resource not found or you do not have access to this resource' });
const BEDROCK_REJECTS_KEYS = 'Bedrock providers do not accept api_keys; configure access credentials via settings.';
const BEDROCK_TYPE_MISMATCH = 'Bedrock settings are only valid for type=anthropic or type=bedrock.';
const COPILOT_REJECTS_KEYS = 'Copilot providers do not accept api_keys; they authenticate via request-time GitHub OAuth tokens.';
const UNKNOWN_KEY = 'api_keys references an unknown id for this provider';

/** A provider Coder can see, addressed by UUID or name; types Coder cannot express answer 404 like unknown ones. */
function lookup(desk: SurfaceDeps, raw: unknown): { provider: Provider; type: CoderType } {
  const target = checkIdOrName(raw);
  let provider: Provider;
  try {
    provider = desk.providers.get(target.value);
  } catch (error) {
    if (error instanceof DeskError && error.code === 'not_found') throw NOT_FOUND;
    throw error;
  }
  const type = coderTypeOfProvider(provider);
  if (!type || (target.kind === 'id' ? provider.id : provider.name) !== target.value) throw NOT_FOUND;
  return { provider, type };
}

function list(desk: SurfaceDeps): AIProvider[] {
  const page = desk.providers.list({ types: VISIBLE_TYPES, sortBy: 'name', order: 'asc', limit: Number.MAX_SAFE_INTEGER, offset: 0 });
  return page.items.flatMap((p) => {
    const type = coderTypeOfProvider(p);
    return type ? [toAIProvider(p, type)] : [];
  });
}

/** The revision If-Match names (undefined without one); a header that is no ETag of ours is a 400. */
function expectedRevision(request: FastifyRequest): number | undefined {
  const ifMatch = readIfMatch(request);
  if (ifMatch.kind === 'malformed') throw new CoderFailure(400, { message: 'Invalid If-Match header.', detail: IF_MATCH_MALFORMED });
  return ifMatch.kind === 'revision' ? ifMatch.revision : undefined;
}

const preconditionFailed = (detail: string) =>
  new CoderFailure(412, { message: 'The AI provider was changed since the revision in If-Match.', detail });

function create(desk: SurfaceDeps, body: unknown, revision: number | undefined): AIProvider {
  if (revision !== undefined) throw preconditionFailed(IF_MATCH_ON_CREATE);
  const req = decodeCreate(body);
  const validations = validateCreate(req);
  if (validations.length > 0) throw invalidRequest(validations);
  if (req.settings && req.api_keys.length > 0) throw new CoderFailure(400, { message: BEDROCK_REJECTS_KEYS });
  const type = req.type as CoderType;
  const marker = coderTypeMarker(type);
  const settings = {
    ...settingsForCreate(req.settings),
    ...(req.icon !== '' ? { [ICON_SETTING]: req.icon } : {}),
    ...(marker ? { [CODER_TYPE_SETTING]: marker } : {}),
  };
  try {
    const provider = desk.providers.create({
      name: req.name,
      type: ourTypeOf(type),
      display_name: req.display_name,
      enabled: req.enabled,
      base_url: req.base_url,
      ...(Object.keys(settings).length > 0 ? { settings } : {}),
      api_keys: req.api_keys.map((value) => ({ value })),
    });
    return toAIProvider(provider, type);
  } catch (error) {
    if (error instanceof DeskError && error.code === 'conflict')
      throw new CoderFailure(409, { message: `AI provider ${JSON.stringify(req.name)} already exists.` });
    throw error;
  }
}

/**
 * Fields, settings and the complete key list in one transaction: any failure leaves the provider as it was.
 * With If-Match, only while the provider is still at that revision.
 */
function update(desk: SurfaceDeps, raw: unknown, body: unknown, revision: number | undefined): AIProvider {
  const req = decodeUpdate(body);
  if (isEmptyUpdate(req)) throw new CoderFailure(400, { message: 'At least one field must be provided.' });
  const validations = validateUpdate(req);
  if (validations.length > 0) throw invalidRequest(validations);
  return desk.providers.atomically(() => {
    const { provider, type } = lookup(desk, raw);
    desk.providers.checkRevision(provider, revision);
    if (req.settings && !acceptsBedrockSettings(provider.type)) throw new CoderFailure(400, { message: BEDROCK_TYPE_MISMATCH });
    const bedrockAfter = req.settings === undefined ? hasBedrockBlock(provider) : req.settings !== null;
    if (req.api_keys && req.api_keys.length > 0 && (bedrockAfter || provider.type === 'bedrock')) {
      throw new CoderFailure(400, { message: BEDROCK_REJECTS_KEYS });
    }
    if (req.api_keys && req.api_keys.length > 0 && type === 'copilot') throw new CoderFailure(400, { message: COPILOT_REJECTS_KEYS });
    const patch: ProviderPatch = {};
    if (req.display_name !== undefined) patch.display_name = req.display_name;
    if (req.enabled !== undefined) patch.enabled = req.enabled;
    if (req.base_url !== undefined) patch.base_url = req.base_url;
    const settings = {
      ...(req.settings !== undefined && acceptsBedrockSettings(provider.type) ? settingsPatch(req.settings) : {}),
      // An empty icon clears it (the service's settings merge removes a field set to null).
      ...(req.icon !== undefined ? { [ICON_SETTING]: req.icon === '' ? null : req.icon } : {}),
    };
    if (Object.keys(settings).length > 0) patch.settings = settings;
    desk.providers.update(provider.id, patch);
    if (req.api_keys) desk.providers.replaceKeysOf(provider.id, keyEntries(provider, req.api_keys));
    return toAIProvider(desk.providers.get(provider.id), type);
  });
}

/**
 * The provider's complete key list for the service: kept keys (by id) first, in their creation order, then the new ones
 * in the order sent. That is the order Coder shows them in (new rows are the newest), so it holds even for keys added
 * in the same millisecond as the ones kept.
 */
function keyEntries(provider: Provider, mutations: NonNullable<UpdateRequest['api_keys']>): Array<{ id: string } | { value: string }> {
  const kept = new Set<string>();
  const added: Array<{ value: string }> = [];
  for (const m of mutations) {
    if (m.id === undefined) {
      added.push({ value: m.api_key ?? '' });
      continue;
    }
    const wanted = m.id;
    const match =
      provider.api_keys.find((k) => k.id === wanted) ?? provider.api_keys.find((k) => keyIdentity(k.id) === keyIdentity(wanted));
    if (!match) throw new CoderFailure(400, { message: UNKNOWN_KEY, detail: `${UNKNOWN_KEY}: ${wanted}` });
    kept.add(match.id);
  }
  const keptInOrder = keysInCreationOrder(provider.api_keys).filter((k) => kept.has(k.id));
  return [...keptInOrder.map((k) => ({ id: k.id })), ...added];
}

function remove(desk: SurfaceDeps, raw: unknown, revision: number | undefined): void {
  desk.providers.atomically(() => desk.providers.remove(lookup(desk, raw).provider.id, revision));
}

/** Expected service failures in Coder's shape; anything else is a 500 without internals. */
function toFailure(desk: SurfaceDeps, request: FastifyRequest, error: unknown): CoderFailure {
  if (error instanceof CoderFailure) return error;
  const stale = staleIfMatch(request, error);
  if (stale) return preconditionFailed(stale.message);
  if (error instanceof DeskError) {
    if (error.code === 'not_found') return NOT_FOUND;
    if (error.code === 'validation_failed' || error.code === 'bad_request') {
      return invalidRequest((error.fields ?? [{ path: '', message: error.message }]).map((f) => ({ field: f.path, detail: f.message })));
    }
    if (error.code === 'conflict' || error.code === 'precondition_failed') return new CoderFailure(409, { message: error.message });
  }
  desk.logger.error('coder surface error', {
    error: error instanceof Error ? error.name : typeof error,
    code: error instanceof DeskError ? error.code : '',
  });
  return new CoderFailure(500, { message: 'An internal error occurred. Please try again or contact the system administrator.' });
}

function route(desk: SurfaceDeps, status: number, handler: (request: FastifyRequest) => unknown) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const result = handler(request);
      return status === 204 ? reply.code(204).send() : reply.code(status).send(result);
    } catch (error) {
      const failure = toFailure(desk, request, error);
      return reply.code(failure.status).send(failure.body);
    }
  };
}

function idOrName(request: FastifyRequest): unknown {
  return (request.params as { idOrName?: unknown }).idOrName;
}

/** See ../shared/specs/coder.md: `/api/v2/ai/providers` (Coder-Session-Token auth is accepted by the server guard). */
export function registerCoder(app: FastifyInstance, desk: SurfaceDeps): void {
  app.get(
    BASE,
    route(desk, 200, () => list(desk)),
  );
  app.post(
    BASE,
    route(desk, 201, (request) => create(desk, request.body, expectedRevision(request))),
  );
  app.get(
    `${BASE}/:idOrName`,
    route(desk, 200, (request) => {
      const { provider, type } = lookup(desk, idOrName(request));
      return toAIProvider(provider, type);
    }),
  );
  app.patch(
    `${BASE}/:idOrName`,
    route(desk, 200, (request) => update(desk, idOrName(request), request.body, expectedRevision(request))),
  );
  app.delete(
    `${BASE}/:idOrName`,
    route(desk, 204, (request) => remove(desk, idOrName(request), expectedRevision(request))),
  );
}
