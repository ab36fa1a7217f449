/**
 * Reads a config.json document into what Provider Desk stores, without touching the store:
 * every invalid field is reported with its JSON path, and nothing stops at the first error.
 */
import { z } from 'zod';
import { catalogEntry, CATALOG_IDS, resolveTypeId } from '../catalog/catalog.js';
import {
  CONCURRENCY_DEFAULTS,
  ConcurrencyInput,
  CustomProviderConfigInput,
  NetworkConfigInput,
  ProxyConfigInput,
  REQUEST_TYPES,
  type ConcurrencyAndBufferSize,
} from '../contract/config-schemas.js';
import type { FieldError } from '../contract/errors.js';
import { HttpUrl, NAME_MESSAGE, NAME_PATTERN } from '../contract/provider-inputs.js';
import { isSecretFieldName } from '../service/secret-fields.js';
import {
  CONCURRENCY_FIELDS,
  CORE_KEY_FIELDS,
  CUSTOM_FIELDS,
  DESK_BLOCK,
  isEnvRef,
  isKeepMarker,
  isObject,
  isSecretObject,
  jsonPath,
  MODELED_PROVIDER_FIELDS,
  NETWORK_FIELDS,
  PROXY_FIELDS,
  READ_ONLY_KEY_FIELDS,
  READ_ONLY_PROVIDER_FIELDS,
  REDACTED,
  secretString,
  STANDARD_PROVIDERS,
  type JsonObject,
} from './format.js';

type Path = Array<string | number>;

export interface ParsedKey {
  path: Path;
  id: string | undefined;
  name: string | undefined;
  /** A literal, `env.VAR`, '' (keyless entry) or `<REDACTED>` (keep the stored secret; masks are read as this too). */
  value: string;
  /** The mask the file gave, when it gave one, to check against the stored key. */
  mask: string | undefined;
  enabled: boolean;
  weight: number;
  models: string[];
  blacklisted_models: string[];
  use_for_batch_api: boolean;
  /** Every other field of the key (typed `*_key_config` blocks …), secrets as strings, keep markers as `<REDACTED>`. */
  config: JsonObject | null;
}

export interface ParsedProvider {
  name: string;
  path: Path;
  type: string;
  display_name: string;
  description: string;
  enabled: boolean;
  settings: JsonObject;
  /** '' when the file gives none (the catalog default applies). */
  base_url: string;
  network: z.output<typeof NetworkConfigInput>;
  proxy: z.output<typeof ProxyConfigInput> | null;
  concurrency: ConcurrencyAndBufferSize;
  custom: z.output<typeof CustomProviderConfigInput> | null;
  send_back_raw_request: boolean;
  send_back_raw_response: boolean;
  store_raw_request_response: boolean;
  keys: ParsedKey[];
  /** Fields Provider Desk does not model (newer Bifrost options), kept as an overlay and written back on export. */
  extras: JsonObject | null;
}

export interface ParsedDocument {
  providers: ParsedProvider[];
  /** Names the file gives under `providers`, valid or not (so an invalid provider is never pruned by mistake). */
  providerNames: string[];
  hasProviders: boolean;
  /** Every other top-level section, as it was. */
  sections: JsonObject;
  /** Top-level key order, `providers` included. */
  order: string[];
}

const DESK_FIELDS = ['type', 'display_name', 'description', 'enabled', 'settings'];
const KNOWN_REQUESTS: ReadonlySet<string> = new Set(REQUEST_TYPES);

class Collector {
  readonly errors: FieldError[] = [];

  add(path: Path, message: string): void {
    this.errors.push({ path: jsonPath(path), message });
  }

  /** An optional string within bounds (hand-written: these run once per key of files with thousands of providers). */
  string(value: unknown, path: Path, field: string, min: number, max: number): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.add([...path, field], 'must be a string');
    else if (value.length < min) this.add([...path, field], 'must not be empty');
    else if (value.length > max) this.add([...path, field], `must be at most ${max} characters`);
    else return value;
    return undefined;
  }

  boolean(value: unknown, path: Path, field: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.add([...path, field], 'must be true or false');
    return undefined;
  }

  strings(value: unknown, path: Path, field: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.add([...path, field], 'must be an array of strings');
      return undefined;
    }
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item !== 'string') this.add([...path, field, index], 'must be a string');
      else if (item === '') this.add([...path, field, index], 'must not be empty');
    }
    return value as string[];
  }

  private readonly memo = new Map<z.ZodType, Map<string, { data: unknown } | { issues: z.core.$ZodIssue[] }>>();

  /**
   * parse() for blocks that repeat across providers (network, concurrency, base URLs): the schemas are pure, so each
   * distinct value is validated once per document. Callers get their own shallow copy of an object result.
   */
  parseRepeated<S extends z.ZodType>(schema: S, value: unknown, parent: Path, ...fields: string[]): z.output<S> | undefined {
    let cache = this.memo.get(schema);
    if (!cache) this.memo.set(schema, (cache = new Map()));
    const key = JSON.stringify(value);
    let entry = cache.get(key);
    if (!entry) {
      const result = schema.safeParse(value);
      entry = result.success ? { data: result.data } : { issues: result.error.issues };
      cache.set(key, entry);
    }
    if ('issues' in entry) {
      for (const issue of entry.issues) this.add([...parent, ...fields, ...(issue.path as Path)], issue.message);
      return undefined;
    }
    return (isObject(entry.data) ? { ...entry.data } : entry.data) as z.output<S>;
  }

  /** Parses with a schema, reporting its issues under `path`; undefined when invalid. */
  parse<S extends z.ZodType>(schema: S, value: unknown, parent: Path, ...fields: string[]): z.output<S> | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) this.add([...parent, ...fields, ...(issue.path as Path)], issue.message);
    return undefined;
  }
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

/** Reads a whole document. Returns what it could read and every error found. */
export function parseDocument(document: JsonObject): { parsed: ParsedDocument; errors: FieldError[] } {
  const c = new Collector();
  const sections: JsonObject = {};
  for (const [key, value] of Object.entries(document)) if (key !== 'providers') sections[key] = value;
  const order = Object.keys(document);
  if (!order.includes('providers')) order.unshift('providers');

  const providers: ParsedProvider[] = [];
  const providerNames: string[] = [];
  const raw = document.providers;
  const hasProviders = raw !== undefined && raw !== null;
  if (hasProviders && !isObject(raw)) {
    c.add(['providers'], 'must be an object keyed by provider name');
  } else if (isObject(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      providerNames.push(name);
      const provider = parseProvider(c, name, value);
      if (provider) providers.push(provider);
    }
  }
  checkKeyIds(c, providers);
  return { parsed: { providers, providerNames, hasProviders, sections, order }, errors: c.errors };
}

function parseProvider(c: Collector, name: string, value: unknown): ParsedProvider | undefined {
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
  let baseUrl = '';
  if (baseUrlValue !== undefined && baseUrlValue !== '') {
    const url = c.parseRepeated(HttpUrl, baseUrlValue, path, 'network_config', 'base_url');
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

  const customBlock = block(c, value.custom_provider_config, path, 'custom_provider_config');
  const { modeled: customKnown, unknown: customExtra } = split(customBlock ?? {}, CUSTOM_FIELDS);
  let requestsExtra: JsonObject = {};
  if (isObject(customKnown.allowed_requests)) {
    const { modeled, unknown } = split(customKnown.allowed_requests, KNOWN_REQUESTS);
    customKnown.allowed_requests = modeled;
    requestsExtra = unknown;
  }
  const custom = customBlock ? c.parseRepeated(CustomProviderConfigInput, customKnown, path, 'custom_provider_config') : null;

  const flags = {
    send_back_raw_request: c.boolean(value.send_back_raw_request, path, 'send_back_raw_request') ?? false,
    send_back_raw_response: c.boolean(value.send_back_raw_response, path, 'send_back_raw_response') ?? false,
    store_raw_request_response: c.boolean(value.store_raw_request_response, path, 'store_raw_request_response') ?? false,
  };

  const type = resolveType(c, name, path, desk.type, customBlock, custom);

  const customExtras = nonEmpty({ ...customExtra, ...(nonEmpty(requestsExtra) ? { allowed_requests: requestsExtra } : {}) });
  const blockExtras: JsonObject = {
    ...extras,
    ...(nonEmpty(networkExtra) ? { network_config: networkExtra } : {}),
    ...(nonEmpty(concurrencyExtra) ? { concurrency_and_buffer_size: concurrencyExtra } : {}),
    ...(nonEmpty(proxyExtra) ? { proxy_config: proxyExtra } : {}),
    ...(customExtras ? { custom_provider_config: customExtras } : {}),
  };

  const keyless = type !== undefined && (!catalogEntry(type).keyRequired || custom?.is_key_less === true);
  const keys = parseKeys(c, value.keys, path, keyless, type);

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
    base_url: baseUrl,
    network: parsedNetwork,
    proxy,
    concurrency,
    custom,
    ...flags,
    keys,
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
    ...(isObject(settings) ? { settings } : {}),
  };
}

function dropNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in value) if (value[key] !== null && value[key] !== undefined) out[key] = value[key];
  return out;
}

/** Standard names are their own type; other names need a base_provider_type, or our explicit `provider_desk.type`. */
function resolveType(
  c: Collector,
  name: string,
  path: Path,
  explicit: string | undefined,
  customBlock: JsonObject | undefined,
  custom: z.output<typeof CustomProviderConfigInput> | null | undefined,
): string | undefined {
  if (explicit !== undefined) {
    const id = resolveTypeId(explicit);
    if (!id) c.add([...path, DESK_BLOCK, 'type'], `must be one of ${CATALOG_IDS.join(', ')}`);
    return id;
  }
  if (STANDARD_PROVIDERS.has(name)) return name;
  if (custom) return custom.base_provider_type;
  if (!customBlock) {
    c.add(
      [...path, 'custom_provider_config', 'base_provider_type'],
      `is required: "${name}" is not a standard Bifrost provider name, so custom_provider_config.base_provider_type (or ${DESK_BLOCK}.type) must say what it is`,
    );
  }
  return undefined;
}

function parseKeys(c: Collector, value: unknown, path: Path, keyless: boolean, type: string | undefined): ParsedKey[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    c.add([...path, 'keys'], 'must be an array');
    return [];
  }
  const keys: ParsedKey[] = [];
  const names = new Map<string, number>();
  value.forEach((raw, index) => {
    const keyPath: Path = [...path, 'keys', index];
    const key = parseKey(c, raw, keyPath, keyless, type);
    if (!key) return;
    if (key.name !== undefined) {
      const first = names.get(key.name);
      if (first !== undefined) c.add([...keyPath, 'name'], `is used twice in this provider (also keys[${first}])`);
      else names.set(key.name, index);
    }
    keys.push(key);
  });
  return keys;
}

function parseKey(c: Collector, raw: unknown, path: Path, keyless: boolean, type: string | undefined): ParsedKey | undefined {
  if (!isObject(raw)) {
    c.add(path, 'must be an object');
    return undefined;
  }
  const before = c.errors.length;
  const name = c.string(typeof raw.name === 'string' ? raw.name.trim() : raw.name, path, 'name', 1, 100);
  let weight: number | undefined;
  if (raw.weight !== undefined && raw.weight !== null) {
    if (typeof raw.weight !== 'number' || !Number.isFinite(raw.weight)) c.add([...path, 'weight'], 'must be a number');
    else if (raw.weight < 0) c.add([...path, 'weight'], 'must be 0 or more');
    else if (raw.weight > 1000) c.add([...path, 'weight'], 'must be at most 1000');
    else weight = raw.weight;
  }
  const core = {
    id: c.string(raw.id, path, 'id', 1, 128),
    name,
    enabled: c.boolean(raw.enabled, path, 'enabled'),
    weight,
    models: c.strings(raw.models, path, 'models'),
    blacklisted_models: c.strings(raw.blacklisted_models, path, 'blacklisted_models'),
    use_for_batch_api: c.boolean(raw.use_for_batch_api, path, 'use_for_batch_api'),
  };

  const config: JsonObject = {};
  let typedConfig = false;
  for (const [field, fieldValue] of Object.entries(raw)) {
    if (CORE_KEY_FIELDS.has(field) || READ_ONLY_KEY_FIELDS.has(field) || fieldValue === undefined || fieldValue === null) continue;
    if (field.endsWith('_key_config')) {
      if (!isObject(fieldValue)) {
        c.add([...path, field], 'must be an object');
        continue;
      }
      typedConfig = true;
    }
    config[field] = normaliseConfigValue(field, fieldValue, 0);
  }

  let value = '';
  let mask: string | undefined;
  if (raw.value !== undefined && raw.value !== null) {
    const text = secretString(raw.value);
    if (text === undefined) {
      c.add([...path, 'value'], 'must be a string (the key, or "env.VAR"), or a Bifrost secret object');
    } else if (isKeepMarker(text)) {
      value = REDACTED;
      if (text !== REDACTED) mask = text;
    } else {
      value = text;
      if (text.length > 65_536) c.add([...path, 'value'], 'is too long');
      if (text.trim() !== text) c.add([...path, 'value'], 'must not start or end with whitespace');
      if (text.startsWith('env.') && !isEnvRef(text))
        c.add([...path, 'value'], 'is not a valid env.VAR reference (letters, digits and _ after "env.")');
    }
  }
  if (value === '' && !keyless && !typedConfig && type !== undefined) {
    c.add(
      [...path, 'value'],
      `is required: ${catalogEntry(type).label} needs an API key (a literal key, or "env.VAR" to read it from the environment)`,
    );
  }
  if (c.errors.length > before) return undefined;
  return {
    path,
    id: core.id,
    name: core.name,
    value,
    mask,
    enabled: core.enabled ?? true,
    weight: core.weight ?? 1,
    models: core.models ?? [],
    blacklisted_models: core.blacklisted_models ?? [],
    use_for_batch_api: core.use_for_batch_api ?? false,
    config: Object.keys(config).length > 0 ? config : null,
  };
}

/**
 * Typed key configs as the store keeps them: Bifrost secret objects become strings, a secret given as an object
 * (a service-account JSON) becomes its JSON text so that it is sealed, and masks of secrets read as `<REDACTED>`.
 */
function normaliseConfigValue(field: string, value: unknown, depth: number): unknown {
  if (isSecretObject(value)) return normaliseConfigValue(field, secretString(value), depth);
  if (isSecretFieldName(field)) {
    if (typeof value === 'string') return isKeepMarker(value) ? REDACTED : value;
    if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
    return value;
  }
  if (isObject(value) && depth === 0) {
    return Object.fromEntries(
      Object.entries(value).map(([inner, innerValue]) => [inner, normaliseConfigValue(inner, innerValue, depth + 1)]),
    );
  }
  return value;
}

/** A key id may appear once in a whole file (ids are unique across the store). */
function checkKeyIds(c: Collector, providers: ParsedProvider[]): void {
  const seen = new Map<string, Path>();
  for (const provider of providers) {
    for (const key of provider.keys) {
      if (key.id === undefined) continue;
      const first = seen.get(key.id);
      if (first) c.add([...key.path, 'id'], `is used twice in this file (also ${jsonPath(first)})`);
      else seen.set(key.id, key.path);
    }
  }
}
