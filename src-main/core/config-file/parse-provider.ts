/**
 * One entry of `providers`: our own block, the network/proxy/concurrency/custom blocks Bifrost defines, the flags,
 * and its keys. Fields Provider Desk does not model are kept as extras, so an import never loses a newer option.
 */
import type { z } from 'zod';
import { bifrostStandardBaseUrl, bifrostStandardType } from '../catalog/bifrost-standard.js';
import { catalogEntry, CATALOG_IDS, resolveTypeId } from '../catalog/catalog.js';
import {
  CONCURRENCY_DEFAULTS,
  ConcurrencyInput,
  CustomProviderConfigInput,
  ModelCurationBlock,
  NetworkConfigInput,
  ProxyConfigInput,
  type ConcurrencyAndBufferSize,
} from '../contract/config-schemas.js';
import { HttpUrl, NAME_MESSAGE, NAME_PATTERN } from '../contract/provider-inputs.js';
import {
  CONCURRENCY_FIELDS,
  CUSTOM_FIELDS,
  DESK_BLOCK,
  isObject,
  isSecretObject,
  MODELED_PROVIDER_FIELDS,
  NETWORK_FIELDS,
  PROXY_FIELDS,
  READ_ONLY_PROVIDER_FIELDS,
  secretString,
  STANDARD_PROVIDERS,
  type JsonObject,
  type Path,
} from './format.js';
import type { Collector } from './parse-collector.js';
import { parseKeys, type ParsedKey } from './parse-key.js';
import type { FileSpelling } from './state.js';

export interface ParsedProvider {
  name: string;
  path: Path;
  type: string;
  display_name: string;
  description: string;
  enabled: boolean;
  settings: JsonObject;
  /** '' when the file gives none and the name implies none (the catalog default applies). */
  base_url: string;
  /** The base URL and private-network switch as the file wrote them (absent when it did not). */
  spelling: FileSpelling;
  network: z.output<typeof NetworkConfigInput>;
  proxy: z.output<typeof ProxyConfigInput> | null;
  concurrency: ConcurrencyAndBufferSize;
  custom: z.output<typeof CustomProviderConfigInput> | null;
  send_back_raw_request: boolean;
  send_back_raw_response: boolean;
  store_raw_request_response: boolean;
  keys: ParsedKey[];
  /** The model curation our block carries (`provider_desk.models`), or null when it carries none (stored curation is then kept). */
  models: { disabled: string[]; custom: Array<{ id: string; display_name: string }> } | null;
  /** Fields Provider Desk does not model (newer Bifrost options), kept as an overlay and written back on export. */
  extras: JsonObject | null;
}

const DESK_FIELDS = ['type', 'display_name', 'description', 'enabled', 'settings', 'base_url', 'models'];

/** The type of the stored provider of that name, if there is one: a file may leave out what the store already knows. */
export type StoredType = (name: string) => string | undefined;

/** A valid provider, or undefined once its errors are reported (its keys are read either way, to report theirs too). */
export function parseProvider(
  c: Collector,
  name: string,
  value: unknown,
  storedType: StoredType = () => undefined,
): ParsedProvider | undefined {
  const path: Path = ['providers', name];
  const before = c.errors.length;
  if (!NAME_PATTERN.test(name) || name.length > 64) c.add(path, `is not a valid provider name: it ${NAME_MESSAGE}, at most 64 characters`);
  if (!isObject(value)) {
    c.add(path, 'must be an object');
    return undefined;
  }
  const extras: JsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (!MODELED_PROVIDER_FIELDS.has(key) && !READ_ONLY_PROVIDER_FIELDS.has(key)) extras[key] = field;
  }

  const desk = parseDeskBlock(c, value[DESK_BLOCK], [...path, DESK_BLOCK]);

  // network_config: base_url lives on the provider; fields we do not model are kept.
  const network = block(c, value.network_config, path, 'network_config') ?? {};
  const networkInput: JsonObject = {};
  const networkExtra: JsonObject = {};
  let baseUrlValue: unknown;
  for (const [field, raw] of Object.entries(network)) {
    if (!NETWORK_FIELDS.has(field)) {
      networkExtra[field] = raw;
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const fieldValue = (field === 'base_url' || field === 'ca_cert_pem') && isSecretObject(raw) ? secretString(raw) : raw;
    if (field === 'base_url') baseUrlValue = fieldValue;
    else networkInput[field] = fieldValue;
  }
  // A vLLM server's URL has no place in Bifrost's network_config (its schema forbids it there): our export keeps a
  // non-default one in our own block, and reads it back from there.
  const inNetwork = baseUrlValue !== undefined && baseUrlValue !== '';
  const givenBaseUrl = inNetwork ? baseUrlValue : desk.base_url;
  let baseUrl = '';
  if (givenBaseUrl !== undefined && givenBaseUrl !== '') {
    const url = c.parseRepeated(HttpUrl, givenBaseUrl, path, inNetwork ? 'network_config' : DESK_BLOCK, 'base_url');
    if (url !== undefined) baseUrl = url;
  }
  const parsedNetwork =
    Object.keys(networkInput).length === 0 ? {} : c.parseRepeated(NetworkConfigInput, networkInput, path, 'network_config');

  const concurrencyBlock = block(c, value.concurrency_and_buffer_size, path, 'concurrency_and_buffer_size');
  const { modeled: concurrencyKnown, unknown: concurrencyExtra } = split(concurrencyBlock ?? {}, CONCURRENCY_FIELDS);
  const concurrency = concurrencyBlock
    ? c.parseRepeated(ConcurrencyInput, { ...CONCURRENCY_DEFAULTS, ...dropNulls(concurrencyKnown) }, path, 'concurrency_and_buffer_size')
    : CONCURRENCY_DEFAULTS;

  const proxyBlock = block(c, value.proxy_config, path, 'proxy_config');
  const { modeled: proxyKnown, unknown: proxyExtra } = split(proxyBlock ?? {}, PROXY_FIELDS);
  const proxy = proxyBlock
    ? c.parse(ProxyConfigInput, dropNulls(unwrapSecrets(proxyKnown, ['password', 'url', 'username', 'ca_cert_pem'])), path, 'proxy_config')
    : null;

  // Every allowed_requests flag is modeled, a newer one too: it is stored and written back as the file gave it.
  const customBlock = block(c, value.custom_provider_config, path, 'custom_provider_config');
  const { modeled: customKnown, unknown: customExtra } = split(customBlock ?? {}, CUSTOM_FIELDS);
  const custom = customBlock ? c.parseRepeated(CustomProviderConfigInput, customKnown, path, 'custom_provider_config') : null;

  const flags = {
    send_back_raw_request: c.boolean(value.send_back_raw_request, path, 'send_back_raw_request') ?? false,
    send_back_raw_response: c.boolean(value.send_back_raw_response, path, 'send_back_raw_response') ?? false,
    store_raw_request_response: c.boolean(value.store_raw_request_response, path, 'store_raw_request_response') ?? false,
  };

  const type = resolveType(c, name, path, desk.type, customBlock, custom, storedType);

  const customExtras = nonEmpty(customExtra);
  const blockExtras: JsonObject = {
    ...extras,
    ...(nonEmpty(networkExtra) ? { network_config: networkExtra } : {}),
    ...(nonEmpty(concurrencyExtra) ? { concurrency_and_buffer_size: concurrencyExtra } : {}),
    ...(nonEmpty(proxyExtra) ? { proxy_config: proxyExtra } : {}),
    ...(customExtras ? { custom_provider_config: customExtras } : {}),
  };

  const keyless = type !== undefined && (!catalogEntry(type).keyRequired || custom?.is_key_less === true);
  // A key the export rewrote for Bifrost (models turned off) gets back its own lists from our block.
  const keys = parseKeys(c, value.keys, path, keyless, type).map((key) => {
    const own = key.name !== undefined ? desk.models?.key_lists?.[key.name] : undefined;
    return own ? { ...key, models: own.models, blacklisted_models: own.blacklisted_models } : key;
  });

  if (c.errors.length > before || type === undefined || !parsedNetwork || !concurrency || proxy === undefined || custom === undefined)
    return undefined;
  return {
    name,
    path,
    type,
    display_name: desk.display_name ?? '',
    description: desk.description ?? '',
    enabled: desk.enabled ?? true,
    settings: desk.settings ?? {},
    // A name Bifrost knows implies its service's URL, as in Bifrost.
    base_url: baseUrl || bifrostStandardBaseUrl(name, type) || '',
    spelling: fileSpelling(givenBaseUrl, baseUrl, network.allow_private_network),
    network: parsedNetwork,
    proxy,
    concurrency,
    custom,
    ...flags,
    keys,
    models: desk.models
      ? {
          disabled: desk.models.disabled ?? [],
          custom: (desk.models.custom ?? []).map((m) => ({ id: m.id, display_name: m.display_name ?? '' })),
        }
      : null,
    extras: nonEmpty(blockExtras) ?? null,
  };
}

/** Our own block: type, display_name, description, enabled, settings — nothing else. */
function parseDeskBlock(
  c: Collector,
  value: unknown,
  path: Path,
): {
  type?: string | undefined;
  display_name?: string | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
  settings?: JsonObject;
  base_url?: string | undefined;
  models?: ModelCurationBlock | undefined;
} {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    c.add(path, 'must be an object');
    return {};
  }
  for (const field in value)
    if (!DESK_FIELDS.includes(field)) c.add([...path, field], `is not a field of ${DESK_BLOCK} (${DESK_FIELDS.join(', ')})`);
  const settings = value.settings;
  if (settings !== undefined && !isObject(settings)) c.add([...path, 'settings'], 'must be an object');
  return {
    type: c.string(value.type, path, 'type', 1, 100),
    display_name: c.string(value.display_name, path, 'display_name', 0, 200),
    description: c.string(value.description, path, 'description', 0, 4000),
    enabled: c.boolean(value.enabled, path, 'enabled'),
    base_url: c.string(value.base_url, path, 'base_url', 0, 2083),
    ...(isObject(settings) ? { settings } : {}),
    ...(value.models !== undefined ? { models: c.parse(ModelCurationBlock, value.models, path, 'models') } : {}),
  };
}

/** The file's own spelling of the fields an export writes back as they were (see FileSpelling). */
function fileSpelling(given: unknown, parsed: string, allowPrivate: unknown): FileSpelling {
  return {
    ...(typeof given === 'string' && parsed !== '' ? { base_url: given } : {}),
    ...(typeof allowPrivate === 'boolean' ? { allow_private_network: allowPrivate } : {}),
  };
}

function dropNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in value) if (value[key] !== null && value[key] !== undefined) out[key] = value[key];
  return out;
}

/**
 * Standard names are their catalog type; other names need a base_provider_type, or our explicit `provider_desk.type`,
 * unless a provider of that name is stored already: it keeps its type (a hand-edited Bifrost file rarely repeats it).
 */
function resolveType(
  c: Collector,
  name: string,
  path: Path,
  explicit: string | undefined,
  customBlock: JsonObject | undefined,
  custom: z.output<typeof CustomProviderConfigInput> | null | undefined,
  storedType: StoredType,
): string | undefined {
  if (explicit !== undefined) {
    const id = resolveTypeId(explicit);
    if (!id) c.add([...path, DESK_BLOCK, 'type'], `must be one of ${CATALOG_IDS.join(', ')}`);
    return id;
  }
  if (STANDARD_PROVIDERS.has(name)) return bifrostStandardType(name);
  if (custom) return bifrostStandardType(custom.base_provider_type) ?? custom.base_provider_type;
  const stored = customBlock ? undefined : storedType(name);
  if (stored !== undefined) return stored;
  if (!customBlock) {
    c.add(
      [...path, 'custom_provider_config', 'base_provider_type'],
      `is required: "${name}" is not a standard Bifrost provider name, so custom_provider_config.base_provider_type (or ${DESK_BLOCK}.type) must say what it is`,
    );
  }
  return undefined;
}

/** Splits an object into the fields we model and the rest (kept as extras). */
function split(value: JsonObject, known: ReadonlySet<string>): { modeled: JsonObject; unknown: JsonObject } {
  const modeled: JsonObject = {};
  const unknown: JsonObject = {};
  for (const [key, field] of Object.entries(value)) (known.has(key) ? modeled : unknown)[key] = field;
  return { modeled, unknown };
}

function nonEmpty(value: JsonObject): JsonObject | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/** An optional object block: undefined/null → undefined; anything but an object is an error. */
function block(c: Collector, value: unknown, path: Path, field: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    c.add([...path, field], 'must be an object');
    return undefined;
  }
  return value;
}

/** Secrets inside blocks may be written as Bifrost secret objects; read them as strings. */
function unwrapSecrets(value: JsonObject, fields: readonly string[]): JsonObject {
  const out = { ...value };
  for (const field of fields) if (isSecretObject(out[field])) out[field] = secretString(out[field]);
  return out;
}
