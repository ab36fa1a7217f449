/**
 * The per-field diff of a changed provider: the dotted paths, as the file spells them, of every field an import
 * changes. Only paths leave this module, never values, so stored secrets are compared in memory and stay there.
 */
import { concurrencyOf, customOf, networkOf, parseJson, PROXY_PASSWORD_PATH, proxyOf, settingsOf } from '../service/codec.js';
import { headerSecretPath, networkValuesOf, PROXY_URL_SECRET_PATH, withoutNetworkValues } from '../service/network-secrets.js';
import { openProviderSecrets } from '../service/provider-writer.js';
import { mergeSecrets } from '../service/secret-fields.js';
import type { ProviderRow } from '../store/rows.js';
import { DESK_BLOCK, isObject, jsonPath, type JsonObject, type Path } from './format.js';
import type { ParsedProvider } from './parse.js';
import type { PlanContext } from './plan-context.js';
import type { KeyOps, KeyUpdate } from './plan-keys.js';
import type { ProviderTarget } from './plan-provider.js';
import { sameJson } from './state.js';

const MAX_DEPTH = 4;

/** Paths under `at` where `before` and `after` differ, descending into objects both sides have. */
function diffPaths(before: unknown, after: unknown, at: Path, out: string[], depth = 0): void {
  if (isObject(before) && isObject(after) && depth < MAX_DEPTH) {
    for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diffPaths(before[field], after[field], [...at, field], out, depth + 1);
    }
    return;
  }
  if (!sameJson(before ?? null, after ?? null)) out.push(jsonPath(at));
}

/** A provider's settings with their secrets, for comparison only (proxy and header secrets are fields of their own). */
function settingsWithSecrets(plain: JsonObject, secrets: Record<string, string>): JsonObject {
  const { [PROXY_PASSWORD_PATH]: _password, ...settingSecrets } = withoutNetworkValues(secrets);
  return mergeSecrets(plain, settingSecrets);
}

/** Sealed header values and proxy URL userinfo, which the stored blocks show as `<REDACTED>`, under their file paths. */
function sealedNetworkChanges(before: Record<string, string>, after: Record<string, string>, out: string[]): void {
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[path] === after[path]) continue;
    if (path === PROXY_URL_SECRET_PATH) out.push('proxy_config.url');
    else out.push(jsonPath(['network_config', 'extra_headers', path.slice(headerSecretPath('').length)]));
  }
}

function keyChanges(ctx: PlanContext, update: KeyUpdate, out: string[]): void {
  const { key, patch } = update;
  const at: Path = ['keys', key.name];
  const field = (name: string) => out.push(jsonPath([...at, name]));
  if (patch.name !== undefined) field('name');
  if (patch.value !== undefined) field('value');
  if (patch.enabled !== undefined && patch.enabled !== (key.enabled === 1)) field('enabled');
  if (patch.weight !== undefined && patch.weight !== key.weight) field('weight');
  if (patch.models !== undefined && !sameJson(patch.models, parseJson(key.models, []))) field('models');
  if (patch.blacklisted_models !== undefined && !sameJson(patch.blacklisted_models, parseJson(key.blacklisted_models, [])))
    field('blacklisted_models');
  if (patch.use_for_batch_api !== undefined && patch.use_for_batch_api !== (key.use_for_batch_api === 1)) field('use_for_batch_api');
  if (patch.key_config !== undefined) {
    const stored = ctx.storedKeyConfig(key);
    diffPaths(mergeSecrets(stored.plain ?? {}, stored.secrets), patch.key_config ?? {}, at, out);
  }
}

export interface ProviderChangeInput {
  row: ProviderRow;
  file: ParsedProvider;
  /** Undefined when the provider block had errors (then there is no plan to describe). */
  next: ProviderTarget | undefined;
  keys: KeyOps;
  extrasBefore: JsonObject | undefined;
  extrasAfter: JsonObject | undefined;
}

/** The changed fields of one stored provider, in file order: provider block, network, proxy, …, keys, kept extras. */
export function providerFieldChanges(ctx: PlanContext, change: ProviderChangeInput): string[] {
  const { row, file: p, next, keys } = change;
  const out: string[] = [];
  if (next) {
    if (row.display_name !== p.display_name) out.push(jsonPath([DESK_BLOCK, 'display_name']));
    if (row.description !== p.description) out.push(jsonPath([DESK_BLOCK, 'description']));
    if ((row.enabled === 1) !== p.enabled) out.push(jsonPath([DESK_BLOCK, 'enabled']));
    const secrets = openProviderSecrets(ctx.vault, row);
    diffPaths(
      settingsWithSecrets(settingsOf(row), secrets),
      mergeSecrets(next.settings, next.settingSecrets),
      [DESK_BLOCK, 'settings'],
      out,
    );
    if (row.base_url !== next.base_url) out.push('network_config.base_url');
    diffPaths(networkOf(row), next.network, ['network_config'], out);
    diffPaths(proxyOf(row), next.proxy, ['proxy_config'], out);
    sealedNetworkChanges(networkValuesOf(secrets), next.networkSecrets, out);
    if (secrets[PROXY_PASSWORD_PATH] !== next.proxyPassword) out.push('proxy_config.password');
    diffPaths(concurrencyOf(row), next.concurrency, ['concurrency_and_buffer_size'], out);
    diffPaths(customOf(row), parseJson(next.custom, null), ['custom_provider_config'], out);
    for (const flag of ['send_back_raw_request', 'send_back_raw_response', 'store_raw_request_response'] as const) {
      if ((row[flag] === 1) !== p[flag]) out.push(flag);
    }
  }
  for (const key of keys.removeKeys) out.push(jsonPath(['keys', key.name]));
  for (const update of keys.updateKeys) keyChanges(ctx, update, out);
  for (const add of keys.addKeys) out.push(jsonPath(['keys', add.input.name ?? String(add.path[add.path.length - 1])]));
  diffPaths(change.extrasBefore ?? {}, change.extrasAfter ?? {}, [], out);
  return [...new Set(out)];
}
