/**
 * The body of ZIRI's `PUT /api/providers/:name` (edit the display name, rotate the key), read as ZIRI reads it: an empty
 * or missing field means "keep", a display name is trimmed, and a body with nothing to change is refused before the
 * provider is even looked up.
 */
import { NOTHING_TO_UPDATE, ZiriFailure } from './mapping.js';

export const MAX_DISPLAY_NAME = 200;

export interface ZiriUpdate {
  /** The new key as sent (checked later against the provider's type); undefined keeps the stored one. */
  apiKey: string | undefined;
  /** Trimmed; undefined keeps the stored one. */
  displayName: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(body: Record<string, unknown>, field: 'apiKey' | 'displayName'): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ZiriFailure(400, 'VALIDATION_ERROR', `${field} must be a string`);
  return value;
}

export function readUpdate(body: unknown): ZiriUpdate {
  const b = isObject(body) ? body : {};
  const apiKey = optionalString(b, 'apiKey');
  const displayName = optionalString(b, 'displayName')?.trim();
  // ZIRI: no key and no non-blank display name → nothing to do. A blank-but-present key passes here and changes nothing.
  if (!apiKey && !displayName) throw NOTHING_TO_UPDATE;
  if (displayName !== undefined && displayName.length > MAX_DISPLAY_NAME) {
    throw new ZiriFailure(400, 'VALIDATION_ERROR', `displayName must be at most ${MAX_DISPLAY_NAME} characters`);
  }
  return { apiKey: apiKey?.trim() ? apiKey : undefined, displayName: displayName || undefined };
}
