/** ZIRI's view of a provider and the small rules of its API (shared/specs/ziri.md). */
import { resolveTypeId } from '../../../catalog/catalog.js';
import type { CheckResult, ErrorClass, Provider } from '../../../contract/domain-schemas.js';
import type { ProviderQuery, ProviderSortColumn } from '../../../service/provider-service.js';

export interface ZiriProvider {
  id: number;
  name: string;
  displayName: string;
  baseUrl: string | null;
  createdAt: string;
  updatedAt: string;
  type: string;
  hasCredentials: boolean;
  /** Always present (ZIRI's UI types it as required): the stored models, or the type's starting models before a listing. */
  models: string[];
}

/** A failure answered in ZIRI's body shape `{error, code}`. */
export class ZiriFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ZiriFailure';
  }
}

export const MISSING_FIELDS = 'name and apiKey are required';
export const NOT_FOUND = new ZiriFailure(404, 'PROVIDER_NOT_FOUND', 'Provider not found');
/** ZIRI's PUT answers an unknown name with 400, not 404. */
export const NOT_FOUND_ON_UPDATE = new ZiriFailure(400, 'PROVIDER_NOT_FOUND', 'Provider not found');
export const NOTHING_TO_UPDATE = new ZiriFailure(400, 'NOTHING_TO_UPDATE', 'Nothing to update');
export const MAX_KEY_LENGTH = 65_536;

/** ISO 8601 → ZIRI's UTC `YYYY-MM-DD HH:MM:SS`. */
export function ziriTimestamp(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

export function toZiriProvider(provider: Provider, models: string[]): ZiriProvider {
  return {
    id: provider.seq,
    name: provider.name,
    displayName: provider.display_name || provider.name,
    baseUrl: provider.base_url || null,
    createdAt: ziriTimestamp(provider.created_at),
    updatedAt: ziriTimestamp(provider.updated_at),
    type: provider.type,
    hasCredentials: provider.api_keys.length > 0,
    models,
  };
}

/** A name that is a catalog type (or alias: google → gemini) is that type; anything else is OpenAI-compatible. */
export function ziriTypeForName(name: string): string {
  return resolveTypeId(name) ?? 'openai-compat';
}

/** ZIRI's key format rule: no whitespace; openai `sk-`, anthropic `sk-ant-`, any other type at least 10 characters. */
export function ziriKeyLooksValid(type: string, key: string): boolean {
  if (key.trim() === '' || /\s/u.test(key) || key.length > MAX_KEY_LENGTH) return false;
  if (type === 'openai') return key.startsWith('sk-');
  if (type === 'anthropic') return key.startsWith('sk-ant-');
  return [...key].length >= 10;
}

const REASONS: Record<ErrorClass, string> = {
  auth_failed: 'Invalid API key',
  forbidden: 'Access denied',
  not_found: 'Endpoint not found',
  rate_limited: 'Rate limited',
  quota_exceeded: 'Quota exceeded',
  server_error: 'Provider server error',
  timeout: 'Timed out',
  dns_failed: 'Host not found',
  connection_refused: 'Connection refused',
  tls_failed: 'TLS handshake failed',
  proxy_failed: 'Proxy error',
  blocked_private_network: 'Private network address blocked',
  invalid_response: 'Invalid response',
  missing_credentials: 'Missing API key',
  missing_env: 'Environment variable not set',
  unsupported: 'Not supported by this provider',
};

/** The reason after "Provider connection failed: ", naming the error class and the HTTP status, e.g. `Invalid API key (401)`. */
export function failureReason(result: CheckResult | undefined): string {
  if (!result) return 'No check was run';
  const reason = result.error_class ? REASONS[result.error_class] : result.message || 'Unknown error';
  return result.http_status !== null ? `${reason} (${result.http_status})` : reason;
}

const SORT_COLUMNS: Record<string, ProviderSortColumn> = {
  name: 'name',
  displayName: 'display_name',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function count(name: 'limit' | 'offset', raw: unknown, fallback: number): number {
  const value = first(raw);
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) {
    throw new ZiriFailure(400, 'INVALID_QUERY', `${name} must be a non-negative integer`);
  }
  return Math.min(Number(value.trim()), Number.MAX_SAFE_INTEGER);
}

/** `search`, `limit` (default 100), `offset`, `sortBy` (camelCase), `sortOrder`; unknown sort values are ignored. */
export function parseListQuery(query: unknown): ProviderQuery {
  const q = query && typeof query === 'object' ? (query as Record<string, unknown>) : {};
  const search = first(q.search);
  const sortBy = first(q.sortBy);
  const rawOrder = first(q.sortOrder);
  const sortOrder = typeof rawOrder === 'string' ? rawOrder.toLowerCase() : undefined;
  const column = typeof sortBy === 'string' && Object.hasOwn(SORT_COLUMNS, sortBy) ? SORT_COLUMNS[sortBy] : undefined;
  return {
    search: typeof search === 'string' && search !== '' ? search : undefined,
    limit: count('limit', q.limit, 100),
    offset: count('offset', q.offset, 0),
    sortBy: column ?? 'created_at',
    order: sortOrder === 'asc' || sortOrder === 'desc' ? sortOrder : 'desc',
  };
}
