import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { IF_MATCH_MALFORMED, IF_MATCH_ON_CREATE, readIfMatch } from './if-match.js';
import type { Surface } from './plugin.js';
import { CODER_INTERNAL_ERROR, NOT_FOUND, coderAnswerError, coderGenericFailure, preconditionFailed } from './coder/errors.js';

const BASE = '/api/v2/ai/providers';
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
 * Fields, settings and the complete key list in one service write: any failure leaves the provider as it was. With
 * If-Match, only while the provider is still at that revision; without, only while it is still as read here (the
 * checks below were made on that), else a conflict.
 */
function update(desk: SurfaceDeps, raw: unknown, body: unknown, revision: number | undefined): AIProvider {
  const req = decodeUpdate(body);
  if (isEmptyUpdate(req)) throw new CoderFailure(400, { message: 'At least one field must be provided.' });
  const validations = validateUpdate(req);
  if (validations.length > 0) throw invalidRequest(validations);
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
  const keys = req.api_keys ? keyEntries(provider, req.api_keys) : undefined;
  return toAIProvider(desk.providers.updateWithKeys(provider.id, patch, keys, revision ?? provider.revision), type);
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
  desk.providers.remove(lookup(desk, raw).provider.id, revision);
}

function idOrName(request: FastifyRequest): unknown {
  return (request.params as { idOrName?: unknown }).idOrName;
}

/** See ../shared/specs/coder.md: `/api/v2/ai/providers` (Coder-Session-Token auth is accepted by the server guard). */
function registerCoderRoutes(app: FastifyInstance, desk: SurfaceDeps): void {
  app.get(BASE, async () => list(desk));
  app.post(BASE, async (request, reply) => {
    const created = create(desk, request.body, expectedRevision(request));
    return reply.code(201).send(created);
  });
  app.get(`${BASE}/:idOrName`, async (request) => {
    const { provider, type } = lookup(desk, idOrName(request));
    return toAIProvider(provider, type);
  });
  app.patch(`${BASE}/:idOrName`, async (request) => update(desk, idOrName(request), request.body, expectedRevision(request)));
  app.delete(`${BASE}/:idOrName`, async (request, reply) => {
    remove(desk, idOrName(request), expectedRevision(request));
    return reply.code(204).send();
  });
}

/** Coder's AI provider API under `/api/v2`, answering every failure as `{message, detail?, validations?}`. */
export const coderSurface: Surface = {
  name: 'coder',
  prefix: '/api/v2',
  failure: coderGenericFailure,
  answerError: coderAnswerError,
  internalError: CODER_INTERNAL_ERROR,
  routes: registerCoderRoutes,
};
