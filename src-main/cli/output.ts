/**
 * C0 controls (but tab and line feed), DEL, C1 controls (U+0080–U+009F, which some terminals obey like ESC
 * sequences) and the bidirectional overrides that make text read differently from what it is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Shows a control character as its escape (ESC → "\x1b"), so nothing from outside can drive the terminal. */
function visible(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text for the terminal: every control character made visible, so upstream text (model ids, error messages …)
 * cannot move the cursor, retitle the window or clear the screen. Line breaks and tabs stay unless `oneLine`.
 */
export function terminalText(text: string, { oneLine = false }: { oneLine?: boolean } = {}): string {
  const safe = text.replace(UNSAFE, visible);
  return oneLine ? safe.replace(/[\t\n]/g, ' ') : safe;
}

/** Plain-text tables for the terminal; cells are one line each, with control characters made visible. */
export function table(headers: string[], rows: string[][]): string {
  const cells = rows.map((row) => row.map((cell) => terminalText(cell, { oneLine: true })));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** A failure the CLI reports as `provider-desk: <message>`; the message may quote upstream text, so it is made terminal-safe. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(terminalText(message));
  }
}
