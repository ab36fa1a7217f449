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
  /**
   * The valid providers, read again from the document each time this is iterated: an import of 100,000 providers
   * then never holds them all at once next to the document itself (they are checked once up front, all of them).
   */
  providers: Iterable<ParsedProvider>;
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

  const providerNames: string[] = [];
  const raw = document.providers;
  const hasProviders = raw !== undefined && raw !== null;
  const entries = isObject(raw) ? raw : {};
  if (hasProviders && !isObject(raw)) c.add(['providers'], 'must be an object keyed by provider name');
  // Every provider is checked now; what a valid one reads as is not kept (see `providers`).
  const keyIds = new KeyIds();
  for (const [name, value] of Object.entries(entries)) {
    providerNames.push(name);
    const provider = parseProvider(c, name, value);
    if (provider) keyIds.check(provider);
  }
  keyIds.report(c);
  const providers: Iterable<ParsedProvider> = {
    *[Symbol.iterator]() {
      // The same reading again; its errors were collected above, so a fresh collector only serves the memo.
      const again = new Collector();
      for (const [name, value] of Object.entries(entries)) {
        const provider = parseProvider(again, name, value);
        if (provider) yield provider;
      }
    },
  };
  return { parsed: { providers, providerNames, hasProviders, sections, order }, errors: c.errors };
}

/** A key id may appear once in a whole file (ids are unique across the store); reported after every other error. */
class KeyIds {
  private readonly seen = new Map<string, Path>();
  private readonly twice: Array<{ path: Path; first: Path }> = [];

  check(provider: ParsedProvider): void {
    for (const key of provider.keys) {
      if (key.id === undefined) continue;
      const first = this.seen.get(key.id);
      if (first) this.twice.push({ path: key.path, first });
      else this.seen.set(key.id, key.path);
    }
  }

  report(c: Collector): void {
    for (const { path, first } of this.twice) c.add([...path, 'id'], `is used twice in this file (also ${jsonPath(first)})`);
  }
}
