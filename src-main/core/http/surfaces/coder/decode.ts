/**
 * Reading Coder's request bodies the way its Go server does: a value of the wrong JSON type is a decode error
 * ("Request body must be valid JSON." with encoding/json's detail), `null` is the zero value (or "not sent" for PATCH
 * fields), unknown fields are ignored. Then the field validations of codersdk, with the same field paths and details.
 */
import { isCoderType, isConfigured, type BedrockSettings } from './mapping.js';

export interface ValidationError {
  field: string;
  detail: string;
}

export interface CoderErrorBody {
  message: string;
  detail?: string;
  validations?: ValidationError[];
}

/** A failure answered in Coder's body shape `{message, detail?, validations?}`. */
export class CoderFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: CoderErrorBody,
  ) {
    super(body.message);
    this.name = 'CoderFailure';
  }
}

export const NAME_REGEX = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const INVALID_REQUEST = 'Invalid AI provider request.';
const INVALID_JSON = 'Request body must be valid JSON.';
const MAX_NAME = 64;
const MAX_DISPLAY_NAME = 200;
const MAX_URL = 2083;
const MAX_KEYS = 100;
const MAX_SECRET = 65_536;
const MAX_SETTING = 2048;
/** An icon is a URL, a path or an emoji in Coder; bounded so that it cannot bloat the store. */
const MAX_ICON = 65_536;

export function invalidRequest(validations: ValidationError[]): CoderFailure {
  return new CoderFailure(400, { message: INVALID_REQUEST, validations });
}

function decodeError(detail: string): CoderFailure {
  return new CoderFailure(400, { message: INVALID_JSON, detail });
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mismatch(value: unknown, field: string, goType: string): CoderFailure {
  return decodeError(`json: cannot unmarshal ${kindOf(value)} into Go struct field ${field} of type ${goType}`);
}

/** A string field; `null` or absent → undefined. */
function optString(value: unknown, field: string, goType = 'string'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw mismatch(value, field, goType);
  return value;
}

function optBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw mismatch(value, field, 'bool');
  return value;
}

/** The top-level body as an object; a missing body is `EOF` (as Go's decoder says), JSON `null` an empty object. */
function bodyObject(body: unknown, goType: string): Record<string, unknown> {
  if (body === undefined) throw decodeError('EOF');
  if (body === null) return {};
  if (!isObject(body)) throw decodeError(`json: cannot unmarshal ${kindOf(body)} into Go value of type codersdk.${goType}`);
  return body;
}

/**
 * `settings`: null means none; anything else is a `_type`/`_version` discriminated block, so `{}` (the seed's example)
 * fails like in Coder: "settings missing _type discriminator". Only Bedrock (version 1) exists.
 */
function decodeSettings(value: unknown): BedrockSettings | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value))
    throw decodeError(
      `decode settings header: json: cannot unmarshal ${kindOf(value)} into Go value of type codersdk.aiProviderSettingsHeader`,
    );
  const rawType = value._type ?? '';
  const version = value._version ?? 0;
  if (typeof rawType !== 'string') {
    throw decodeError(
      `decode settings header: json: cannot unmarshal ${kindOf(rawType)} into Go struct field aiProviderSettingsHeader._type of type string`,
    );
  }
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw decodeError(
      `decode settings header: json: cannot unmarshal ${kindOf(version)} into Go struct field aiProviderSettingsHeader._version of type int`,
    );
  }
  const type = rawType;
  if (type === '') throw decodeError('settings missing _type discriminator');
  if (type !== 'bedrock') throw decodeError(`unknown settings type ${JSON.stringify(type)}`);
  if (version !== 1) throw decodeError(`unsupported "bedrock" settings version ${version} (expected 1)`);
  const field = (name: string) => {
    try {
      return optString(value[name], `AIProviderBedrockSettings.${name}`);
    } catch (error) {
      throw error instanceof CoderFailure ? decodeError(`decode bedrock settings: ${error.body.detail ?? ''}`) : error;
    }
  };
  return {
    region: field('region') ?? '',
    model: field('model') ?? '',
    small_fast_model: field('small_fast_model') ?? '',
    role_arn: field('role_arn') ?? '',
    access_key: field('access_key'),
    access_key_secret: field('access_key_secret'),
  };
}

function validateSettingsLengths(b: BedrockSettings | null): ValidationError[] {
  if (!b) return [];
  const out: ValidationError[] = [];
  for (const name of ['region', 'model', 'small_fast_model', 'role_arn'] as const) {
    if (b[name].length > MAX_SETTING) out.push({ field: `settings.${name}`, detail: `${name} must be at most ${MAX_SETTING} characters` });
  }
  for (const name of ['access_key', 'access_key_secret'] as const) {
    if ((b[name]?.length ?? 0) > MAX_SECRET) out.push({ field: `settings.${name}`, detail: `${name} is too long` });
  }
  return out;
}

function validateName(name: string): ValidationError[] {
  if (name === '') return [{ field: 'name', detail: 'name is required' }];
  if (!NAME_REGEX.test(name))
    return [{ field: 'name', detail: `name must match ${NAME_REGEX.source} (lowercase alphanumeric, hyphens between words)` }];
  if (name.length > MAX_NAME) return [{ field: 'name', detail: `name must be at most ${MAX_NAME} characters` }];
  return [];
}

function validateBaseUrl(raw: string): ValidationError[] {
  if (raw === '') return [{ field: 'base_url', detail: 'base_url is required' }];
  if (raw.length > MAX_URL) return [{ field: 'base_url', detail: `base_url must be at most ${MAX_URL} characters` }];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [{ field: 'base_url', detail: 'base_url must be an absolute URL (e.g. https://api.example.com/)' }];
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (url.hostname === '') return [{ field: 'base_url', detail: 'base_url must be an absolute URL (e.g. https://api.example.com/)' }];
  if (scheme !== 'http' && scheme !== 'https')
    return [{ field: 'base_url', detail: `base_url scheme must be http or https, got ${JSON.stringify(scheme)}` }];
  return [];
}

function validateDisplayName(displayName: string | undefined): ValidationError[] {
  return displayName !== undefined && displayName.length > MAX_DISPLAY_NAME
    ? [{ field: 'display_name', detail: `display_name must be at most ${MAX_DISPLAY_NAME} characters` }]
    : [];
}

function validateIcon(icon: string | undefined): ValidationError[] {
  return icon !== undefined && icon.length > MAX_ICON ? [{ field: 'icon', detail: `icon must be at most ${MAX_ICON} characters` }] : [];
}

function validateKeyValue(key: string, field: string, label: string): ValidationError[] {
  if (key === '') return [{ field, detail: `${label} must not be empty` }];
  if (key.trim() !== key) return [{ field, detail: `${label} must not contain leading or trailing whitespace` }];
  if (key.length > MAX_SECRET) return [{ field, detail: `${label} must be at most ${MAX_SECRET} characters` }];
  return [];
}

// --- create ------------------------------------------------------------------------------

export interface CreateRequest {
  type: string;
  name: string;
  display_name: string;
  icon: string;
  enabled: boolean;
  base_url: string;
  api_keys: string[];
  settings: BedrockSettings | null;
}

export function decodeCreate(body: unknown): CreateRequest {
  const b = bodyObject(body, 'CreateAIProviderRequest');
  const s = 'CreateAIProviderRequest';
  let apiKeys: string[] = [];
  if (b.api_keys !== undefined && b.api_keys !== null) {
    if (!Array.isArray(b.api_keys)) throw mismatch(b.api_keys, `${s}.api_keys`, '[]string');
    apiKeys = b.api_keys.map((k) => optString(k, `${s}.api_keys`) ?? '');
  }
  return {
    type: optString(b.type, `${s}.type`, 'codersdk.AIProviderType') ?? '',
    name: optString(b.name, `${s}.name`) ?? '',
    display_name: optString(b.display_name, `${s}.display_name`) ?? '',
    icon: optString(b.icon, `${s}.icon`) ?? '',
    enabled: optBool(b.enabled, `${s}.enabled`) ?? false,
    base_url: optString(b.base_url, `${s}.base_url`) ?? '',
    api_keys: apiKeys,
    settings: decodeSettings(b.settings),
  };
}

/** codersdk's CreateAIProviderRequest.Validate, plus the lengths our store keeps. */
export function validateCreate(req: CreateRequest): ValidationError[] {
  const out: ValidationError[] = [];
  if (req.type === '') out.push({ field: 'type', detail: 'type is required' });
  else if (!isCoderType(req.type)) out.push({ field: 'type', detail: `unsupported provider type ${JSON.stringify(req.type)}` });
  out.push(...validateName(req.name));
  out.push(...validateDisplayName(req.display_name));
  out.push(...validateIcon(req.icon));
  out.push(...validateBaseUrl(req.base_url));
  if (req.api_keys.length > MAX_KEYS) out.push({ field: 'api_keys', detail: `api_keys must have at most ${MAX_KEYS} entries` });
  req.api_keys.forEach((key, i) => out.push(...validateKeyValue(key, `api_keys[${i}]`, 'api_keys entries')));
  out.push(...validateSettingsLengths(req.settings));
  if (req.settings && req.type !== 'anthropic' && req.type !== 'bedrock') {
    out.push({ field: 'settings', detail: 'bedrock settings are only valid for type=anthropic or type=bedrock' });
  }
  if (req.type === 'bedrock' && (!req.settings || !isConfigured(req.settings))) {
    out.push({
      field: 'settings.region',
      detail: 'type=bedrock requires bedrock settings with at least one of region, role_arn, access_key or access_key_secret',
    });
  }
  if (req.type === 'bedrock' && req.api_keys.length > 0) out.push({ field: 'api_keys', detail: 'type=bedrock does not accept api_keys' });
  if (req.type === 'copilot' && req.api_keys.length > 0) out.push({ field: 'api_keys', detail: 'type=copilot does not accept api_keys' });
  return out;
}

// --- update ------------------------------------------------------------------------------

export interface UpdateRequest {
  display_name?: string;
  icon?: string;
  enabled?: boolean;
  base_url?: string;
  api_keys?: Array<{ id: string | undefined; api_key: string | undefined }>;
  /** undefined: not sent; null: clear. */
  settings?: BedrockSettings | null;
}

export function decodeUpdate(body: unknown): UpdateRequest {
  // An empty body is an empty patch (answered "At least one field must be provided.").
  const b = body === undefined ? {} : bodyObject(body, 'UpdateAIProviderRequest');
  const s = 'UpdateAIProviderRequest';
  const req: UpdateRequest = {};
  const displayName = optString(b.display_name, `${s}.display_name`);
  if (displayName !== undefined) req.display_name = displayName;
  const icon = optString(b.icon, `${s}.icon`);
  if (icon !== undefined) req.icon = icon;
  const enabled = optBool(b.enabled, `${s}.enabled`);
  if (enabled !== undefined) req.enabled = enabled;
  const baseUrl = optString(b.base_url, `${s}.base_url`);
  if (baseUrl !== undefined) req.base_url = baseUrl;
  if (b.api_keys !== undefined && b.api_keys !== null) {
    if (!Array.isArray(b.api_keys)) throw mismatch(b.api_keys, `${s}.api_keys`, '[]codersdk.AIProviderKeyMutation');
    req.api_keys = b.api_keys.map((entry) => {
      if (entry === null) return { id: undefined, api_key: undefined };
      if (!isObject(entry))
        throw decodeError(
          `json: cannot unmarshal ${kindOf(entry)} into Go struct field ${s}.api_keys of type codersdk.AIProviderKeyMutation`,
        );
      const id = optString(entry.id, `${s}.api_keys.id`, 'uuid.UUID');
      if (id === '') throw decodeError('invalid UUID length: 0');
      return { id, api_key: optString(entry.api_key, `${s}.api_keys.api_key`) };
    });
  }
  if (b.settings !== undefined) req.settings = decodeSettings(b.settings);
  return req;
}

export function isEmptyUpdate(req: UpdateRequest): boolean {
  return (
    req.display_name === undefined &&
    req.icon === undefined &&
    req.enabled === undefined &&
    req.base_url === undefined &&
    req.api_keys === undefined &&
    req.settings === undefined
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Key ids compare like Go's uuid.UUID (case-insensitive) when they are UUIDs, exactly otherwise. */
export function keyIdentity(id: string): string {
  return isUuid(id) ? id.toLowerCase() : id;
}

/** codersdk's UpdateAIProviderRequest.Validate, plus the lengths our store keeps. */
export function validateUpdate(req: UpdateRequest): ValidationError[] {
  const out: ValidationError[] = [];
  out.push(...validateDisplayName(req.display_name));
  out.push(...validateIcon(req.icon));
  if (req.base_url !== undefined) out.push(...validateBaseUrl(req.base_url));
  if (req.api_keys) {
    if (req.api_keys.length > MAX_KEYS) out.push({ field: 'api_keys', detail: `api_keys must have at most ${MAX_KEYS} entries` });
    const seen = new Map<string, number>();
    req.api_keys.forEach((m, i) => {
      const hasId = m.id !== undefined;
      const hasKey = m.api_key !== undefined;
      if (hasId === hasKey) out.push({ field: `api_keys[${i}]`, detail: 'exactly one of id or api_key must be set' });
      else if (m.api_key !== undefined) out.push(...validateKeyValue(m.api_key, `api_keys[${i}].api_key`, 'api_key'));
      if (m.id !== undefined && !hasKey) {
        const identity = keyIdentity(m.id);
        const previous = seen.get(identity);
        if (previous !== undefined)
          out.push({ field: `api_keys[${i}].id`, detail: `id ${m.id} already referenced at api_keys[${previous}]` });
        else seen.set(identity, i);
      }
    });
  }
  if (req.settings) out.push(...validateSettingsLengths(req.settings));
  return out;
}

/** The path parameter: a UUID (any case) or a valid name; anything else is a 400, not a misleading 404. */
export function checkIdOrName(raw: unknown): { kind: 'id' | 'name'; value: string } {
  const value = typeof raw === 'string' ? raw : '';
  if (isUuid(value)) return { kind: 'id', value: value.toLowerCase() };
  if (NAME_REGEX.test(value)) return { kind: 'name', value };
  throw new CoderFailure(400, { message: `Invalid provider id or name: must be a UUID or match ${NAME_REGEX.source}` });
}
