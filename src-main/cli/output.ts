import type { Writable } from 'node:stream';
import type { Io } from './context.js';

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
  const layout = new TableLayout(headers, rows);
  return [layout.head(), ...rows.map((row) => layout.line(row))].join('\n');
}

/**
 * A table's column widths, fixed from the rows it is given (at least the headers'): a table printed as it is read
 * takes them from its first rows, and a longer cell later only pushes its own line wider.
 */
export class TableLayout {
  private readonly widths: number[];

  constructor(
    private readonly headers: string[],
    sample: string[][],
  ) {
    const cells = sample.map(safeCells);
    this.widths = headers.map((h, i) => cells.reduce((width, row) => Math.max(width, (row[i] ?? '').length), h.length));
  }

  /** The header line and its underline. */
  head(): string {
    return `${this.format(this.headers)}\n${this.format(this.widths.map((w) => '-'.repeat(w)))}`;
  }

  line(row: string[]): string {
    return this.format(safeCells(row));
  }

  private format(values: string[]): string {
    return values
      .map((c, i) => c.padEnd(this.widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  }
}

function safeCells(row: string[]): string[] {
  return row.map((cell) => terminalText(cell, { oneLine: true }));
}

/**
 * Standard output for commands that may print a lot (list, models, export). A reader that stops early
 * (`provider-desk list | head -1`) ends the output quietly, with exit code 0, instead of an EPIPE stack trace;
 * a slow reader is waited for, so a long listing is not buffered in memory. Lines go through `io.out`.
 */
export class CommandOutput {
  private failure: NodeJS.ErrnoException | undefined;
  private readerGone = false;

  constructor(
    private readonly io: Io,
    private readonly stream: Writable = process.stdout,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.readerGone = true;
      else this.failure ??= error;
    });
  }

  /** False once nobody reads the output any more: the command can stop producing it. */
  get open(): boolean {
    return !this.readerGone && this.failure === undefined;
  }

  /** Prints text (a line break is added) and resolves when more may be printed. */
  async write(text: string): Promise<void> {
    if (!this.open) return;
    this.io.out(text);
    if (this.stream.writableNeedDrain && !this.stream.destroyed) await this.drained();
    // A failed write reports its error on a later tick: let it arrive before the caller produces more.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Throws when the output could not be written for another reason than a reader that stopped (a full disk …). */
  finish(): void {
    if (this.failure) throw new CliError(`Cannot write the output: ${this.failure.code ?? this.failure.message}`);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }
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
