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
import type { ProviderRow, StoredModelRow } from '../store/rows.js';
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

/**
 * The user's model choices as the file carries them, or undefined when there are none: in our own block (`models`:
 * the ids turned off, the user's own ids, and each rewritten key's own lists, so that an import restores them).
 */
export interface ExportedCuration {
  /** Our block's `models`. */
  desk: JsonObject;
  /** Each key's `models` / `blacklisted_models` as Bifrost should read them. */
  keyLists(own: string[], blacklisted: string[]): { models: string[]; blacklisted_models: string[] };
}

/**
 * What Bifrost's key lists mean (docs/peers/bifrost-config.md): `models` allows (`["*"]` or, before version 2, `[]`:
 * all), `blacklisted_models` denies and wins. A disabled model is therefore written both ways: each key's `models`
 * lists the enabled models it may use, and `blacklisted_models` names the disabled ones (so the meaning holds whichever
 * `version` reads it). Gone models are not offered, so not listed. Our block keeps each rewritten key's own lists.
 */
export function exportedCuration(models: readonly StoredModelRow[]): ExportedCuration | undefined {
  const disabled = models.filter((m) => m.enabled === 0).map((m) => m.model_id);
  const custom = models.filter((m) => m.custom === 1);
  if (disabled.length === 0 && custom.length === 0) return undefined;
  const off = new Set(disabled);
  const offered = models.filter((m) => m.enabled !== 0 && m.gone_at === null).map((m) => m.model_id);
  const desk: JsonObject = {};
  if (disabled.length > 0) desk.disabled = disabled;
  if (custom.length > 0)
    desk.custom = custom.map((m) =>
      m.display_name && m.display_name !== m.model_id ? { id: m.model_id, display_name: m.display_name } : { id: m.model_id },
    );
  return {
    desk,
    keyLists(own, blacklisted) {
      if (disabled.length === 0) return { models: own, blacklisted_models: blacklisted };
      const everything = own.length === 0 || own.includes('*');
      const allowed = everything ? offered : own.filter((id) => !off.has(id));
      return {
        // An allow-list with nothing left on stays as it was: the blacklist takes its models out.
        models: allowed.length > 0 ? allowed : own,
        blacklisted_models: [...new Set([...blacklisted, ...disabled])],
      };
    },
  };
}
