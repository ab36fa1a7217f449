/**
 * What a config.json holds besides providers — its other top-level sections (client, governance, mcp, …), their order,
 * and provider fields we do not model — kept sealed in the meta table (they may hold passwords) and written back on export.
 */
import type { FieldError } from '../contract/errors.js';
import { canonicalJson } from '../service/canonical-json.js';
import type { Repository } from '../store/repository.js';
import type { Vault } from '../vault/vault.js';
import { isEnvRef, isObject, isSectionSecret, jsonPath, REDACTED, type JsonObject } from './format.js';

const META_KEY = 'config_file.state';
const AAD = `meta:${META_KEY}`;

export interface DocumentState {
  /** Top-level key order of the last imported document, `providers` included. */
  order: string[];
  sections: JsonObject;
  /** Per provider name: the fields of its block we do not model, as an overlay. */
  extras: Record<string, JsonObject>;
  /** Per provider name: how the file spelled the modeled fields whose absence Bifrost reads otherwise than we do. */
  spelling: Record<string, FileSpelling>;
}

/**
 * What the file wrote for a provider's base URL and private-network switch, kept so that an export can write them back
 * as they were while the stored values still match: the store keeps our default for them when the file is silent
 * (a catalog base URL, `allow_private_network: true` for local servers), which Bifrost would read differently.
 */
export interface FileSpelling {
  base_url?: string;
  allow_private_network?: boolean;
}

export function emptyState(): DocumentState {
  return { order: ['providers'], sections: {}, extras: {}, spelling: {} };
}

export function readState(repo: Repository, vault: Vault): DocumentState {
  const row = repo.getMeta(META_KEY);
  if (!row?.sealed) return emptyState();
  const state = JSON.parse(vault.openText(row.sealed, AAD)) as Partial<DocumentState>;
  return {
    order: state.order ?? ['providers'],
    sections: state.sections ?? {},
    extras: state.extras ?? {},
    spelling: state.spelling ?? {},
  };
}

export function writeState(repo: Repository, vault: Vault, state: DocumentState): void {
  repo.setMeta(META_KEY, null, vault.sealText(JSON.stringify(state), AAD));
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A copy with every literal secret (by field name) replaced by `<REDACTED>`; `env.VAR` references stay. */
export function redactDeep(value: unknown, path: Array<string | number> = []): unknown {
  if (Array.isArray(value)) return value.map((item, index) => redactDeep(item, [...path, index]));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactDeep(inner, [...path, key])]));
  if (typeof value === 'string' && value !== '' && !isEnvRef(value) && isSectionSecret(path)) return REDACTED;
  return value;
}

/** Puts the stored value back wherever the file says `<REDACTED>`; a marker with nothing stored at its path is an error. */
export function resolveRedacted(value: unknown, stored: unknown, path: Array<string | number>, errors: FieldError[]): unknown {
  if (value === REDACTED) {
    if (stored === undefined || stored === null || stored === REDACTED) {
      errors.push({ path: jsonPath(path), message: 'is <REDACTED> but nothing is stored here to keep; give the value' });
      return value;
    }
    return stored;
  }
  if (Array.isArray(value)) {
    const storedItems = Array.isArray(stored) ? stored : [];
    return value.map((item, index) => resolveRedacted(item, storedItems[index], [...path, index], errors));
  }
  if (isObject(value)) {
    const storedObject = isObject(stored) ? stored : {};
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, resolveRedacted(inner, storedObject[key], [...path, key], errors)]),
    );
  }
  return value;
}

/** Lays `extras` over an exported block, recursing into objects both have. */
export function overlay(base: JsonObject, extras: JsonObject | undefined): JsonObject {
  if (!extras) return base;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(extras)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? overlay(current, value) : value;
  }
  return out;
}
