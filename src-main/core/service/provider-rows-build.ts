import { randomUUID } from 'node:crypto';
import { catalogEntry } from '../catalog/catalog.js';
import { DeskError } from '../contract/errors.js';
import type { ProviderCreateInput, ProviderPatch } from '../contract/provider-inputs.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import type { Vault } from '../vault/vault.js';
import { PROXY_DEFAULTS, concurrencyOf } from './codec.js';
import {
  applyNetwork,
  applyProxy,
  applySettings,
  finishProviderRow,
  initialNetwork,
  newKeyRow,
  normaliseCustom,
  openProviderSecrets,
  parseJson,
  proxyOf,
  resolveBaseUrl,
  settingsJson,
  settingsOf,
} from './provider-writer.js';
import { requestDestination } from './request-destination.js';

// Turns a create input or a patch into the provider row to store (secrets sealed, config hash computed), before any SQL.

/** The rows ProviderService.create() writes for `input`, stamped `now`; a draft check probes them unstored. */
export function buildNewProviderRows(
  vault: Vault,
  input: ProviderCreateInput,
  now: string,
): { row: Omit<ProviderRow, 'seq'>; keys: KeyRow[] } {
  const entry = catalogEntry(input.type);
  const id = randomUUID();
  const { plain, secrets } = applySettings(entry, {}, {}, input.settings);
  const proxy = applyProxy({ ...PROXY_DEFAULTS }, secrets, input.proxy_config);
  const network = initialNetwork(entry, input.network_config, secrets);
  const row = finishProviderRow(
    vault,
    {
      id,
      name: input.name,
      display_name: input.display_name ?? '',
      type: entry.id,
      base_url: resolveBaseUrl(entry, input.base_url, plain),
      enabled: input.enabled === false ? 0 : 1,
      description: input.description ?? '',
      settings: settingsJson(plain, secrets),
      network_config: JSON.stringify(network),
      proxy_config: JSON.stringify(proxy),
      concurrency: JSON.stringify(input.concurrency_and_buffer_size ?? concurrencyOf({ concurrency: '{}' } as ProviderRow)),
      custom_provider_config: normaliseCustom(input.custom_provider_config, null),
      send_back_raw_request: input.send_back_raw_request ? 1 : 0,
      send_back_raw_response: input.send_back_raw_response ? 1 : 0,
      store_raw_request_response: input.store_raw_request_response ? 1 : 0,
      health: 'untested',
      status: 'untested',
      state: 'unknown',
      last_check: null,
      models_status: 'none',
      models_error: null,
      revision: 1,
      created_at: now,
      updated_at: now,
    },
    secrets,
  );
  const keys: KeyRow[] = [];
  (input.api_keys ?? []).forEach((keyInput, index) => {
    try {
      keys.push(newKeyRow(vault, id, keyInput, keys, now));
    } catch (error) {
      if (error instanceof DeskError && error.fields) {
        throw new DeskError(error.code, error.message, {
          fields: error.fields.map((f) => ({ ...f, path: `api_keys[${index}].${f.path}` })),
        });
      }
      throw error;
    }
  });
  return { row, keys };
}

/**
 * The stored `row` with `patch` merged over it (blocks present in the patch over the stored ones; `null` clears a nullable
 * block), its revision bumped and stamped `updatedAt`; `moved` says whether where its requests go changed.
 */
export function patchedProviderRow(
  vault: Vault,
  row: ProviderRow,
  patch: ProviderPatch,
  updatedAt: () => string,
): { row: Omit<ProviderRow, 'seq'>; moved: boolean } {
  const entry = catalogEntry(row.type);
  const touchesSecrets =
    patch.settings !== undefined || patch.proxy_config !== undefined || patch.network_config?.extra_headers !== undefined;
  const previousSecrets = touchesSecrets ? openProviderSecrets(vault, row) : {};
  const { plain, secrets } = touchesSecrets
    ? applySettings(entry, settingsOf(row), previousSecrets, patch.settings)
    : { plain: settingsOf(row), secrets: {} };
  const proxy = applyProxy(proxyOf(row), secrets, patch.proxy_config);
  const base: Omit<ProviderRow, 'seq' | 'secrets' | 'config_hash'> = {
    ...row,
    name: patch.name ?? row.name,
    display_name: patch.display_name ?? row.display_name,
    base_url: patch.base_url !== undefined ? resolveBaseUrl(entry, patch.base_url, plain) : row.base_url,
    enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
    description: patch.description ?? row.description,
    network_config: JSON.stringify(applyNetwork(parseJson(row.network_config, {}), patch.network_config, secrets)),
    proxy_config: JSON.stringify(proxy),
    concurrency: patch.concurrency_and_buffer_size ? JSON.stringify(patch.concurrency_and_buffer_size) : row.concurrency,
    custom_provider_config: normaliseCustom(patch.custom_provider_config, row.custom_provider_config),
    send_back_raw_request: flag(patch.send_back_raw_request, row.send_back_raw_request),
    send_back_raw_response: flag(patch.send_back_raw_response, row.send_back_raw_response),
    store_raw_request_response: flag(patch.store_raw_request_response, row.store_raw_request_response),
    revision: row.revision + 1,
    updated_at: updatedAt(),
  };
  const finished = touchesSecrets
    ? finishProviderRow(vault, { ...base, settings: settingsJson(plain, secrets) }, secrets)
    : finishProviderRow(vault, base, row.secrets ? openProviderSecrets(vault, row) : {}, row.secrets);
  // Secrets not touched are the same on both sides; touched ones are compared opened (sealing is randomised).
  const moved = requestDestination(row, previousSecrets) !== requestDestination(finished, touchesSecrets ? secrets : previousSecrets);
  return { row: finished, moved };
}

function flag(value: boolean | undefined, previous: number): number {
  return value === undefined ? previous : value ? 1 : 0;
}
