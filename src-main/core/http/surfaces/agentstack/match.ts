import { setImmediate as nextTurn } from 'node:timers/promises';
import { codePoints, prepareB, ratioAbove } from './similarity.js';

/** At most this many suggested models per request, each at most this many characters (the request is refused beyond). */
export const MAX_SUGGESTED_MODELS = 100;
export const MAX_SUGGESTED_MODEL_LENGTH = 256;
/** A stored model id is compared by its first characters only: real ids are far shorter, and each pair then costs a bounded amount. */
export const MAX_COMPARED_ID_LENGTH = 256;
/** Longest stretch of scoring before other requests get their turn on the event loop. */
const SLICE_MS = 20;

export interface ScoredModel {
  model_id: string;
  score: number;
}

/**
 * Scores per the spec: 0.5 + r/2 for the best suggestion when r > cutoff, 0.5 without suggestions; only ≥ 0.5, by
 * score then id. Each suggestion is prepared once; a pair is compared in full only when its upper bound could beat
 * the best so far; the loop yields every SLICE_MS so that a large store never stalls the server.
 */
export async function matchScores(
  suggested: readonly string[] | null,
  available: readonly string[],
  cutoff: number,
): Promise<ScoredModel[]> {
  const distinct = [...new Set(suggested ?? [])];
  const scored: ScoredModel[] = [];
  if (distinct.length === 0) {
    for (const id of available) scored.push({ model_id: id, score: 0.5 });
  } else {
    const prepared = distinct.map((s) => prepareB(codePoints(s, MAX_SUGGESTED_MODEL_LENGTH), MAX_COMPARED_ID_LENGTH));
    let sliceStart = performance.now();
    for (const id of available) {
      const a = codePoints(id, MAX_COMPARED_ID_LENGTH);
      let best: number | null = null;
      for (const b of prepared) {
        best = ratioAbove(a, b, best ?? cutoff) ?? best;
        if (performance.now() - sliceStart > SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
      if (best !== null) scored.push({ model_id: id, score: 0.5 + best / 2 });
    }
  }
  // Models whose best ratio is not above the cutoff were never added, so every score here is at least 0.5.
  return scored.sort((x, y) => y.score - x.score || (x.model_id < y.model_id ? -1 : x.model_id > y.model_id ? 1 : 0));
}
