/**
 * Reads a config.json document into what Provider Desk stores, without touching the store:
 * every invalid field is reported with its JSON path, and nothing stops at the first error.
 * This file reads the top level; parse-provider.ts and parse-key.ts read what is under `providers`.
 */
import type { FieldError } from '../contract/errors.js';
import { isObject, jsonPath, type JsonObject, type Path } from './format.js';
import { Collector } from './parse-collector.js';
import { parseProvider, type ParsedProvider } from './parse-provider.js';

// The plan (and its tests) read these from here: the parsed document's types in one place.
export type { ParsedKey } from './parse-key.js';
export type { ParsedProvider } from './parse-provider.js';

export interface ParsedDocument {
  providers: ParsedProvider[];
  /** Names the file gives under `providers`, valid or not (so an invalid provider is never pruned by mistake). */
  providerNames: string[];
  hasProviders: boolean;
  /** Every other top-level section, as it was. */
  sections: JsonObject;
  /** Top-level key order, `providers` included. */
  order: string[];
}

/** Reads a whole document. Returns what it could read and every error found. */
export function parseDocument(document: JsonObject): { parsed: ParsedDocument; errors: FieldError[] } {
  const c = new Collector();
  const sections: JsonObject = {};
  for (const [key, value] of Object.entries(document)) if (key !== 'providers') sections[key] = value;
  const order = Object.keys(document);
  if (!order.includes('providers')) order.unshift('providers');

  const providers: ParsedProvider[] = [];
  const providerNames: string[] = [];
  const raw = document.providers;
  const hasProviders = raw !== undefined && raw !== null;
  if (hasProviders && !isObject(raw)) {
    c.add(['providers'], 'must be an object keyed by provider name');
  } else if (isObject(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      providerNames.push(name);
      const provider = parseProvider(c, name, value);
      if (provider) providers.push(provider);
    }
  }
  checkKeyIds(c, providers);
  return { parsed: { providers, providerNames, hasProviders, sections, order }, errors: c.errors };
}

/** A key id may appear once in a whole file (ids are unique across the store). */
function checkKeyIds(c: Collector, providers: ParsedProvider[]): void {
  const seen = new Map<string, Path>();
  for (const provider of providers) {
    for (const key of provider.keys) {
      if (key.id === undefined) continue;
      const first = seen.get(key.id);
      if (first) c.add([...key.path, 'id'], `is used twice in this file (also ${jsonPath(first)})`);
      else seen.set(key.id, key.path);
    }
  }
}
