import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatPath } from '../../contract/errors.js';
import type { Provider } from '../../contract/domain-schemas.js';
import type { KeyRecord } from '../../service/provider-service.js';
import type { SurfaceDeps } from './deps.js';
import type { Surface } from './plugin.js';
import { BIFROST_INTERNAL_ERROR, BifrostError, bifrostAnswerError, bifrostGenericFailure } from './bifrost/errors.js';
import { baseProviderOf, checkTypedConfig, valueMayBeEmpty } from './bifrost/key-rules.js';
import {
  BifrostKeyCreate,
  BifrostKeyPatch,
  checkModelList,
  keyConfigFromBody,
  parseKeyBody,
  sentBlocks,
  toBifrostKey,
  typedBlocksAfter,
  valueForCreate,
  valueForUpdate,
  valueWillBeEmpty,
} from './bifrost/keys.js';
import { registerBifrostListings } from './bifrost/listing-routes.js';
import {
  baseUrlForNew,
  checkConcurrency,
  checkCustomCreate,
  checkCustomUpdate,
  checkName,
  checkNetwork,
  checkProxy,
  completeNetwork,
  KEYS_REJECTED,
  parseProviderBody,
  typeForNew,
} from './bifrost/provider-input.js';
import { absentProviderResponse, toProviderResponse } from './bifrost/provider-view.js';
import { keyListing, providerListing } from './bifrost/status.js';
import { IF_MATCH_MALFORMED, IF_MATCH_ON_CREATE, readIfMatch } from './if-match.js';

type Params = { provider: string; key_id: string };

const PROVIDERS = '/bifrost/api/providers';

/** Bifrost's answer to a second refresh of a provider while one runs (its ErrRefreshInProgress). */
const REFRESH_IN_PROGRESS = 'model refresh already in progress for this provider';

function zodMessage(prefix: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): BifrostError {
  const issue = issues[0];
  const path = formatPath(issue?.path ?? []);
  return new BifrostError(400, `${prefix}: ${path ? `${path} ` : ''}${issue?.message ?? 'is invalid'}`);
}

/**
 * Bifrost's provider management API (see ../shared/specs/bifrost.md and docs/peers/bifrost.md), mounted under
 * /bifrost: a thin mapper over the provider and health services. Providers are addressed by name; errors use
 * Bifrost's body.
 */
function registerBifrostRoutes(app: FastifyInstance, desk: SurfaceDeps): void {
  const { providers, health } = desk;
  /** Providers whose keys are being re-checked by refresh-models (Bifrost collapses repeated presses into a 409). */
  const refreshing = new Set<string>();

  const byName = (name: string): Provider | undefined => providers.findByName(name);
  const requireProvider = (name: string): Provider => {
    const row = byName(name);
    if (!row) throw new BifrostError(404, `Provider not found: ${name}`);
    return row;
  };
  /** A key by id, else by name (an id wins over another key's equal name). */
  const requireKey = (row: Pick<Provider, 'id'>, keyId: string): KeyRecord => {
    const records = providers.keyRecordsOf(row.id);
    const key = records.find((k) => k.key.id === keyId) ?? records.find((k) => k.key.name === keyId);
    if (!key) throw new BifrostError(404, `Provider key not found: ${keyId}`);
    return key;
  };
  /** A provider shown with its discovery outcome, read from its keys' last checks. */
  const providerView = (row: Provider) => toProviderResponse(row, providerListing(row));
  const keyView = (key: KeyRecord) => toBifrostKey(key, keyListing(key.key));
  const keysOf = (row: Pick<Provider, 'id'>) => {
    const keys = providers.keyRecordsOf(row.id).map(keyView);
    return { keys, total: keys.length };
  };
  const params = (request: FastifyRequest) => request.params as Params;
  /** The revision If-Match names (undefined without one); a header that is no ETag of ours is a 400. */
  const expectedRevision = (request: FastifyRequest): number | undefined => {
    const ifMatch = readIfMatch(request);
    if (ifMatch.kind === 'malformed') throw new BifrostError(400, IF_MATCH_MALFORMED);
    return ifMatch.kind === 'revision' ? ifMatch.revision : undefined;
  };
  /** Re-checks the provider's enabled keys (one of them with `keyId`): each key's status is its own listing's outcome. */
  const recheck = async (row: Provider, keyId?: string): Promise<void> => {
    if (refreshing.has(row.id)) throw new BifrostError(409, REFRESH_IN_PROGRESS);
    refreshing.add(row.id);
    try {
      await health.test(row.id, keyId ? { keyId } : {});
    } finally {
      refreshing.delete(row.id);
    }
  };

  app.get(PROVIDERS, async () => {
    const list = providers.allProviders().map(providerView);
    return { providers: list, total: list.length };
  });

  app.get(`${PROVIDERS}/:provider`, async (request) => providerView(requireProvider(params(request).provider)));

  app.post(PROVIDERS, async (request) => {
    if (expectedRevision(request) !== undefined) throw new BifrostError(412, IF_MATCH_ON_CREATE);
    const body = parseProviderBody(request.body);
    const name = checkName(body.provider);
    const custom = body.custom_provider_config ? checkCustomCreate(name, body.custom_provider_config) : null;
    const concurrency = body.concurrency_and_buffer_size ? checkConcurrency(body.concurrency_and_buffer_size) : undefined;
    const { baseUrl, network } = checkNetwork(body.network_config);
    const proxy = body.proxy_config ? checkProxy(body.proxy_config) : undefined;
    if (byName(name)) throw new BifrostError(409, `Provider ${name} already exists`);
    const type = typeForNew(name, custom);
    const base_url = baseUrlForNew(name, type, baseUrl);
    const row = providers.create({
      name,
      type,
      ...(base_url ? { base_url } : {}),
      network_config: network,
      ...(proxy ? { proxy_config: proxy } : {}),
      ...(concurrency ? { concurrency_and_buffer_size: concurrency } : {}),
      custom_provider_config: custom,
      send_back_raw_request: body.send_back_raw_request === true,
      send_back_raw_response: body.send_back_raw_response === true,
      store_raw_request_response: body.store_raw_request_response === true,
    });
    return providerView(row);
  });

  // Upsert. Bifrost's PUT carries the whole provider: the network block is replaced (defaults for what is left out),
  // proxy and custom blocks change only when present (null clears), keys are managed on their own routes.
  app.put(`${PROVIDERS}/:provider`, async (request) => {
    const revision = expectedRevision(request);
    const name = checkName(params(request).provider);
    const body = parseProviderBody(request.body);
    if (body.keys && body.keys.length > 0) throw new BifrostError(400, KEYS_REJECTED);
    const concurrency = checkConcurrency(body.concurrency_and_buffer_size);
    const { baseUrl, network } = checkNetwork(body.network_config);
    const proxy = body.present.has('proxy_config') ? (body.proxy_config ? checkProxy(body.proxy_config) : null) : undefined;
    const flags = {
      ...(typeof body.send_back_raw_request === 'boolean' ? { send_back_raw_request: body.send_back_raw_request } : {}),
      ...(typeof body.send_back_raw_response === 'boolean' ? { send_back_raw_response: body.send_back_raw_response } : {}),
      ...(typeof body.store_raw_request_response === 'boolean' ? { store_raw_request_response: body.store_raw_request_response } : {}),
    };
    const existing = byName(name);
    if (!existing) {
      if (revision !== undefined) throw new BifrostError(412, IF_MATCH_ON_CREATE);
      const custom = body.custom_provider_config ? checkCustomCreate(name, body.custom_provider_config) : null;
      const type = typeForNew(name, custom);
      const base_url = baseUrlForNew(name, type, baseUrl);
      const created = providers.create({
        name,
        type,
        ...(base_url ? { base_url } : {}),
        network_config: network,
        ...(proxy ? { proxy_config: proxy } : {}),
        concurrency_and_buffer_size: concurrency,
        custom_provider_config: custom,
        ...flags,
      });
      return providerView(created);
    }
    providers.checkRevision(existing, revision);
    const custom = body.present.has('custom_provider_config')
      ? checkCustomUpdate(existing, body.custom_provider_config ?? null)
      : undefined;
    // Written only if the provider is still as read (its type and custom block shaped the patch): a race is a conflict.
    const row = providers.update(
      existing.id,
      {
        base_url: baseUrl,
        network_config: completeNetwork(network, existing.type),
        concurrency_and_buffer_size: concurrency,
        ...(proxy !== undefined ? { proxy_config: proxy } : {}),
        ...(custom !== undefined ? { custom_provider_config: custom } : {}),
        ...flags,
      },
      revision ?? existing.revision,
    );
    return providerView(row);
  });

  // Answers the provider as it was (its OpenAPI response is a ProviderResponse), marked deleted; an absent name is
  // still a 200, with Bifrost's zero-valued body.
  app.delete(`${PROVIDERS}/:provider`, async (request) => {
    const { provider: name } = params(request);
    const revision = expectedRevision(request);
    const row = byName(name);
    if (!row) return absentProviderResponse(name);
    // Shown as it was when it was removed (remove answers the provider it deleted).
    return { ...providerView(providers.remove(row.id, revision)), provider_status: 'deleted' };
  });

  // --- keys ---------------------------------------------------------------------
  app.get(`${PROVIDERS}/:provider/keys`, async (request) => keysOf(requireProvider(params(request).provider)));

  app.get(`${PROVIDERS}/:provider/keys/:key_id`, async (request) => {
    const { provider, key_id: keyId } = params(request);
    return keyView(requireKey(requireProvider(provider), keyId));
  });

  app.post(`${PROVIDERS}/:provider/keys`, async (request) => {
    const revision = expectedRevision(request);
    const body = parseKeyBody(request.body);
    const row = requireProvider(params(request).provider);
    if (row.custom_provider_config?.is_key_less) throw new BifrostError(400, 'Cannot add keys to a keyless provider');
    const value = valueForCreate(body.value, valueMayBeEmpty(row));
    const keyConfig = keyConfigFromBody(body, null, {});
    checkTypedConfig(baseProviderOf(row), typedBlocksAfter(keyConfig, null), value === '', sentBlocks(body));
    const input = BifrostKeyCreate.safeParse({
      ...(body.id ? { id: body.id } : {}),
      ...(body.name ? { name: body.name } : {}),
      value,
      ...(typeof body.enabled === 'boolean' ? { enabled: body.enabled } : {}),
      ...(typeof body.weight === 'number' ? { weight: body.weight } : {}),
      ...(body.models ? { models: checkModelList('models', body.models) } : {}),
      ...(body.blacklisted_models ? { blacklisted_models: checkModelList('blacklisted_models', body.blacklisted_models) } : {}),
      ...(typeof body.use_for_batch_api === 'boolean' ? { use_for_batch_api: body.use_for_batch_api } : {}),
      key_config: keyConfig ?? null,
    });
    if (!input.success) throw zodMessage('Invalid key', input.error.issues);
    const created = providers.addKey(row.id, input.data, revision);
    return keyView(requireKey(row, created.id));
  });

  app.put(`${PROVIDERS}/:provider/keys/:key_id`, async (request) => {
    const revision = expectedRevision(request);
    const body = parseKeyBody(request.body);
    const { provider, key_id: keyId } = params(request);
    const row = requireProvider(provider);
    if (row.custom_provider_config?.is_key_less) throw new BifrostError(400, 'Cannot update keys on a keyless provider');
    const current = requireKey(row, keyId);
    const value = valueForUpdate(body.value, body.present.has('value'), current, valueMayBeEmpty(row));
    const keyConfig = keyConfigFromBody(body, current, current.configMasks);
    const blocks = typedBlocksAfter(keyConfig, current);
    checkTypedConfig(baseProviderOf(row), blocks, valueWillBeEmpty(value, current), sentBlocks(body));
    const patch = BifrostKeyPatch.safeParse({
      ...(body.name ? { name: body.name } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(typeof body.enabled === 'boolean' ? { enabled: body.enabled } : {}),
      ...(typeof body.weight === 'number' ? { weight: body.weight } : {}),
      ...(body.models ? { models: checkModelList('models', body.models) } : {}),
      ...(body.blacklisted_models ? { blacklisted_models: checkModelList('blacklisted_models', body.blacklisted_models) } : {}),
      ...(typeof body.use_for_batch_api === 'boolean' ? { use_for_batch_api: body.use_for_batch_api } : {}),
      ...(keyConfig !== undefined ? { key_config: keyConfig } : {}),
    });
    if (!patch.success) throw zodMessage('Invalid key', patch.error.issues);
    // Written only if the provider is still as read (the patch was checked against this key): a race is a conflict.
    providers.updateKey(row.id, current.key.id, patch.data, revision ?? row.revision);
    return keyView(requireKey(row, current.key.id));
  });

  app.delete(`${PROVIDERS}/:provider/keys/:key_id`, async (request) => {
    const { provider, key_id: keyId } = params(request);
    const revision = expectedRevision(request);
    const row = requireProvider(provider);
    if (row.custom_provider_config?.is_key_less) throw new BifrostError(400, 'Cannot delete keys on a keyless provider');
    const key = requireKey(row, keyId);
    // Shown as it was read; removed only if the provider is still at that revision (else a conflict).
    const shown = keyView(key);
    providers.removeKey(row.id, key.key.id, revision ?? row.revision);
    return shown;
  });

  // Re-runs model discovery for every enabled key and answers the keys read back afterwards, each with its own
  // status (success / list_models_failed) and description, as Bifrost does.
  app.post(`${PROVIDERS}/:provider/refresh-models`, async (request) => {
    const revision = expectedRevision(request);
    const row = requireProvider(params(request).provider);
    // A refresh rewrites the provider's models and status: with If-Match, only the provider as the caller last read it.
    providers.checkRevision(row, revision);
    await recheck(row);
    return keysOf(providers.get(row.id));
  });

  app.post(`${PROVIDERS}/:provider/keys/:key_id/refresh-models`, async (request) => {
    const revision = expectedRevision(request);
    const { provider, key_id: keyId } = params(request);
    const row = requireProvider(provider);
    const key = requireKey(row, keyId);
    providers.checkRevision(row, revision);
    await recheck(row, key.key.id);
    return keyView(requireKey(providers.get(row.id), key.key.id));
  });

  registerBifrostListings(app, desk);
}

/** Bifrost's provider management API under `/bifrost`, answering every failure as Bifrost's BifrostError body. */
export const bifrostSurface: Surface = {
  name: 'bifrost',
  prefix: '/bifrost',
  failure: bifrostGenericFailure,
  answerError: bifrostAnswerError,
  internalError: BIFROST_INTERNAL_ERROR,
  routes: registerBifrostRoutes,
};
