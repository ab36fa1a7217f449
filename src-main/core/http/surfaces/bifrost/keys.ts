import { z } from 'zod';
import { ApiKeyCreateInput, ApiKeyPatch, SecretValue } from '../../../contract/provider-inputs.js';
import { canonicalJson, sha256Hex } from '../../../service/canonical-json.js';
import { secretPathsOf } from '../../../service/codec.js';
import { bifrostMask, type MaskParts } from '../../../service/masking.js';
import { isSecretFieldName, REDACTED, SECRET_LIST_KEY } from '../../../service/secret-fields.js';
import type { KeyRecord } from '../../../service/provider-service.js';
import { isEnvRef } from '../../../contract/env-ref.js';
import { BifrostError, invalidPayload } from './errors.js';
import { Text } from './provider-input.js';
import { listingFields, type BifrostListing } from './status.js';

/** The typed key configs of Bifrost's Key schema; each is stored as a block of the key's key_config. */
export const TYPED_KEY_CONFIGS = [
  'azure_key_config',
  'vertex_key_config',
  'bedrock_key_config',
  'bedrock_mantle_key_config',
  'ollama_key_config',
  'vllm_key_config',
  'sgl_key_config',
  'replicate_key_config',
] as const;
type TypedKeyConfig = (typeof TYPED_KEY_CONFIGS)[number];

const BEDROCK_VARS = [
  'access_key',
  'secret_key',
  'session_token',
  'region',
  'arn',
  'role_arn',
  'external_id',
  'session_name',
  'batch_role_arn',
];

/**
 * The typed-config fields Bifrost's schema types as EnvVar (`{value, env_var, from_env}`), secrets and plain settings
 * alike: its UI reads `endpoint.value`, `region.value`, `url.value`. Other fields (model_name, deployments, scopes,
 * batch_s3_config, use_deployments_endpoint) are plain JSON.
 */
const ENV_VAR_FIELDS: Record<TypedKeyConfig, ReadonlySet<string>> = {
  azure_key_config: new Set(['endpoint', 'api_version', 'client_id', 'client_secret', 'tenant_id']),
  vertex_key_config: new Set(['project_id', 'project_number', 'region', 'auth_credentials']),
  bedrock_key_config: new Set(BEDROCK_VARS),
  bedrock_mantle_key_config: new Set(BEDROCK_VARS),
  ollama_key_config: new Set(['url']),
  vllm_key_config: new Set(['url']),
  sgl_key_config: new Set(['url']),
  replicate_key_config: new Set(),
};

/** A value in Bifrost's secret-variable shape, readable by clients of both the EnvVar and the SecretVar generation. */
export interface SecretVarView {
  value: string;
  ref: string;
  type: 'env' | 'plain_text';
  env_var: string;
  from_env: boolean;
}

/** An `env.VAR` reference as written (never resolved), or a plain value as given. */
function varView(text: string): SecretVarView {
  if (isEnvRef(text)) return { value: text, ref: text, type: 'env', env_var: text, from_env: true };
  return { value: text, ref: '', type: 'plain_text', env_var: '', from_env: false };
}

/** A secret: its env reference as written, else its Bifrost mask. */
export function secretVarView(ref: string | null, parts: MaskParts): SecretVarView {
  return ref ? varView(ref) : { ...varView(''), value: bifrostMask(parts) };
}

/** What a client sends back when it echoes a masked value it was shown: keep the stored secret. */
export function looksMasked(value: string): boolean {
  return value === REDACTED || /^\*+$/.test(value) || /^[^*]{0,4}\*{24}[^*]{0,4}$/.test(value);
}

type ConfigMasks = Record<string, { ref: string | null; parts: MaskParts }>;

/** A stored typed block as Bifrost shows it: EnvVar fields as objects, secrets masked. */
function typedConfigView(block: unknown, name: TypedKeyConfig, masks: ConfigMasks): Record<string, unknown> | undefined {
  if (!block || typeof block !== 'object' || Array.isArray(block)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(block as Record<string, unknown>)) {
    out[field] = ENV_VAR_FIELDS[name].has(field) && typeof value === 'string' ? varView(value) : value;
  }
  for (const [path, mask] of Object.entries(masks)) {
    const [blockName, field] = path.split('.', 2);
    if (blockName === name && field) out[field] = secretVarView(mask.ref, mask.parts);
  }
  return out;
}

/**
 * Bifrost's Key: the value (and each typed-config secret) as a masked secret variable, env references as written;
 * typed configs, status and description left out when absent (Bifrost omits them, never null).
 */
export function toBifrostKey(record: KeyRecord, listing: BifrostListing | undefined): Record<string, unknown> {
  const { key: native, parts } = record;
  const config = record.storedConfig ?? {};
  const models = native.models;
  const blacklisted = native.blacklisted_models;
  const key: Record<string, unknown> = {
    id: native.id,
    name: native.name,
    value: secretVarView(record.ref, parts),
    models,
    blacklisted_models: blacklisted,
    weight: native.weight,
  };
  for (const name of TYPED_KEY_CONFIGS) {
    const view = typedConfigView(config[name], name, record.configMasks);
    if (view) key[name] = view;
  }
  key.enabled = native.enabled;
  key.use_for_batch_api = native.use_for_batch_api;
  key.config_hash = sha256Hex(
    canonicalJson({
      name: native.name,
      value: record.ref ?? `${parts.head}:${parts.tail}:${parts.length}`,
      models,
      blacklisted_models: blacklisted,
      weight: native.weight,
      enabled: key.enabled,
      use_for_batch_api: key.use_for_batch_api,
      key_config: { ...config, [SECRET_LIST_KEY]: secretPathsOf(config) },
    }),
  );
  return { ...key, ...listingFields(listing) };
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
  ...Object.fromEntries(TYPED_KEY_CONFIGS.map((name) => [name, TypedBlock.nullish()])),
});
export type KeyBody = z.infer<typeof KeyBody> & Partial<Record<TypedKeyConfig, Record<string, unknown> | null>> & { present: Set<string> };

export function parseKeyBody(body: unknown): KeyBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidPayload();
  const parsed = KeyBody.safeParse(body);
  if (!parsed.success) throw invalidPayload();
  return { ...(parsed.data as KeyBody), present: new Set(Object.keys(body)) };
}

/** The typed blocks a body carries (a block sent as null is not carried). */
export function sentBlocks(body: KeyBody): Set<string> {
  return new Set(TYPED_KEY_CONFIGS.filter((name) => body.present.has(name) && body[name]));
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

function isSecretVarObject(raw: unknown): boolean {
  return !!raw && typeof raw === 'object' && !Array.isArray(raw) && ['value', 'env_var', 'from_env', 'ref'].some((k) => k in raw);
}

/** A typed block as stored: EnvVar objects flattened to strings; a secret echoed masked becomes `<REDACTED>` (keep). */
function storedBlock(name: TypedKeyConfig, block: Record<string, unknown>, masks: ConfigMasks): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(block)) {
    let value: unknown = raw;
    if (isSecretVarObject(raw) && (ENV_VAR_FIELDS[name].has(field) || isSecretFieldName(field))) {
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
    // An empty EnvVar ({"value": "", ...}) is Bifrost's "not set".
    if (value !== null && value !== undefined && !(value === '' && ENV_VAR_FIELDS[name].has(field))) out[field] = value;
  }
  return out;
}

/**
 * The key_config a write stores: the typed blocks the body carries (null removes one), the stored blocks it does not
 * (their secrets as `<REDACTED>`, which keeps them). Undefined when the body touches no typed block.
 */
export function keyConfigFromBody(
  body: KeyBody,
  current: KeyRecord | null,
  masks: ConfigMasks,
): Record<string, unknown> | null | undefined {
  const touched = TYPED_KEY_CONFIGS.filter((name) => body.present.has(name));
  if (touched.length === 0) return undefined;
  const stored = current?.storedConfig ?? {};
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

/** The typed blocks a key will have after a write, for the checks in key-rules.ts. */
export function typedBlocksAfter(
  keyConfig: Record<string, unknown> | null | undefined,
  current: KeyRecord | null,
): Record<string, unknown> {
  if (keyConfig !== undefined) return keyConfig ?? {};
  return current?.storedConfig ?? {};
}

/** The secret a create stores: a literal or an `env.VAR` reference, or '' where the provider allows an empty value; never a masked echo. */
export function valueForCreate(value: string | null | undefined, mayBeEmpty: boolean): string {
  const text = value ?? '';
  if (text === '') {
    if (!mayBeEmpty) throw new BifrostError(400, 'Key value must not be empty');
    return '';
  }
  if (looksMasked(text)) throw new BifrostError(400, 'masked preview cannot be used for value without a stored value');
  return text;
}

function storedValueIsEmpty(current: KeyRecord): boolean {
  return current.ref === null && current.parts.length === 0;
}

/** The secret an update stores: undefined keeps the stored one (absent, or the masked value echoed back). */
export function valueForUpdate(
  value: string | null | undefined,
  present: boolean,
  current: KeyRecord,
  mayBeEmpty: boolean,
): string | undefined {
  if (!present || value === null || value === undefined) return undefined;
  if (value === '') {
    if (!mayBeEmpty) throw new BifrostError(400, 'Key value must not be empty');
    return storedValueIsEmpty(current) ? undefined : '';
  }
  const shown = current.ref ?? bifrostMask(current.parts);
  if (value === shown || looksMasked(value)) {
    if (!current.ref && !current.sealed) throw new BifrostError(400, 'masked preview cannot be used for value without a stored value');
    return undefined;
  }
  return value;
}

/** Whether the key will have no value after the write (it then relies on its typed config). */
export function valueWillBeEmpty(next: string | undefined, current: KeyRecord | null): boolean {
  if (next !== undefined) return next === '';
  return current ? storedValueIsEmpty(current) : true;
}

/** The contract's key inputs, with the empty value Bifrost allows for some providers (checked before, in valueForCreate). */
const KeyValue = z.union([z.literal(''), SecretValue]);
export const BifrostKeyCreate = ApiKeyCreateInput.extend({ value: KeyValue });
export const BifrostKeyPatch = ApiKeyPatch.extend({ value: KeyValue.optional() });
