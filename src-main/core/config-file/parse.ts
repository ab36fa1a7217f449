/**
 * Reads a config.json document into what Provider Desk stores, without touching the store:
 * every invalid field is reported with its JSON path, and nothing stops at the first error.
 * This file reads the top level; parse-provider.ts and parse-key.ts read what is under `providers`.
 */
import type { FieldError } from '../contract/errors.js';
import { DOCUMENT_ENTRIES, documentEntries, type DocumentEntries } from './file-document.js';
import { jsonPath, type JsonObject, type Path } from './format.js';
import { Collector } from './parse-collector.js';
import { parseProvider, type ParsedProvider, type StoredType } from './parse-provider.js';

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

/**
 * Reads a whole document: one in memory, or the entries view of one (a file read as it is needed, see
 * file-document.ts). Returns what it could read and every error found.
 */
export function parseDocument(
  document: JsonObject | DocumentEntries,
  storedType: StoredType = () => undefined,
): { parsed: ParsedDocument; errors: FieldError[] } {
  const source = isEntries(document) ? document : documentEntries(document);
  const c = new Collector();
  c.errors.push(...source.errors);
  const sections = source.sections;
  const order = [...source.order];
  if (!order.includes('providers')) order.unshift('providers');

  const providerNames: string[] = [];
  const hasProviders = source.providersIsObject || (source.providersValue !== undefined && source.providersValue !== null);
  if (hasProviders && !source.providersIsObject) c.add(['providers'], 'must be an object keyed by provider name');
  // Every provider is checked now; what a valid one reads as is not kept (see `providers`).
  const keyIds = new KeyIds();
  for (const [name, value] of source.entries) {
    providerNames.push(name);
    const provider = parseProvider(c, name, value, storedType);
    if (provider) keyIds.check(provider);
  }
  keyIds.report(c);
  const providers: Iterable<ParsedProvider> = {
    *[Symbol.iterator]() {
      // The same reading again; its errors were collected above, so a fresh collector only serves the memo.
      const again = new Collector();
      for (const [name, value] of source.entries) {
        const provider = parseProvider(again, name, value, storedType);
        if (provider) yield provider;
      }
    },
  };
  return { parsed: { providers, providerNames, hasProviders, sections, order }, errors: c.errors };
}

export function isEntries(document: JsonObject | DocumentEntries): document is DocumentEntries {
  return DOCUMENT_ENTRIES in document;
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
