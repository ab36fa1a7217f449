/**
 * The similarity ratio of Python's difflib.SequenceMatcher (no junk function, autojunk on), which Agent Stack
 * uses to score model names: 2·M / (|a| + |b|), where M counts the characters of the matching blocks found by
 * taking the longest common block, then recursing on the pieces to its left and right.
 */

interface Block {
  i: number;
  j: number;
  size: number;
}

/** Where each element of `b` occurs; with autojunk, elements of a long `b` that occur too often are left out ("popular"). */
function indexOf(b: readonly string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  b.forEach((element, index) => {
    const list = positions.get(element);
    if (list) list.push(index);
    else positions.set(element, [index]);
  });
  if (b.length >= 200) {
    const limit = Math.floor(b.length / 100) + 1;
    for (const [element, list] of positions) if (list.length > limit) positions.delete(element);
  }
  return positions;
}

/** The longest block a[i..i+size) == b[j..j+size) inside the given ranges, earliest in a, then in b, on ties. */
function longestMatch(
  a: readonly string[],
  b: readonly string[],
  positions: Map<string, number[]>,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
): Block {
  let best: Block = { i: aLo, j: bLo, size: 0 };
  // runs.get(j) = length of the match ending at a[i-1], b[j]
  let runs = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) {
    const next = new Map<number, number>();
    for (const j of positions.get(a[i] as string) ?? []) {
      if (j < bLo) continue;
      if (j >= bHi) break;
      const length = (runs.get(j - 1) ?? 0) + 1;
      next.set(j, length);
      if (length > best.size) best = { i: i - length + 1, j: j - length + 1, size: length };
    }
    runs = next;
  }
  // Popular elements are not indexed, so grow the block over equal neighbours the index could not see.
  while (best.i > aLo && best.j > bLo && a[best.i - 1] === b[best.j - 1]) best = { i: best.i - 1, j: best.j - 1, size: best.size + 1 };
  while (best.i + best.size < aHi && best.j + best.size < bHi && a[best.i + best.size] === b[best.j + best.size])
    best = { ...best, size: best.size + 1 };
  return best;
}

/** Total size of the matching blocks of `a` and `b`. */
function matchedCount(a: readonly string[], b: readonly string[]): number {
  const positions = indexOf(b);
  const pending: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  let total = 0;
  while (pending.length > 0) {
    const [aLo, aHi, bLo, bHi] = pending.pop() as [number, number, number, number];
    const block = longestMatch(a, b, positions, aLo, aHi, bLo, bHi);
    if (block.size === 0) continue;
    total += block.size;
    if (aLo < block.i && bLo < block.j) pending.push([aLo, block.i, bLo, block.j]);
    if (block.i + block.size < aHi && block.j + block.size < bHi) pending.push([block.i + block.size, aHi, block.j + block.size, bHi]);
  }
  return total;
}

/** SequenceMatcher(None, a, b).ratio(), over code points as Python iterates a str. 1 for two empty strings. */
export function similarityRatio(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const length = left.length + right.length;
  return length === 0 ? 1 : (2 * matchedCount(left, right)) / length;
}
