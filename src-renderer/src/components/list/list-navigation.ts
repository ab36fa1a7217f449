/** Keyboard movement in the provider list box, as pure functions of the key, the active row and the row count. */

/** Rows moved by Page Up / Page Down. */
export const PAGE_ROWS = 10;

/** How long typed letters keep adding to one type-ahead search. */
export const TYPE_AHEAD_MS = 700;

/** The row a navigation key moves to (clamped to the list), or null when the key does not move. */
export function moveIndex(key: string, active: number | null, total: number, pageRows = PAGE_ROWS): number | null {
  if (total <= 0) return null;
  const from = active ?? -1;
  let target: number;
  switch (key) {
    case 'ArrowDown':
      target = active === null ? 0 : from + 1;
      break;
    case 'ArrowUp':
      target = active === null ? 0 : from - 1;
      break;
    case 'Home':
      target = 0;
      break;
    case 'End':
      target = total - 1;
      break;
    case 'PageDown':
      target = active === null ? 0 : from + pageRows;
      break;
    case 'PageUp':
      target = active === null ? 0 : from - pageRows;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(total - 1, target));
}

/** A key that types into the type-ahead: one letter, digit or name punctuation, without modifiers. */
export function isTypeAheadKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey && /^[\p{L}\p{N}._-]$/u.test(event.key);
}

/** Letters typed in quick succession, as one search string. */
export class TypeAhead {
  private text = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs = TYPE_AHEAD_MS) {}

  /** Adds a typed character; a pause longer than the window starts a new search. */
  push(char: string, now: number): string {
    this.text = now - this.last > this.windowMs ? char : this.text + char;
    this.last = now;
    return this.text;
  }
}

/**
 * The next row whose name starts with `typed` (case-insensitive), searching from the active row and wrapping around;
 * rows not loaded yet (`nameAt` gives undefined) are skipped. A single letter starts after the active row, so pressing
 * it again cycles through the rows with that initial; a longer prefix may stay on the active row if it still matches.
 */
export function typeAheadIndex(
  typed: string,
  active: number | null,
  total: number,
  nameAt: (index: number) => readonly string[] | undefined,
): number | null {
  if (total <= 0 || typed === '') return null;
  const prefix = typed.toLowerCase();
  // Repeating one letter ("aaa") cycles through the rows starting with it, as in a native list box.
  const cycling = [...prefix].every((c) => c === prefix[0]);
  const needle = cycling ? prefix[0]! : prefix;
  const start = active === null ? 0 : cycling ? active + 1 : active;
  for (let step = 0; step < total; step += 1) {
    const index = (start + step) % total;
    const names = nameAt(index);
    if (names?.some((name) => name.toLowerCase().startsWith(needle))) return index;
  }
  return null;
}
