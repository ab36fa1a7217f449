/**
 * A key's config: every key field without a column of its own (the typed `*_key_config` blocks, aliases …),
 * normalised to what the store keeps so that the secrets in it are sealed like the key's value.
 */
import { isSecretFieldName } from '../service/secret-fields.js';
import {
  CORE_KEY_FIELDS,
  isKeepMarker,
  isObject,
  isSecretObject,
  READ_ONLY_KEY_FIELDS,
  REDACTED,
  secretString,
  type JsonObject,
  type Path,
} from './format.js';
import type { Collector } from './parse-collector.js';

/**
 * The config fields of a raw key. `typed` says whether it has a `*_key_config` block: such a key authenticates
 * through that block (a cloud account …), so its value may be empty.
 */
export function readKeyConfig(c: Collector, raw: JsonObject, path: Path): { config: JsonObject; typed: boolean } {
  const config: JsonObject = {};
  let typed = false;
  for (const [field, fieldValue] of Object.entries(raw)) {
    if (CORE_KEY_FIELDS.has(field) || READ_ONLY_KEY_FIELDS.has(field) || fieldValue === undefined || fieldValue === null) continue;
    if (field.endsWith('_key_config')) {
      if (!isObject(fieldValue)) {
        c.add([...path, field], 'must be an object');
        continue;
      }
      typed = true;
    }
    config[field] = normaliseConfigValue(field, fieldValue, 0);
  }
  return { config, typed };
}

/**
 * Typed key configs as the store keeps them: Bifrost secret objects become strings, a secret given as an object
 * (a service-account JSON) becomes its JSON text so that it is sealed, and masks of secrets read as `<REDACTED>`.
 */
function normaliseConfigValue(field: string, value: unknown, depth: number): unknown {
  if (isSecretObject(value)) return normaliseConfigValue(field, secretString(value), depth);
  if (isSecretFieldName(field)) {
    if (typeof value === 'string') return isKeepMarker(value) ? REDACTED : value;
    if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
    return value;
  }
  if (isObject(value) && depth === 0) {
    return Object.fromEntries(
      Object.entries(value).map(([inner, innerValue]) => [inner, normaliseConfigValue(inner, innerValue, depth + 1)]),
    );
  }
  return value;
}
