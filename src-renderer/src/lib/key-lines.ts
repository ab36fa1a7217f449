/** Keys pasted one per line: the values to add and the lines that repeat an earlier one. */
export interface KeyLines {
  values: string[];
  /** 1-based line numbers of the original text that repeat an earlier line's key, with the line they repeat. */
  repeats: Array<{ line: number; sameAs: number }>;
}

/** Splits a paste into keys: one per line, surrounding whitespace and blank lines ignored, repeats reported (not added twice). */
export function parseKeyLines(text: string): KeyLines {
  const values: string[] = [];
  const repeats: KeyLines['repeats'] = [];
  const firstLine = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const value = raw.trim();
    if (!value) return;
    const line = index + 1;
    const earlier = firstLine.get(value);
    if (earlier !== undefined) {
      repeats.push({ line, sameAs: earlier });
      return;
    }
    firstLine.set(value, line);
    values.push(value);
  });
  return { values, repeats };
}

/** "Line 3 repeats line 1; line 5 repeats line 2." — never the keys themselves. */
export function describeRepeats(repeats: KeyLines['repeats']): string {
  return (
    repeats
      .map((r) => `line ${r.line} repeats line ${r.sameAs}`)
      .join('; ')
      .replace(/^l/, 'L') + '.'
  );
}

/** Server errors on `keys[i].value` (or `api_keys[i].value`) said by the line the key came from. */
export function lineOfIndex(text: string, index: number): number | null {
  let seen = 0;
  const lines = text.split(/\r\n|\r|\n/);
  const unique = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const value = (lines[i] ?? '').trim();
    if (!value || unique.has(value)) continue;
    unique.add(value);
    if (seen === index) return i + 1;
    seen++;
  }
  return null;
}
