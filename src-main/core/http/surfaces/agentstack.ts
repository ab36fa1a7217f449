import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DeskError } from '../../contract/errors.js';
import type { Provider } from '../../contract/domain-schemas.js';
import type { SurfaceDeps } from './deps.js';
import {
  agentStackTypeOf,
  capabilitiesOf,
  catalogTypeOf,
  SHOWN_CATALOG_TYPES,
  slugFor,
  toModelProvider,
  type AgentStackType,
} from './agentstack/schema.js';
import { matchScores } from './agentstack/match.js';
import { agentStackModelId } from './agentstack/model-ids.js';
import { AgentStackError, parseCreate, parseMatch, parseUuid } from './agentstack/validation.js';
import { IF_MATCH_MALFORMED, IF_MATCH_ON_CREATE, readIfMatch } from './if-match.js';
import type { Surface } from './plugin.js';
import { AGENT_STACK_INTERNAL_ERROR, agentStackAnswerError, agentStackGenericFailure } from './agentstack/errors.js';

const BASE = '/api/v1/model_providers';

/** The revision If-Match names (undefined without one); a header that is no ETag of ours is a 400. */
function expectedRevision(request: FastifyRequest): number | undefined {
  const ifMatch = readIfMatch(request);
  if (ifMatch.kind === 'malformed') throw new AgentStackError(400, IF_MATCH_MALFORMED);
  return ifMatch.kind === 'revision' ? ifMatch.revision : undefined;
}

/**
 * Agent Stack's model provider API (see ../shared/specs/agentstack.md): a thin mapper over the provider and health
 * services. A provider is created only after a real probe has listed its models.
 */
function registerAgentStackRoutes(app: FastifyInstance, desk: SurfaceDeps): void {
  const { providers, health } = desk;

  const shown = (row: Provider | undefined): { row: Provider; type: AgentStackType } | null => {
    const type = row ? agentStackTypeOf(row.type) : null;
    return row && type ? { row, type } : null;
  };
  /** The provider with this id or name, or undefined. */
  const find = (idOrName: string): Provider | undefined => {
    try {
      return providers.get(idOrName);
    } catch (error) {
      if (error instanceof DeskError && error.code === 'not_found') return undefined;
      throw error;
    }
  };
  const requireShown = (request: FastifyRequest) => {
    const id = parseUuid((request.params as { id: string }).id);
    const found = shown(find(id));
    if (!found || found.row.id !== id) throw new AgentStackError(404, `model_provider with id ${id} not found`);
    return found;
  };
  const normalisedBase = (url: string) => url.replace(/\/+$/, '');
  // Other surfaces store a base URL as given, so the same address may be stored with its trailing slash.
  const baseUrlTaken = (url: string) => providers.findByBaseUrl(url) ?? providers.findByBaseUrl(`${url}/`);
  const duplicate = (url: string) => new AgentStackError(400, `Duplicate model_provider found: base_url='${url}' already exists`);

  app.post(BASE, async (request, reply) => {
    if (expectedRevision(request) !== undefined) throw new AgentStackError(412, IF_MATCH_ON_CREATE);
    const input = parseCreate(request.body);
    if (input.type === 'watsonx' && Boolean(input.watsonx_project_id) === Boolean(input.watsonx_space_id)) {
      throw new AgentStackError(400, 'WatsonX providers must have either watsonx_project_id or watsonx_space_id');
    }
    const type = catalogTypeOf(input.type);
    const baseUrl = normalisedBase(input.base_url);
    if (baseUrlTaken(baseUrl)) throw duplicate(input.base_url);
    const settings =
      input.type === 'watsonx'
        ? input.watsonx_project_id
          ? { project_id: input.watsonx_project_id }
          : { space_id: input.watsonx_space_id }
        : undefined;
    const probe = await health.probeDraft({ type, baseUrl, secret: input.api_key || null, ...(settings ? { settings } : {}) });
    if (!probe.ok)
      throw new AgentStackError(400, `Failed to load models from ${input.type} provider (${input.base_url}): ${probe.result.message}`);
    let row: Provider;
    try {
      // The address is checked again when the provider is written: another request may have taken it during the probe.
      row = health.createFromDraft(
        {
          name: slugFor(input.name, input.type, (slug) => providers.nameExists(slug)),
          type,
          display_name: input.name ?? '',
          description: input.description ?? '',
          base_url: baseUrl,
          ...(settings ? { settings } : {}),
          api_keys: input.api_key ? [{ value: input.api_key }] : [],
        },
        probe,
        { uniqueBaseUrl: true },
      );
    } catch (error) {
      if (error instanceof DeskError && error.code === 'conflict' && error.fields?.some((f) => f.path === 'base_url'))
        throw duplicate(input.base_url);
      throw error;
    }
    return reply.code(201).send(toModelProvider(row, input.type));
  });

  app.get(BASE, async () => {
    const { items: rows } = providers.list({
      types: SHOWN_CATALOG_TYPES,
      sortBy: 'created_at',
      order: 'desc',
      limit: Number.MAX_SAFE_INTEGER,
      offset: 0,
    });
    const items = rows.flatMap((row) => {
      const found = shown(row);
      return found ? [toModelProvider(found.row, found.type)] : [];
    });
    return { items, total_count: items.length, has_more: false, next_page_token: (items.at(-1)?.id as string | undefined) ?? null };
  });

  // Match only reads the store, so If-Match has nothing to guard here.
  app.post(`${BASE}/match`, async (request) => {
    const input = parseMatch(request.body);
    const typeOf = new Map<string, AgentStackType>();
    for (const row of providers.list({ limit: Number.MAX_SAFE_INTEGER, offset: 0 }).items) {
      const type = agentStackTypeOf(row.type);
      if (type && capabilitiesOf(type).includes(input.capability)) typeOf.set(row.id, type);
    }
    const available = new Set<string>();
    for (const model of providers.allModelIds()) {
      const type = typeOf.get(model.providerId);
      if (type) available.add(agentStackModelId(type, model.modelId));
    }
    // Agent Stack seeds the match with its system configuration's default model; this surface has no such setting.
    const items = await matchScores(input.suggested_models, [...available], input.score_cutoff, null);
    return { items, total_count: items.length, has_more: false, next_page_token: null };
  });

  app.get(`${BASE}/:id`, async (request) => {
    const { row, type } = requireShown(request);
    return toModelProvider(row, type);
  });

  app.delete(`${BASE}/:id`, async (request, reply) => {
    const revision = expectedRevision(request);
    providers.remove(requireShown(request).row.id, revision);
    return reply.code(204).send();
  });
}

/** Agent Stack's model provider API under `/api/v1/model_providers`, answering every failure as `{"detail": ...}`. */
export const agentStackSurface: Surface = {
  name: 'agentstack',
  prefix: '/api/v1/model_providers',
  failure: agentStackGenericFailure,
  answerError: agentStackAnswerError,
  internalError: AGENT_STACK_INTERNAL_ERROR,
  routes: registerAgentStackRoutes,
};
