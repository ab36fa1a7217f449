/**
 * The parts of an exported provider block where our stored defaults and Bifrost's differ: write back what the user set
 * (as the imported file spelled it), never one of our defaults that Bifrost would read otherwise, and only blocks that
 * Bifrost's config.schema.json accepts. Facts: docs/peers/bifrost-config.md §2–3.
 */
import { bifrostStandardBaseUrl, bifrostStandardType } from '../catalog/bifrost-standard.js';
import { catalogEntry } from '../catalog/catalog.js';
import type { CustomProviderConfig } from '../contract/config-schemas.js';
import { DeskError } from '../contract/errors.js';
import { settingsOf, type StoredProxy } from '../service/codec.js';
import { resolveBaseUrl } from '../service/provider-writer.js';
import type { ProviderRow } from '../store/rows.js';
import { isObject, STANDARD_PROVIDERS, type JsonObject } from './format.js';
import type { FileSpelling } from './state.js';

/** The base URL an import stores for this provider when the file gives none: what it means to leave it out. */
export function impliedBaseUrl(row: ProviderRow): string {
  const standard = bifrostStandardBaseUrl(row.name, row.type);
  if (standard) return standard;
  try {
    return resolveBaseUrl(catalogEntry(row.type), undefined, settingsOf(row));
  } catch (error) {
    if (error instanceof DeskError) return '';
    throw error;
  }
}

/** Where an exported base URL goes: Bifrost's network_config, or — for vLLM, whose entry may not have one — our own block. */
export interface ExportedBaseUrl {
  network?: string;
  desk?: string;
}

/**
 * The base URL to write, if any: the file's own spelling while it still matches the store, else the stored URL when it
 * is not the one leaving it out implies. Ours end in /v1 where Bifrost's defaults do not (it appends /v1 itself), so
 * writing a default of ours would make Bifrost call …/v1/v1/….
 */
export function exportedBaseUrl(row: ProviderRow, keys: JsonObject[], spelling: FileSpelling | undefined): ExportedBaseUrl {
  const stored = row.base_url;
  let url: string | undefined;
  const spelled = spelling?.base_url;
  if (spelled !== undefined && (spelled === stored || spelled.replace(/\/+$/, '') === stored)) url = spelled;
  else if (stored !== '' && stored !== impliedBaseUrl(row)) url = stored;
  else if (needsOllamaUrl(row, keys)) url = stored;
  if (url === undefined) return {};
  // Bifrost's schema forbids network_config.base_url for vllm: the server URL is each key's vllm_key_config.url.
  return row.name === 'vllm' ? { desk: url } : { network: url };
}

/**
 * Bifrost has no default for Ollama: when no key carries its own `ollama_key_config.url`, the provider's URL is the only
 * place Bifrost finds the server, so even our default (http://localhost:11434, the same in Bifrost's form) is written.
 */
function needsOllamaUrl(row: ProviderRow, keys: JsonObject[]): boolean {
  if (row.type !== 'ollama' || row.base_url === '') return false;
  return !keys.some(
    (key) => isObject(key.ollama_key_config) && typeof key.ollama_key_config.url === 'string' && key.ollama_key_config.url !== '',
  );
}

/**
 * `allow_private_network` as written, if at all. Our checks of local servers (Ollama, vLLM, SGLang) default it to true
 * so that a server on the LAN can be reached; Bifrost defaults it to false (loopback is always allowed). So it is written
 * as the file spelled it while that still holds, else only where the stored value is not our default for the type.
 */
export function exportedAllowPrivate(row: ProviderRow, stored: boolean, spelling: FileSpelling | undefined): boolean | undefined {
  if (spelling?.allow_private_network === stored) return stored;
  return stored !== catalogEntry(row.type).local ? stored : undefined;
}

/**
 * The proxy block without empty fields: Bifrost's schema types `url` as an `env.VAR` reference or a URI (`oneOf`), so an
 * empty string fails it, and the other fields are optional. `type` is required and always written.
 */
export function exportedProxy(proxy: StoredProxy & { password: string }): JsonObject {
  const out: JsonObject = { type: proxy.type };
  for (const field of ['url', 'username', 'password', 'ca_cert_pem'] as const) if (proxy[field] !== '') out[field] = proxy[field];
  return out;
}

/** The custom block as Bifrost writes it: what is not set left out rather than `null`. */
export function exportedCustom(custom: CustomProviderConfig): JsonObject {
  return {
    is_key_less: custom.is_key_less,
    base_provider_type: custom.base_provider_type,
    ...(custom.allowed_requests ? { allowed_requests: custom.allowed_requests } : {}),
    ...(custom.request_path_overrides ? { request_path_overrides: custom.request_path_overrides } : {}),
  };
}

/** The type a file implies for this provider without our `provider_desk.type`: its standard name's, or its base type. */
export function inferredType(row: Pick<ProviderRow, 'name'>, custom: CustomProviderConfig | null): string | undefined {
  if (STANDARD_PROVIDERS.has(row.name)) return bifrostStandardType(row.name);
  return custom ? (bifrostStandardType(custom.base_provider_type) ?? custom.base_provider_type) : undefined;
}

/** Bifrost's ollama and sgl entries may leave `keys` out (a server without a key); an empty list fails `minItems: 1`. */
export function keysOptional(row: Pick<ProviderRow, 'name'>): boolean {
  return row.name === 'ollama' || row.name === 'sgl';
}
