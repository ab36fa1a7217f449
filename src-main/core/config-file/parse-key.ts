/**
 * A provider's `keys` array: each key's columns, its secret in any of Bifrost's spellings, and its config.
 * Whether a key is required depends on the provider, so the caller says whether the provider is keyless.
 */
import { catalogEntry } from '../catalog/catalog.js';
import { childPath, isEnvRef, isKeepMarker, isObject, REDACTED, secretString, type JsonObject, type Path } from './format.js';
import type { Collector } from './parse-collector.js';
import { readKeyConfig } from './parse-key-config.js';

export interface ParsedKey {
  path: Path;
  id: string | undefined;
  name: string | undefined;
  /** A literal, `env.VAR`, '' (keyless entry) or `<REDACTED>` (keep the stored secret; masks are read as this too). */
  value: string;
  /** The mask the file gave, when it gave one, to check against the stored key. */
  mask: string | undefined;
  enabled: boolean;
  weight: number;
  models: string[];
  blacklisted_models: string[];
  use_for_batch_api: boolean;
  /** Every other field of the key (typed `*_key_config` blocks …), secrets as strings, keep markers as `<REDACTED>`. */
  config: JsonObject | null;
}

/** The valid keys of one provider; names must be unique within it. */
export function parseKeys(c: Collector, value: unknown, path: Path, keyless: boolean, type: string | undefined): ParsedKey[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    c.add([...path, 'keys'], 'must be an array');
    return [];
  }
  const keys: ParsedKey[] = [];
  const names = new Map<string, number>();
  value.forEach((raw, index) => {
    const keyPath = childPath(path, 'keys', index);
    const key = parseKey(c, raw, keyPath, keyless, type);
    if (!key) return;
    if (key.name !== undefined) {
      const first = names.get(key.name);
      if (first !== undefined) c.add([...keyPath, 'name'], `is used twice in this provider (also keys[${first}])`);
      else names.set(key.name, index);
    }
    keys.push(key);
  });
  // Kept for the whole import: a copy at its exact length, not the pushed array with room for 16.
  return keys.slice();
}

function parseKey(c: Collector, raw: unknown, path: Path, keyless: boolean, type: string | undefined): ParsedKey | undefined {
  if (!isObject(raw)) {
    c.add(path, 'must be an object');
    return undefined;
  }
  const before = c.errors.length;
  const name = c.string(typeof raw.name === 'string' ? raw.name.trim() : raw.name, path, 'name', 1, 100);
  let weight: number | undefined;
  if (raw.weight !== undefined && raw.weight !== null) {
    if (typeof raw.weight !== 'number' || !Number.isFinite(raw.weight)) c.add([...path, 'weight'], 'must be a number');
    else if (raw.weight < 0) c.add([...path, 'weight'], 'must be 0 or more');
    else if (raw.weight > 1000) c.add([...path, 'weight'], 'must be at most 1000');
    else weight = raw.weight;
  }
  const core = {
    id: c.string(raw.id, path, 'id', 1, 128),
    name,
    enabled: c.boolean(raw.enabled, path, 'enabled'),
    weight,
    models: c.strings(raw.models, path, 'models'),
    blacklisted_models: c.strings(raw.blacklisted_models, path, 'blacklisted_models'),
    use_for_batch_api: c.boolean(raw.use_for_batch_api, path, 'use_for_batch_api'),
  };

  const { config, typed: typedConfig } = readKeyConfig(c, raw, path);

  let value = '';
  let mask: string | undefined;
  if (raw.value !== undefined && raw.value !== null) {
    const text = secretString(raw.value);
    if (text === undefined) {
      c.add([...path, 'value'], 'must be a string (the key, or "env.VAR"), or a Bifrost secret object');
    } else if (isKeepMarker(text)) {
      value = REDACTED;
      if (text !== REDACTED) mask = text;
    } else {
      value = text;
      if (text.length > 65_536) c.add([...path, 'value'], 'is too long');
      if (text.trim() !== text) c.add([...path, 'value'], 'must not start or end with whitespace');
      if (text.startsWith('env.') && !isEnvRef(text))
        c.add([...path, 'value'], 'is not a valid env.VAR reference (letters, digits and _ after "env.")');
    }
  }
  if (value === '' && !keyless && !typedConfig && type !== undefined) {
    c.add(
      [...path, 'value'],
      `is required: ${catalogEntry(type).label} needs an API key (a literal key, or "env.VAR" to read it from the environment)`,
    );
  }
  if (c.errors.length > before) return undefined;
  return {
    path,
    id: core.id,
    name: core.name,
    value,
    mask,
    enabled: core.enabled ?? true,
    weight: core.weight ?? 1,
    models: core.models ?? [],
    blacklisted_models: core.blacklisted_models ?? [],
    use_for_batch_api: core.use_for_batch_api ?? false,
    config: Object.keys(config).length > 0 ? config : null,
  };
}
