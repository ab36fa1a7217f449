import { setImmediate as nextTurn } from 'node:timers/promises';
import { codePoints, prepareB, ratioAbove } from './similarity.js';
import { roundLikePython } from './round.js';

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

/** Scores leave the server rounded to two places, as Agent Stack's `round(score, 2)` does; ordering uses the exact score. */
const SCORE_DIGITS = 2;

/**
 * Agent Stack's match: the configured default model (if any) starts at 0.5; with suggestions, every available model
 * whose best ratio beats the cutoff scores 0.5 + r/2 (the default keeps the higher of its two); without suggestions
 * only the default is returned, or nothing. Sorted by exact score, then id; scores rounded on the way out.
 * Each suggestion is prepared once; a pair is compared in full only when its upper bound could beat the best so far;
 * the loop yields every SLICE_MS so that a large store never stalls the server.
 */
export async function matchScores(
  suggested: readonly string[] | null,
  available: readonly string[],
  cutoff: number,
  defaultModel: string | null = null,
): Promise<ScoredModel[]> {
  const distinct = [...new Set(suggested ?? [])];
  const scores = new Map<string, number>();
  if (defaultModel) scores.set(defaultModel, 0.5);
  if (distinct.length > 0) {
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
      if (best !== null) scores.set(id, Math.max(scores.get(id) ?? 0, 0.5 + best / 2));
    }
  }
  // Models whose best ratio is not above the cutoff were never added, so every score here is at least 0.5.
  return [...scores]
    .sort(([xId, x], [yId, y]) => y - x || (xId < yId ? -1 : xId > yId ? 1 : 0))
    .map(([model_id, score]) => ({ model_id, score: roundLikePython(score, SCORE_DIGITS) }));
}
