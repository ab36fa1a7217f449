/**
 * The top-level sections Provider Desk does not model (client, governance …): kept as they were, with their
 * `<REDACTED>` secrets resolved against the stored copy, so an import and export round-trip them unchanged.
 */
import type { FieldError } from '../contract/errors.js';
import type { JsonObject } from './format.js';
import type { ParsedDocument } from './parse.js';
import { resolveRedacted, sameJson, type DocumentState } from './state.js';

export interface SectionDiff {
  added: string[];
  changed: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * The file's sections replace the stored ones; stored ones it does not mention stay (after the file's, in order)
 * unless pruning. A `<REDACTED>` with nothing stored to keep is added to `errors`.
 */
export function planSections(
  parsed: ParsedDocument,
  previous: DocumentState,
  prune: boolean,
  errors: FieldError[],
): { order: string[]; sections: JsonObject; diff: SectionDiff } {
  const order: string[] = [];
  const sections: JsonObject = {};
  const diff: SectionDiff = { added: [], changed: [], unchanged: [], removed: [] };
  for (const name of parsed.order) if (name === 'providers' || name in parsed.sections) order.push(name);
  for (const [name, value] of Object.entries(parsed.sections)) {
    const resolved = resolveRedacted(value, previous.sections[name], [name], errors);
    sections[name] = resolved;
    if (!(name in previous.sections)) diff.added.push(name);
    else if (sameJson(previous.sections[name], resolved)) diff.unchanged.push(name);
    else diff.changed.push(name);
  }
  for (const [name, value] of Object.entries(previous.sections)) {
    if (name in parsed.sections) continue;
    if (prune) {
      diff.removed.push(name);
    } else {
      sections[name] = value;
      order.push(name);
    }
  }
  return { order, sections, diff };
}
