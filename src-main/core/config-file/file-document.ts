/**
 * A config.json read from its file as it is needed, never held whole: the top level's sections are parsed once, and
 * the entries of `providers` are parsed one at a time, each time they are iterated (the import walks them a few
 * times: check, plan, apply). A 100,000-provider file then costs the memory of one entry, not of the document.
 *
 * The reading is synchronous (chunks through readSync) because the plan and the apply run inside one better-sqlite3
 * transaction, which cannot wait on a stream. The scanner only finds where each value starts and ends (strings,
 * nesting); JSON.parse reads every value, so the grammar is JSON.parse's own.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FieldError } from '../contract/errors.js';
import { jsonPath, type JsonObject } from './format.js';

const CHUNK = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The file is not JSON, not the JSON object a config.json is, or changed while it was read: `message` says where. */
export class ConfigFileSyntaxError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'not_object' | 'changed' = 'syntax',
  ) {
    super(message);
  }
}

/** Marks a DocumentEntries (a symbol: no JSON document can carry it). */
export const DOCUMENT_ENTRIES = Symbol('DocumentEntries');

/** A document's top level with its providers' entries as an iterable: what parseDocument reads, from memory or a file. */
export interface DocumentEntries {
  readonly [DOCUMENT_ENTRIES]: true;
  /** Every top-level section but `providers`, parsed. */
  sections: JsonObject;
  /** Top-level key order, `providers` included when present. */
  order: string[];
  /** `providers` itself when it is not an object (absent → undefined, null, a string …), for the errors that name it. */
  providersValue: unknown;
  providersIsObject: boolean;
  /** The entries of `providers` in file order; each iteration reads them again. */
  entries: Iterable<[string, unknown]>;
  /** Problems JSON.parse would hide: a provider name given twice (JSON.parse keeps the last silently). */
  errors: FieldError[];
}

/** The entries view of a document already in memory (the API's body, a decrypted envelope). */
export function documentEntries(document: JsonObject): DocumentEntries {
  const sections: JsonObject = {};
  for (const [key, value] of Object.entries(document)) if (key !== 'providers') sections[key] = value;
  const raw = document.providers;
  const isObjectValue = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  return {
    [DOCUMENT_ENTRIES]: true,
    sections,
    order: Object.keys(document),
    providersValue: isObjectValue ? undefined : raw,
    providersIsObject: isObjectValue,
    entries: { [Symbol.iterator]: () => Object.entries(isObjectValue ? (raw as JsonObject) : {})[Symbol.iterator]() },
    errors: [],
  };
}

/**
 * Opens a config.json file: one pass reads the top level and checks that every provider entry is JSON (throwing
 * ConfigFileSyntaxError otherwise, before anything else happens). The file must not change while the import runs:
 * each later pass checks its size and modification time and stops the import if they changed.
 */
export function openConfigFile(file: string): DocumentEntries & { file: string } {
  const identity = fileIdentity(file);
  const sections: JsonObject = {};
  const order: string[] = [];
  const errors: FieldError[] = [];
  let providersValue: unknown;
  let providersIsObject = false;
  let seenProviders = false;

  const scanner = new Scanner(file);
  try {
    scanner.topLevel((key) => {
      if (key === 'providers') {
        if (seenProviders) throw scanner.syntax('"providers" is given twice at the top level');
        seenProviders = true;
        order.push(key);
        if (scanner.peek() === OPEN_OBJECT) {
          providersIsObject = true;
          const names = new Set<string>();
          scanner.objectEntries((name) => {
            if (names.has(name)) errors.push({ path: jsonPath(['providers', name]), message: 'is given twice in this file' });
            else names.add(name);
            scanner.parseValue(); // checked now so that a later pass never meets a syntax error half-way
          });
        } else {
          providersValue = scanner.parseValue();
        }
        return;
      }
      // JSON.parse keeps the first position of a repeated key and its last value; so does this.
      if (!(key in sections)) order.push(key);
      sections[key] = scanner.parseValue();
    });
  } finally {
    scanner.close();
  }

  const entries: Iterable<[string, unknown]> = {
    *[Symbol.iterator]() {
      if (!providersIsObject) return;
      if (fileIdentity(file) !== identity) throw new ConfigFileSyntaxError(`${file} changed while it was being imported`, 'changed');
      const again = new Scanner(file);
      try {
        yield* again.providerEntries();
      } finally {
        again.close();
      }
    },
  };
  return { [DOCUMENT_ENTRIES]: true, file, sections, order, providersValue, providersIsObject, entries, errors };
}

function fileIdentity(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } finally {
    closeSync(fd);
  }
}

/** A forward-only reader of a JSON file's bytes (structural characters are ASCII, so UTF-8 needs no decoding here). */
class Scanner {
  private readonly fd: number;
  private buf: Buffer = Buffer.alloc(CHUNK);
  private length = 0;
  private pos = 0;
  /** Bytes of the file before `buf` (for error positions). */
  private offset = 0;
  /** Pieces of the value being captured, from chunks already left behind. */
  private pieces: Buffer[] = [];
  private captureStart = -1;

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'r');
    this.fill();
  }

  close(): void {
    closeSync(this.fd);
  }

  syntax(message: string): ConfigFileSyntaxError {
    return new ConfigFileSyntaxError(`${message} (at byte ${this.offset + this.pos})`);
  }

  /** Reads the next chunk; false at the end of the file. Bytes of a capture in progress are kept. */
  private fill(): boolean {
    if (this.captureStart >= 0) {
      this.pieces.push(Buffer.from(this.buf.subarray(this.captureStart, this.length)));
      this.captureStart = 0;
    }
    this.offset += this.length;
    this.length = readSync(this.fd, this.buf, 0, CHUNK, null);
    this.pos = 0;
    return this.length > 0;
  }

  /** The next byte that is not whitespace (not consumed), or -1 at the end of the file. */
  peek(): number {
    for (;;) {
      while (this.pos < this.length) {
        const byte = this.buf[this.pos] as number;
        if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
        this.pos++;
      }
      if (!this.fill()) return -1;
    }
  }

  private expect(byte: number, what: string): void {
    if (this.peek() !== byte) throw this.syntax(`expected ${what}`);
    this.pos++;
  }

  /** Consumes one string, the opening quote at `pos`. */
  private skipString(): void {
    this.pos++;
    // Backslashes before `floor` are not part of the string (or were consumed as an escape across a chunk boundary).
    let floor = this.pos;
    for (;;) {
      const end = this.buf.indexOf(QUOTE, this.pos);
      if (end < 0 || end >= this.length) {
        // A backslash that ends the chunk escapes the first byte of the next one.
        const escaped = this.backslashesBefore(this.length, floor) % 2 === 1;
        if (!this.fill()) throw this.syntax('unterminated string');
        this.pos = floor = escaped ? 1 : 0;
        continue;
      }
      this.pos = end + 1;
      if (this.backslashesBefore(end, floor) % 2 === 0) return;
    }
  }

  /** How many backslashes come right before `end`, down to `floor` (an escaped quote has an odd number). */
  private backslashesBefore(end: number, floor: number): number {
    let count = 0;
    for (let i = end - 1; i >= floor && this.buf[i] === BACKSLASH; i--) count++;
    return count;
  }

  /** Consumes one value of any kind. */
  private skipValue(): void {
    const first = this.peek();
    if (first === -1) throw this.syntax('expected a value');
    if (first === QUOTE) return this.skipString();
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A number, true, false or null: up to the next delimiter.
      for (;;) {
        while (this.pos < this.length) {
          const byte = this.buf[this.pos] as number;
          if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || byte <= 0x20) return;
          this.pos++;
        }
        if (!this.fill()) return;
      }
    }
    let depth = 0;
    for (;;) {
      while (this.pos < this.length) {
        const byte = this.buf[this.pos] as number;
        if (byte === QUOTE) {
          this.skipString();
          continue;
        }
        this.pos++;
        if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
        else if ((byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) && --depth === 0) return;
      }
      if (!this.fill()) throw this.syntax('unexpected end of the file');
    }
  }

  /** Consumes one value and returns it parsed. */
  parseValue(): unknown {
    this.peek();
    this.captureStart = this.pos;
    this.pieces = [];
    try {
      this.skipValue();
    } catch (error) {
      this.captureStart = -1;
      throw error;
    }
    const last = this.buf.subarray(this.captureStart, this.pos);
    const bytes = this.pieces.length === 0 ? last : Buffer.concat([...this.pieces, last]);
    this.captureStart = -1;
    this.pieces = [];
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      const start = this.offset + this.pos - bytes.length;
      throw new ConfigFileSyntaxError(`${error instanceof Error ? error.message : 'unparseable'} (in the value at byte ${start})`);
    }
  }

  private parseKey(): string {
    if (this.peek() !== QUOTE) throw this.syntax('expected a property name in double quotes');
    const key = this.parseValue() as string;
    this.expect(COLON, "':' after a property name");
    return key;
  }

  /** Walks an object's entries (the `{` next): `onEntry` is called with each key and must consume its value. */
  objectEntries(onEntry: (key: string) => void): void {
    this.expect(OPEN_OBJECT, "'{'");
    if (this.peek() === CLOSE_OBJECT) {
      this.pos++;
      return;
    }
    for (;;) {
      onEntry(this.parseKey());
      const next = this.peek();
      this.pos++;
      if (next === CLOSE_OBJECT) return;
      if (next !== COMMA) throw this.syntax("expected ',' or '}' after a value");
    }
  }

  /** The whole file: one object, nothing after it. */
  topLevel(onEntry: (key: string) => void): void {
    if (this.peek() !== OPEN_OBJECT) throw new ConfigFileSyntaxError(`${this.file} must hold a JSON object`, 'not_object');
    this.objectEntries(onEntry);
    if (this.peek() !== -1) throw this.syntax('unexpected data after the top-level object');
  }

  /** The entries of the top-level `providers` object, parsed one by one (the file was checked when it was opened). */
  *providerEntries(): Generator<[string, unknown]> {
    this.expect(OPEN_OBJECT, "'{'");
    for (;;) {
      const key = this.parseKey();
      if (key !== 'providers') {
        this.skipValue();
      } else {
        if (this.peek() !== OPEN_OBJECT) return;
        this.pos++;
        if (this.peek() === CLOSE_OBJECT) return;
        for (;;) {
          const name = this.parseKey();
          yield [name, this.parseValue()];
          const next = this.peek();
          this.pos++;
          if (next === CLOSE_OBJECT) return;
          if (next !== COMMA) throw this.syntax("expected ',' or '}' after a value");
        }
      }
      const next = this.peek();
      this.pos++;
      if (next !== COMMA) return;
    }
  }
}
