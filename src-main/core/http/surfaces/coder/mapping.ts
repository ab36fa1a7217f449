/** Coder's view of a provider (`codersdk.AIProvider`): type mapping, masked keys, icon and the Bedrock settings block. */
import type { Provider } from '../../../contract/domain-schemas.js';

/** Every `codersdk.AIProviderType` of the current SDK. */
export const CODER_TYPES = [
  'anthropic',
  'azure',
  'bedrock',
  'copilot',
  'google',
  'openai',
  'openai-compat',
  'openrouter',
  'vercel',
] as const;
export type CoderType = (typeof CODER_TYPES)[number];

export function isCoderType(value: string): value is CoderType {
  return (CODER_TYPES as readonly string[]).includes(value);
}

/**
 * Settings this surface keeps on our provider for what our model has no field for: Coder's `icon`, and the Coder type
 * when our catalog id alone cannot say it (GitHub Copilot is stored as an OpenAI-compatible provider).
 */
export const ICON_SETTING = 'icon';
export const CODER_TYPE_SETTING = 'coder_type';

/**
 * Coder's type → our catalog id. Copilot speaks OpenAI's API at its base URL and authenticates with request-time
 * GitHub OAuth tokens (no stored key), so it is an OpenAI-compatible provider without keys here.
 */
export function ourTypeOf(type: CoderType): string {
  if (type === 'google') return 'gemini';
  if (type === 'copilot') return 'openai-compat';
  return type;
}

/** The marker a new provider needs so that its Coder type comes back as sent, if our catalog id does not imply it. */
export function coderTypeMarker(type: CoderType): string | undefined {
  return coderTypeOf(ourTypeOf(type)) === type ? undefined : type;
}

/**
 * Our other types whose API is OpenAI's (chat completions and a bearer key, or none) at their base URL: Coder can use them
 * as `openai-compat`. Types it cannot express (Cohere native, ElevenLabs, Replicate, Voyage, watsonx, Runway, Vertex,
 * RITS' own header, Ollama's native root URL) stay out of this surface.
 */
const OPENAI_COMPATIBLE = new Set([
  'mistral',
  'groq',
  'cerebras',
  'deepseek',
  'fireworks',
  'xai',
  'huggingface',
  'nebius',
  'nvidia',
  'moonshot',
  'chutes',
  'parasail',
  'together',
  'perplexity',
  'github',
  'vllm',
  'sgl',
  'jan',
]);

/** Our catalog id → Coder's type, or null when Coder cannot express it (the provider is then absent here). */
export function coderTypeOf(ourType: string): CoderType | null {
  if (ourType === 'gemini') return 'google';
  if (isCoderType(ourType) && ourType !== 'google' && ourType !== 'copilot') return ourType;
  return OPENAI_COMPATIBLE.has(ourType) ? 'openai-compat' : null;
}

/** A provider's Coder type: the stored marker when it still fits the provider's catalog id, else the catalog mapping. */
export function coderTypeOfProvider(provider: Pick<Provider, 'type' | 'settings'>): CoderType | null {
  const marker = provider.settings[CODER_TYPE_SETTING];
  if (typeof marker === 'string' && isCoderType(marker) && ourTypeOf(marker) === provider.type) return marker;
  return coderTypeOf(provider.type);
}

/** Every catalog id this surface shows, for filtering the list in SQL. */
export const VISIBLE_TYPES: string[] = ['gemini', ...CODER_TYPES.filter((t) => t !== 'google' && t !== 'copilot'), ...OPENAI_COMPATIBLE];

// --- Bedrock settings ---------------------------------------------------------------

export const BEDROCK_PLAIN_FIELDS = ['region', 'model', 'small_fast_model', 'role_arn'] as const;
export const BEDROCK_SECRET_FIELDS = ['access_key', 'access_key_secret'] as const;
/** Settings a `null` clears: Coder's block plus our own Bedrock session token, which Coder cannot show. */
const BEDROCK_CLEARED = [...BEDROCK_PLAIN_FIELDS, ...BEDROCK_SECRET_FIELDS, 'session_token'] as const;

/** `codersdk.AIProviderBedrockSettings` as decoded; a secret left `undefined` was omitted (PATCH: keep the stored one). */
export interface BedrockSettings {
  region: string;
  model: string;
  small_fast_model: string;
  role_arn: string;
  access_key: string | undefined;
  access_key_secret: string | undefined;
}

/** Bedrock settings are meaningful for these of our types only. */
export function acceptsBedrockSettings(ourType: string): boolean {
  return ourType === 'anthropic' || ourType === 'bedrock';
}

/** At least one load-bearing field (model names have deployment defaults in Coder, so they do not count). */
export function isConfigured(b: BedrockSettings): boolean {
  return b.region !== '' || b.role_arn !== '' || !!b.access_key || !!b.access_key_secret;
}

/** Our provider settings for a new provider: the non-empty fields (secrets go to the vault by name). */
export function settingsForCreate(b: BedrockSettings | null): Record<string, unknown> | undefined {
  if (!b) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of [...BEDROCK_PLAIN_FIELDS, ...BEDROCK_SECRET_FIELDS]) {
    const value = b[field];
    if (value) out[field] = value;
  }
  return out;
}

/**
 * A settings patch for the service (merge semantics, null removes): a block replaces the stored one field by field,
 * an omitted secret is kept, an empty one cleared; `null` clears every Bedrock field.
 */
export function settingsPatch(b: BedrockSettings | null): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (!b) {
    for (const field of BEDROCK_CLEARED) patch[field] = null;
    return patch;
  }
  for (const field of BEDROCK_PLAIN_FIELDS) patch[field] = b[field] === '' ? null : b[field];
  for (const field of BEDROCK_SECRET_FIELDS) {
    const value = b[field];
    if (value !== undefined) patch[field] = value === '' ? null : value;
  }
  return patch;
}

/** Whether the stored settings carry a Bedrock block (any Coder Bedrock field set, secrets included). */
export function hasBedrockBlock(provider: Provider): boolean {
  if (!acceptsBedrockSettings(provider.type)) return false;
  const s = provider.settings;
  return (
    [...BEDROCK_PLAIN_FIELDS, ...BEDROCK_SECRET_FIELDS].some((f) => typeof s[f] === 'string' && s[f] !== '') ||
    s.has_access_key === true ||
    s.has_access_key_secret === true
  );
}

/** `settings` as Coder shows it: null, or `{_type, _version, …}` without the write-only secrets. */
export function coderSettingsOf(provider: Provider): Record<string, unknown> | null {
  if (!hasBedrockBlock(provider)) return null;
  const out: Record<string, unknown> = { _type: 'bedrock', _version: 1 };
  for (const field of [...BEDROCK_PLAIN_FIELDS].sort()) {
    const value = provider.settings[field];
    if (typeof value === 'string' && value !== '') out[field] = value;
  }
  return out;
}

// --- the provider ----------------------------------------------------------------------

export interface CoderKey {
  id: string;
  masked: string;
  created_at: string;
}

export interface AIProvider {
  id: string;
  type: CoderType;
  name: string;
  display_name: string;
  icon: string;
  enabled: boolean;
  base_url: string;
  api_keys: CoderKey[];
  settings: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

/**
 * Keys in creation order, as Coder returns them: by created_at, and keys created together (same instant) in the order
 * they were sent, which is the order the service keeps them in. A stable sort, so random ids never decide.
 */
export function keysInCreationOrder<K extends { created_at: string }>(keys: readonly K[]): K[] {
  return [...keys].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}

export function iconOf(provider: Pick<Provider, 'settings'>): string {
  const icon = provider.settings[ICON_SETTING];
  return typeof icon === 'string' ? icon : '';
}

/** `masked` is already Coder's rule (coderMask) in our key output; `base_url` is shown exactly as stored (as given). */
export function toAIProvider(provider: Provider, type: CoderType): AIProvider {
  return {
    id: provider.id,
    type,
    name: provider.name,
    display_name: provider.display_name || provider.name,
    icon: iconOf(provider),
    enabled: provider.enabled,
    base_url: provider.base_url,
    api_keys: keysInCreationOrder(provider.api_keys).map((k) => ({ id: k.id, masked: k.masked, created_at: k.created_at })),
    settings: coderSettingsOf(provider),
    created_at: provider.created_at,
    updated_at: provider.updated_at,
  };
}
