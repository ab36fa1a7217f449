import { findCatalogEntry } from '../../../catalog/catalog.js';
import { blockedReason } from '../../../probe/network/ip-policy.js';
import type { Provider } from '../../../contract/domain-schemas.js';
import { isEnvRef } from '../../../contract/env-ref.js';
import { BifrostError } from './errors.js';
import { isStandardProvider } from './provider-view.js';

/**
 * The provider whose key rules apply (Bifrost's "base provider"): the custom block's base type, else the provider's
 * own name when it is a Bifrost name, else its catalog type (a provider made through another API).
 */
export function baseProviderOf(row: Pick<Provider, 'name' | 'type' | 'custom_provider_config'>): string {
  const custom = row.custom_provider_config;
  if (custom) return custom.base_provider_type;
  return isStandardProvider(row.name) ? row.name : row.type;
}

/**
 * Bifrost's CanProviderKeyValueBeEmpty (newest core): these providers authenticate with what the key's typed config
 * carries (a server URL, IAM or Entra credentials), so a key may have no value. Our keyless catalog types too.
 */
const VALUE_MAY_BE_EMPTY: ReadonlySet<string> = new Set(['vertex', 'bedrock', 'bedrock_mantle', 'vllm', 'azure', 'ollama', 'sgl']);

export function valueMayBeEmpty(row: Pick<Provider, 'name' | 'type' | 'custom_provider_config'>): boolean {
  const base = baseProviderOf(row);
  return VALUE_MAY_BE_EMPTY.has(base) || findCatalogEntry(row.type)?.keyRequired === false;
}

/** The typed config a key of this base provider needs, field by field, with Bifrost's messages (validateProviderKeyURL). */
const REQUIRED_FIELDS: Record<string, ReadonlyArray<{ block: string; field: string; message: string }>> = {
  ollama: [{ block: 'ollama_key_config', field: 'url', message: 'ollama_key_config.url is required for Ollama keys' }],
  sgl: [{ block: 'sgl_key_config', field: 'url', message: 'sgl_key_config.url is required for SGL keys' }],
  azure: [{ block: 'azure_key_config', field: 'endpoint', message: 'azure_key_config.endpoint is required for Azure keys' }],
  bedrock: [{ block: 'bedrock_key_config', field: 'region', message: 'bedrock_key_config.region is required for Bedrock keys' }],
  bedrock_mantle: [
    {
      block: 'bedrock_mantle_key_config',
      field: 'region',
      message: 'bedrock_mantle_key_config.region is required for Bedrock Mantle keys',
    },
  ],
  vllm: [
    { block: 'vllm_key_config', field: 'url', message: 'vllm_key_config.url is required for VLLM keys' },
    { block: 'vllm_key_config', field: 'model_name', message: 'vllm_key_config.model_name is required for VLLM keys' },
  ],
};

/** Server URLs a key dials, checked like Bifrost: private networks allowed, link-local and unspecified never. */
const URL_FIELDS = ['ollama_key_config.url', 'sgl_key_config.url', 'vllm_key_config.url'];
const REGION_FIELDS = ['bedrock_key_config.region', 'bedrock_mantle_key_config.region'];
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;

type Blocks = Record<string, unknown>;

function fieldOf(blocks: Blocks, path: string): unknown {
  const [block = '', field = ''] = path.split('.', 2);
  const value = blocks[block];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[field] : undefined;
}

function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return 'must be an absolute http(s) URL';
  return blockedReason(url.hostname, true);
}

/**
 * Bifrost's checks of a key's typed config (after the empty-value check): the fields its base provider needs, where
 * the key relies on its typed config (no value) or carries that block, then the server URLs and regions it gives.
 * `blocks` are the key's typed configs as they will be stored (flattened strings), `sent` the blocks the body carried.
 */
export function checkTypedConfig(base: string, blocks: Blocks, valueEmpty: boolean, sent: ReadonlySet<string>): void {
  for (const rule of REQUIRED_FIELDS[base] ?? []) {
    if (!valueEmpty && !sent.has(rule.block)) continue;
    const value = fieldOf(blocks, `${rule.block}.${rule.field}`);
    if (typeof value !== 'string' || value.trim() === '') throw new BifrostError(400, rule.message);
  }
  for (const path of URL_FIELDS) {
    const value = fieldOf(blocks, path);
    if (typeof value !== 'string' || value === '' || isEnvRef(value)) continue;
    const problem = urlProblem(value);
    if (problem) throw new BifrostError(400, `Invalid key URL: ${path}: ${problem}`);
  }
  for (const path of REGION_FIELDS) {
    const value = fieldOf(blocks, path);
    if (typeof value !== 'string' || value === '' || isEnvRef(value) || REGION.test(value)) continue;
    throw new BifrostError(
      400,
      `Invalid key URL: ${path}: invalid region "${value}": a region is a vendor region identifier such as us-east-1`,
    );
  }
}
