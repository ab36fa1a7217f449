/**
 * The similarity ratio of Python's difflib.SequenceMatcher (no junk function, autojunk on), which Agent Stack
 * uses to score model names: 2·M / (|a| + |b|), where M counts the characters of the matching blocks found by
 * taking the longest common block, then recursing on the pieces to its left and right.
 *
 * `b` is prepared once (its index, its character counts, scratch rows) and then compared with many `a`s; the
 * upper bounds of difflib's real_quick_ratio and quick_ratio skip the full comparison when it cannot beat a floor.
 */

/** One string on the `b` side, ready to be compared with many `a`s. Not reentrant: one comparison at a time. */
export interface PreparedB {
  readonly length: number;
  /** Each distinct code point of b → a small symbol number. */
  readonly symbolOf: ReadonlyMap<number, number>;
  /** b as symbols. */
  readonly symbols: Int32Array;
  /** Where each symbol occurs in b, ascending; empty for "popular" symbols (autojunk). */
  readonly positions: readonly Int32Array[];
  /** How often each symbol occurs in b, popular ones included (quick_ratio counts them). */
  readonly counts: Int32Array;
  // Scratch space reused by every comparison against this b.
  readonly available: Int32Array;
  readonly translated: Int32Array;
  readonly rows: RunRows;
}

/**
 * Two rows of difflib's j2len (the length of the match ending at a[i], b[j]), as typed arrays tagged with the row
 * they belong to, so that nothing has to be cleared between rows or calls.
 */
interface RunRows {
  lengths: [Int32Array, Int32Array];
  rowOf: [Float64Array, Float64Array];
  nextRow: number;
}

/** The code points of a string, as Python iterates a str. */
export function codePoints(text: string, max = Number.POSITIVE_INFINITY): number[] {
  const out: number[] = [];
  for (const char of text) {
    if (out.length >= max) break;
    out.push(char.codePointAt(0) as number);
  }
  return out;
}

/** Prepares `b` for comparisons with `a`s of at most `maxA` code points. */
export function prepareB(b: readonly number[], maxA: number): PreparedB {
  const symbolOf = new Map<number, number>();
  const symbols = new Int32Array(b.length);
  const lists: number[][] = [];
  b.forEach((codePoint, index) => {
    let symbol = symbolOf.get(codePoint);
    if (symbol === undefined) {
      symbol = lists.length;
      symbolOf.set(codePoint, symbol);
      lists.push([]);
    }
    symbols[index] = symbol;
    (lists[symbol] as number[]).push(index);
  });
  const counts = Int32Array.from(lists, (list) => list.length);
  // With autojunk, elements of a long b that occur too often are left out of the index ("popular").
  const limit = b.length >= 200 ? Math.floor(b.length / 100) + 1 : Number.POSITIVE_INFINITY;
  const positions = lists.map((list) => (list.length > limit ? new Int32Array(0) : Int32Array.from(list)));
  return {
    length: b.length,
    symbolOf,
    symbols,
    positions,
    counts,
    available: new Int32Array(lists.length),
    translated: new Int32Array(maxA),
    rows: {
      lengths: [new Int32Array(b.length), new Int32Array(b.length)],
      rowOf: [new Float64Array(b.length).fill(-1), new Float64Array(b.length).fill(-1)],
      nextRow: 0,
    },
  };
}

/** The longest block a[i..i+size) == b[j..j+size) inside the given ranges, earliest in a, then in b, on ties (find_longest_match). */
function longestMatch(a: Int32Array, b: PreparedB, aLo: number, aHi: number, bLo: number, bHi: number): [number, number, number] {
  let bestI = aLo;
  let bestJ = bLo;
  let bestSize = 0;
  const { rows, positions } = b;
  let [readLength, writeLength] = rows.lengths;
  let [readRow, writeRow] = rows.rowOf;
  let previous = rows.nextRow++;
  for (let i = aLo; i < aHi; i++) {
    const current = rows.nextRow++;
    const symbol = a[i] as number;
    if (symbol >= 0) {
      const list = positions[symbol] as Int32Array;
      for (let p = 0; p < list.length; p++) {
        const j = list[p] as number;
        if (j < bLo) continue;
        if (j >= bHi) break;
        const length = j > 0 && readRow[j - 1] === previous ? (readLength[j - 1] as number) + 1 : 1;
        writeLength[j] = length;
        writeRow[j] = current;
        if (length > bestSize) {
          bestI = i - length + 1;
          bestJ = j - length + 1;
          bestSize = length;
        }
      }
    }
    previous = current;
    const lengths = readLength;
    readLength = writeLength;
    writeLength = lengths;
    const rowTags = readRow;
    readRow = writeRow;
    writeRow = rowTags;
  }
  // Popular elements are not indexed, so grow the block over equal neighbours the index could not see.
  const symbols = b.symbols;
  while (bestI > aLo && bestJ > bLo && a[bestI - 1] === symbols[bestJ - 1]) {
    bestI--;
    bestJ--;
    bestSize++;
  }
  while (bestI + bestSize < aHi && bestJ + bestSize < bHi && a[bestI + bestSize] === symbols[bestJ + bestSize]) bestSize++;
  return [bestI, bestJ, bestSize];
}

/** Total size of the matching blocks of `a` (as b's symbols, -1 where b lacks the character) and `b`. */
function matchedCount(a: Int32Array, b: PreparedB): number {
  const pending: number[] = [0, a.length, 0, b.length];
  let total = 0;
  while (pending.length > 0) {
    const bHi = pending.pop() as number;
    const bLo = pending.pop() as number;
    const aHi = pending.pop() as number;
    const aLo = pending.pop() as number;
    const [i, j, size] = longestMatch(a, b, aLo, aHi, bLo, bHi);
    if (size === 0) continue;
    total += size;
    if (aLo < i && bLo < j) pending.push(aLo, i, bLo, j);
    if (i + size < aHi && j + size < bHi) pending.push(i + size, aHi, j + size, bHi);
  }
  return total;
}

/**
 * SequenceMatcher(None, a, b).ratio() when it is above `floor`, else null (then the exact value was not needed).
 */
export function ratioAbove(a: readonly number[], b: PreparedB, floor: number): number | null {
  const total = a.length + b.length;
  if (total === 0) return 1 > floor ? 1 : null;
  // real_quick_ratio: no more characters can match than the shorter string has.
  if ((2 * Math.min(a.length, b.length)) / total <= floor) return null;
  // quick_ratio: no more than the characters both contain, counted with multiplicity.
  const translated = a.length <= b.translated.length ? b.translated.subarray(0, a.length) : new Int32Array(a.length);
  const { available, counts } = b;
  let common = 0;
  for (let index = 0; index < a.length; index++) {
    const symbol = b.symbolOf.get(a[index] as number) ?? -1;
    translated[index] = symbol;
    if (symbol >= 0 && (available[symbol] as number) < (counts[symbol] as number)) {
      available[symbol] = (available[symbol] as number) + 1;
      common++;
    }
  }
  for (const symbol of translated) if (symbol >= 0) available[symbol] = 0;
  if ((2 * common) / total <= floor) return null;
  const ratio = (2 * matchedCount(translated, b)) / total;
  return ratio > floor ? ratio : null;
}

/** SequenceMatcher(None, a, b).ratio(), over code points as Python iterates a str. 1 for two empty strings. */
export function similarityRatio(a: string, b: string): number {
  const left = codePoints(a);
  return ratioAbove(left, prepareB(codePoints(b), left.length), Number.NEGATIVE_INFINITY) ?? 0;
}
