import { z } from 'zod';
import type { CheckResult } from '../../../contract/domain-schemas.js';
import { canonicalJson, sha256Hex } from '../../../service/canonical-json.js';
import { keyMaskParts, parseJson, secretPathsOf } from '../../../service/codec.js';
import { bifrostMask, type MaskParts } from '../../../service/masking.js';
import { isSecretFieldName, REDACTED, SECRET_LIST_KEY } from '../../../service/secret-fields.js';
import type { KeyRow } from '../../../store/rows.js';
import { BifrostError, invalidPayload } from './errors.js';
import { Text } from './provider-input.js';

/** The typed key configs of Bifrost's Key schema; each is stored as a block of the key's key_config. */
export const TYPED_KEY_CONFIGS = [
  'azure_key_config',
  'vertex_key_config',
  'bedrock_key_config',
  'ollama_key_config',
  'vllm_key_config',
  'sgl_key_config',
] as const;
type TypedKeyConfig = (typeof TYPED_KEY_CONFIGS)[number];

/** A secret in Bifrost's secret-variable shape, readable by clients of both the EnvVar and the SecretVar generation. */
export interface SecretVarView {
  value: string;
  ref: string;
  type: 'env' | 'plain_text';
  env_var: string;
  from_env: boolean;
}

export function secretVarView(ref: string | null, parts: MaskParts): SecretVarView {
  if (ref) return { value: ref, ref, type: 'env', env_var: ref, from_env: true };
  return { value: bifrostMask(parts), ref: '', type: 'plain_text', env_var: '', from_env: false };
}

/** What a client sends back when it echoes a masked value it was shown: keep the stored secret. */
export function looksMasked(value: string): boolean {
  return value === REDACTED || /^\*+$/.test(value) || /^[^*]{0,4}\*{24}[^*]{0,4}$/.test(value);
}

type ConfigMasks = Record<string, { ref: string | null; parts: MaskParts }>;

function typedConfigView(block: unknown, name: string, masks: ConfigMasks): Record<string, unknown> | null {
  if (!block || typeof block !== 'object' || Array.isArray(block)) return null;
  const out: Record<string, unknown> = { ...(block as Record<string, unknown>) };
  for (const [path, mask] of Object.entries(masks)) {
    const [blockName, field] = path.split('.', 2);
    if (blockName === name && field) out[field] = secretVarView(mask.ref, mask.parts);
  }
  return out;
}

function keyStatus(row: KeyRow): { status: string; description: string } {
  const last = parseJson<CheckResult | null>(row.last_check, null);
  if (row.status === 'ok') return { status: 'success', description: '' };
  if (row.status === 'error') return { status: 'list_models_failed', description: last?.message ?? '' };
  return { status: '', description: '' };
}

/** Bifrost's Key: the value (and each typed-config secret) as a masked secret variable; env references as written. */
export function toBifrostKey(row: KeyRow, masks: ConfigMasks): Record<string, unknown> {
  const config = parseJson<Record<string, unknown> | null>(row.key_config, null) ?? {};
  const value = secretVarView(row.secret_ref, keyMaskParts(row));
  const key: Record<string, unknown> = {
    id: row.id,
    name: row.name,
    value,
    models: parseJson<string[]>(row.models, []),
    blacklisted_models: parseJson<string[]>(row.blacklisted_models, []),
    weight: row.weight,
    enabled: row.enabled === 1,
    use_for_batch_api: row.use_for_batch_api === 1,
  };
  for (const name of TYPED_KEY_CONFIGS) key[name] = typedConfigView(config[name], name, masks);
  const { status, description } = keyStatus(row);
  key.status = status;
  key.description = description;
  key.config_hash = sha256Hex(
    canonicalJson({
      name: row.name,
      value: row.secret_ref ?? `${row.mask_head}:${row.mask_tail}:${row.secret_length}`,
      models: key.models,
      blacklisted_models: key.blacklisted_models,
      weight: row.weight,
      enabled: key.enabled,
      use_for_batch_api: key.use_for_batch_api,
      key_config: { ...config, [SECRET_LIST_KEY]: secretPathsOf(config) },
    }),
  );
  return key;
}

const TypedBlock = z.record(z.string(), z.unknown());

const KeyBody = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  value: Text.nullish(),
  models: z.array(z.string()).nullish(),
  blacklisted_models: z.array(z.string()).nullish(),
  weight: z.number().nullish(),
  enabled: z.boolean().nullish(),
  use_for_batch_api: z.boolean().nullish(),
  azure_key_config: TypedBlock.nullish(),
  vertex_key_config: TypedBlock.nullish(),
  bedrock_key_config: TypedBlock.nullish(),
  ollama_key_config: TypedBlock.nullish(),
  vllm_key_config: TypedBlock.nullish(),
  sgl_key_config: TypedBlock.nullish(),
});
export type KeyBody = z.infer<typeof KeyBody> & { present: Set<string> };

export function parseKeyBody(body: unknown): KeyBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidPayload();
  const parsed = KeyBody.safeParse(body);
  if (!parsed.success) throw invalidPayload();
  return { ...parsed.data, present: new Set(Object.keys(body)) };
}

/** Bifrost's list rule: `"*"` alone means all; it never mixes with names, and no name twice (case-insensitively). */
export function checkModelList(field: 'models' | 'blacklisted_models', list: string[]): string[] {
  const kind = field === 'models' ? 'whitelist' : 'blacklist';
  if (list.includes('*') && list.length > 1)
    throw new BifrostError(400, `Invalid ${field}: wildcard '*' cannot be used with other values in the ${kind}`);
  const seen = new Set<string>();
  for (const model of list) {
    if (model.trim() === '') throw new BifrostError(400, `Invalid ${field}: empty model name`);
    const folded = model.toLowerCase();
    if (seen.has(folded)) throw new BifrostError(400, `Invalid ${field}: duplicate value '${model}' in ${kind}`);
    seen.add(folded);
  }
  return list;
}

/** A typed block as stored: secret variables flattened to strings; a secret echoed masked becomes `<REDACTED>` (keep). */
function storedBlock(name: TypedKeyConfig, block: Record<string, unknown>, masks: ConfigMasks): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(block)) {
    let value: unknown = raw;
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && ('value' in raw || 'env_var' in raw || 'from_env' in raw)) {
      const text = Text.safeParse(raw);
      if (!text.success) throw invalidPayload();
      value = text.data;
    }
    if (typeof value === 'string' && isSecretFieldName(field)) {
      const mask = masks[`${name}.${field}`];
      const shown = mask ? (mask.ref ?? bifrostMask(mask.parts)) : null;
      if (value === shown || looksMasked(value)) {
        if (!mask) throw new BifrostError(400, `masked preview cannot be used for ${name}.${field} without a stored value`);
        value = REDACTED;
      }
    }
    if (value !== null && value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * The key_config a write stores: the typed blocks the body carries (null removes one), the stored blocks it does not
 * (their secrets as `<REDACTED>`, which keeps them). Undefined when the body touches no typed block.
 */
export function keyConfigFromBody(body: KeyBody, current: KeyRow | null, masks: ConfigMasks): Record<string, unknown> | null | undefined {
  const touched = TYPED_KEY_CONFIGS.filter((name) => body.present.has(name));
  if (touched.length === 0) return undefined;
  const stored = current ? (parseJson<Record<string, unknown> | null>(current.key_config, null) ?? {}) : {};
  const next: Record<string, unknown> = structuredClone(stored);
  delete next[SECRET_LIST_KEY];
  for (const path of Object.keys(masks)) {
    const [blockName = '', field] = path.split('.', 2);
    if (!field) next[blockName] = REDACTED;
    else if (next[blockName] && typeof next[blockName] === 'object') (next[blockName] as Record<string, unknown>)[field] = REDACTED;
    else next[blockName] = { [field]: REDACTED };
  }
  for (const name of TYPED_KEY_CONFIGS) {
    if (!body.present.has(name)) continue;
    const block = body[name];
    if (block === null || block === undefined) delete next[name];
    else next[name] = storedBlock(name, block, masks);
  }
  return Object.keys(next).length > 0 ? next : null;
}

/** The secret a create stores: a literal or an `env.VAR` reference; never empty, never a masked echo. */
export function valueForCreate(value: string | null | undefined): string {
  const text = value ?? '';
  if (text === '') throw new BifrostError(400, 'Key value must not be empty');
  if (looksMasked(text)) throw new BifrostError(400, 'masked preview cannot be used for value without a stored value');
  return text;
}

/** The secret an update stores: undefined keeps the stored one (absent, or the masked value echoed back). */
export function valueForUpdate(value: string | null | undefined, present: boolean, current: KeyRow): string | undefined {
  if (!present || value === null || value === undefined) return undefined;
  if (value === '') throw new BifrostError(400, 'Key value must not be empty');
  const shown = current.secret_ref ?? bifrostMask(keyMaskParts(current));
  if (value === shown || looksMasked(value)) {
    if (!current.secret_ref && !current.secret_sealed)
      throw new BifrostError(400, 'masked preview cannot be used for value without a stored value');
    return undefined;
  }
  return value;
}
