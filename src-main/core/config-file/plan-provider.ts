/**
 * The provider side of the diff: the patch the file asks for, and whether it changes anything stored. The desired
 * state is computed with the service's own writer functions, so "unchanged" means exactly what an update would write.
 */
import { catalogEntry } from '../catalog/catalog.js';
import { NETWORK_DEFAULTS } from '../contract/config-schemas.js';
import { DeskError } from '../contract/errors.js';
import type { ProviderPatch } from '../contract/provider-inputs.js';
import {
  concurrencyOf,
  networkOf,
  PROXY_PASSWORD_PATH,
  providerConfigHash,
  proxyOf,
  settingsOf,
  type StoredProxy,
} from '../service/codec.js';
import { secretFingerprints } from '../service/provider-writer.js';
import {
  headersMissingSecrets,
  networkValuesOf,
  PROXY_URL_SECRET_PATH,
  proxyUrlKeepsSecret,
  sealHeaders,
  withoutNetworkValues,
} from '../service/network-secrets.js';
import {
  applyProxy,
  applySettings,
  normaliseCustom,
  openProviderSecrets,
  resolveBaseUrl,
  settingSecretNames,
} from '../service/provider-writer.js';
import { SECRET_LIST_KEY } from '../service/secret-fields.js';
import type { ProviderRow } from '../store/rows.js';
import { DESK_BLOCK, isObject, REDACTED, type JsonObject } from './format.js';
import type { ParsedProvider } from './parse.js';
import type { PlanContext } from './plan-context.js';
import { sameJson } from './state.js';

export interface DesiredProvider {
  patch: ProviderPatch;
  changed: boolean;
  /** What a stored provider would hold after the update (the import's field diff and destination check read it). */
  next?: ProviderTarget;
}

/** A stored provider's configuration after the update, as the service would write it; secrets in memory only. */
export interface ProviderTarget {
  base_url: string;
  network: JsonObject;
  proxy: StoredProxy;
  proxyPassword: string | undefined;
  settings: JsonObject;
  settingSecrets: Record<string, string>;
  /** Sealed values of the network and proxy blocks (header values, proxy URL userinfo) by their secret path. */
  networkSecrets: Record<string, string>;
  custom: string | null;
  concurrency: ParsedProvider['concurrency'];
}

/** The provider as the file wants it; undefined once its errors are reported in `ctx`. */
export function desiredProvider(ctx: PlanContext, p: ParsedProvider, row: ProviderRow | undefined): DesiredProvider | undefined {
  if (!row) return newProvider(ctx, p);
  const entry = catalogEntry(p.type);
  const before = ctx.errors.length;
  const previousSecrets = openProviderSecrets(ctx.vault, row);
  const previousPlain = settingsOf(row);

  ctx.requireKept(p.settings, [...p.path, DESK_BLOCK, 'settings'], previousSecrets, settingSecretNames(entry));
  // The file is the whole settings block: fields it leaves out are removed.
  const settingsPatch: JsonObject = { ...p.settings };
  for (const field of Object.keys(previousPlain)) if (field !== SECRET_LIST_KEY && !(field in settingsPatch)) settingsPatch[field] = null;
  for (const field of Object.keys(previousSecrets)) {
    if (field !== PROXY_PASSWORD_PATH && !field.includes('.') && !(field in settingsPatch)) settingsPatch[field] = null;
  }
  const { plain, secrets } = applySettings(entry, previousPlain, previousSecrets, settingsPatch);

  let proxyPatch: ProviderPatch['proxy_config'] = null;
  const previousProxy = proxyOf(row);
  if (p.proxy) {
    proxyPatch = {
      type: p.proxy.type ?? (p.proxy.url ? 'http' : 'none'),
      url: p.proxy.url ?? '',
      username: p.proxy.username ?? '',
      password: p.proxy.password ?? '',
      ca_cert_pem: p.proxy.ca_cert_pem ?? '',
    };
    if (proxyPatch.password === REDACTED && previousSecrets[PROXY_PASSWORD_PATH] === undefined)
      ctx.missing([...p.path, 'proxy_config', 'password']);
    if (proxyPatch.ca_cert_pem === REDACTED && !previousProxy.ca_cert_pem) ctx.missing([...p.path, 'proxy_config', 'ca_cert_pem']);
  }
  const urlNothingToKeep = !!proxyPatch?.url && proxyUrlKeepsSecret(proxyPatch.url) && previousSecrets[PROXY_URL_SECRET_PATH] === undefined;
  if (urlNothingToKeep) ctx.missing([...p.path, 'proxy_config', 'url']);
  const proxy = urlNothingToKeep ? previousProxy : applyProxy(previousProxy, secrets, proxyPatch);

  const previousNetwork = networkOf(row);
  const network: JsonObject = { ...NETWORK_DEFAULTS, allow_private_network: entry.local };
  for (const [field, value] of Object.entries(p.network)) if (value !== undefined) network[field] = value;
  const networkPatch = { ...network } as ProviderPatch['network_config'];
  if (network.ca_cert_pem === REDACTED) {
    if (!previousNetwork.ca_cert_pem) ctx.missing([...p.path, 'network_config', 'ca_cert_pem']);
    network.ca_cert_pem = previousNetwork.ca_cert_pem ?? '';
  }
  // Stored as the service stores it: secret header values sealed, `<REDACTED>` in the block.
  const sealedHeaders = sealHeaders(network.extra_headers as Record<string, string>, secrets);
  for (const name of sealedHeaders.missing) ctx.missing([...p.path, 'network_config', 'extra_headers', name]);
  network.extra_headers = sealedHeaders.headers;

  let baseUrl = '';
  try {
    baseUrl = resolveBaseUrl(entry, p.base_url || undefined, plain);
  } catch (error) {
    if (!(error instanceof DeskError)) throw error;
    ctx.error([...p.path, 'network_config', 'base_url'], error.fields?.[0]?.message ?? error.message);
  }
  if (ctx.errors.length > before) return undefined;

  const { [PROXY_PASSWORD_PATH]: proxyPassword, ...settingSecrets } = withoutNetworkValues(secrets);
  const patch: ProviderPatch = {
    display_name: p.display_name,
    description: p.description,
    enabled: p.enabled,
    base_url: p.base_url,
    settings: settingsPatch,
    network_config: networkPatch,
    proxy_config: proxyPatch,
    concurrency_and_buffer_size: p.concurrency,
    custom_provider_config: p.custom,
    send_back_raw_request: p.send_back_raw_request,
    send_back_raw_response: p.send_back_raw_response,
    store_raw_request_response: p.store_raw_request_response,
  };

  // Bifrost's config hash covers name, base URL and the config blocks; the rest is compared field by field.
  const custom = normaliseCustom(p.custom, null);
  const hash = providerConfigHash(
    {
      name: p.name,
      base_url: baseUrl,
      network_config: JSON.stringify(network),
      proxy_config: JSON.stringify(proxy),
      concurrency: JSON.stringify(p.concurrency),
      custom_provider_config: custom,
      send_back_raw_request: p.send_back_raw_request ? 1 : 0,
      send_back_raw_response: p.send_back_raw_response ? 1 : 0,
      store_raw_request_response: p.store_raw_request_response ? 1 : 0,
    },
    secretFingerprints(ctx.vault, secrets),
  );
  const changed =
    row.config_hash !== hash ||
    row.display_name !== p.display_name ||
    row.description !== p.description ||
    (row.enabled === 1) !== p.enabled ||
    row.base_url !== baseUrl ||
    !sameJson(withoutList(previousPlain), plain) ||
    !sameJson(withoutProxy(previousSecrets), settingSecrets) ||
    previousSecrets[PROXY_PASSWORD_PATH] !== proxyPassword ||
    !sameJson(networkValuesOf(previousSecrets), networkValuesOf(secrets)) ||
    !sameJson(previousProxy, proxy) ||
    !sameJson(previousNetwork, network) ||
    !sameJson(concurrencyOf(row), p.concurrency);
  const next: ProviderTarget = {
    base_url: baseUrl,
    network,
    proxy,
    proxyPassword,
    settings: plain,
    settingSecrets,
    networkSecrets: networkValuesOf(secrets),
    custom,
    concurrency: p.concurrency,
  };
  return { patch, changed, next };
}

/**
 * A provider the store does not have: nothing can be kept, so only the checks the service would fail later
 * (a `<REDACTED>` secret, a missing base URL) run here; the service builds the row itself.
 */
function newProvider(ctx: PlanContext, p: ParsedProvider): DesiredProvider | undefined {
  const entry = catalogEntry(p.type);
  const before = ctx.errors.length;
  for (const [field, value] of Object.entries(p.settings)) {
    const at = [...p.path, DESK_BLOCK, 'settings', field];
    if (value === REDACTED) ctx.missing(at);
    if (isObject(value)) for (const [inner, innerValue] of Object.entries(value)) if (innerValue === REDACTED) ctx.missing([...at, inner]);
  }
  const proxy = p.proxy
    ? {
        type: p.proxy.type ?? (p.proxy.url ? 'http' : 'none'),
        url: p.proxy.url ?? '',
        username: p.proxy.username ?? '',
        password: p.proxy.password ?? '',
        ca_cert_pem: p.proxy.ca_cert_pem ?? '',
      }
    : null;
  if (proxy?.password === REDACTED) ctx.missing([...p.path, 'proxy_config', 'password']);
  if (proxy?.ca_cert_pem === REDACTED) ctx.missing([...p.path, 'proxy_config', 'ca_cert_pem']);
  if (p.network.ca_cert_pem === REDACTED) ctx.missing([...p.path, 'network_config', 'ca_cert_pem']);
  if (proxy && proxyUrlKeepsSecret(proxy.url)) ctx.missing([...p.path, 'proxy_config', 'url']);
  for (const name of headersMissingSecrets(p.network.extra_headers ?? {}, {}))
    ctx.missing([...p.path, 'network_config', 'extra_headers', name]);
  try {
    resolveBaseUrl(entry, p.base_url || undefined, p.settings);
  } catch (error) {
    if (!(error instanceof DeskError)) throw error;
    ctx.error([...p.path, 'network_config', 'base_url'], error.fields?.[0]?.message ?? error.message);
  }
  if (ctx.errors.length > before) return undefined;
  return {
    changed: true,
    patch: {
      display_name: p.display_name,
      description: p.description,
      enabled: p.enabled,
      base_url: p.base_url,
      settings: p.settings,
      // The service fills the defaults (allow_private_network from the catalog) exactly as for an update.
      network_config: p.network,
      proxy_config: proxy as ProviderPatch['proxy_config'],
      concurrency_and_buffer_size: p.concurrency,
      custom_provider_config: p.custom,
      send_back_raw_request: p.send_back_raw_request,
      send_back_raw_response: p.send_back_raw_response,
      store_raw_request_response: p.store_raw_request_response,
    },
  };
}

function withoutList(settings: JsonObject): JsonObject {
  const { [SECRET_LIST_KEY]: _list, ...rest } = settings;
  return rest;
}

function withoutProxy(secrets: Record<string, string>): Record<string, string> {
  const { [PROXY_PASSWORD_PATH]: _password, ...rest } = withoutNetworkValues(secrets);
  return rest;
}
