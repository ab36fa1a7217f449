import { appendFileSync, existsSync, mkdirSync, renameSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The only fields a log line may carry. There is deliberately no free-form field: a secret has nowhere to go,
 * and values are short identifiers, numbers and codes.
 */
export interface LogFields {
  operation?: string;
  provider?: string;
  /** A key's name (never its value). */
  key_name?: string;
  type?: string;
  method?: string;
  route?: string;
  status?: number;
  duration_ms?: number;
  error?: string;
  error_class?: string;
  code?: string;
  count?: number;
  port?: number;
  surface?: string;
}

/** The same names at run time: a caller that casts its way past the type still cannot add a field. */
const FIELD_NAMES: ReadonlySet<string> = new Set<keyof LogFields>([
  'operation',
  'provider',
  'key_name',
  'type',
  'method',
  'route',
  'status',
  'duration_ms',
  'error',
  'error_class',
  'code',
  'count',
  'port',
  'surface',
]);

/**
 * A log message must be a string literal written in the code, so it cannot carry a key (values go in `LogFields`,
 * which are cut and scrubbed). `string`, and template types with a value in them such as `key ${string}`, make a
 * record with an index signature, to which `{}` is assignable; a literal makes one with a required property.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type LogMessage<M extends string> = {} extends Record<M, 1> ? never : M;

export interface Logger {
  debug<M extends string>(message: LogMessage<M>, fields?: LogFields): void;
  info<M extends string>(message: LogMessage<M>, fields?: LogFields): void;
  warn<M extends string>(message: LogMessage<M>, fields?: LogFields): void;
  error<M extends string>(message: LogMessage<M>, fields?: LogFields): void;
}

export interface FileLoggerOptions {
  /** Rotate once the file has reached this many bytes (default 5 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one: provider-desk.log.1 … .N (default 3). */
  keep?: number;
  /** Also hands every written line to this function (e.g. stderr while developing). */
  echo?: (line: string) => void;
}

export const LOG_FILE = 'provider-desk.log';
const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 3;
const MAX_VALUE = 200;
const REDACTED = '[redacted]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a word looks like key material: long, letters and digits mixed, and either one long random run
 * (`sk-proj-…`, `AKIA…`, `AIza…`) or few separators. Provider names (`my-openai-eu-2`) and uuids do not.
 */
function looksSecret(word: string): boolean {
  if (word.length < 20 || UUID.test(word) || !/[0-9]/.test(word) || !/[A-Za-z]/.test(word)) return false;
  const segments = word.split(/[-_.~]/);
  const longest = Math.max(...segments.map((s) => s.length));
  return longest >= 16 || (word.length >= 32 && segments.length <= 5);
}

/** Removes what looks like a credential from a value, in case one reached a field by mistake. */
function scrubSecrets(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED)
    .replace(/\b(Bearer|Basic)\s+[^\s,;]+/gi, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(/[A-Za-z0-9+=_~.-]+/g, (word) => (looksSecret(word) ? REDACTED : word));
}

/** Keeps values short, single-line and free of credential-shaped words, so a log line cannot smuggle a payload. */
function clean(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a log line
  const single = scrubSecrets(value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' '));
  return single.length > MAX_VALUE ? `${single.slice(0, MAX_VALUE)}…` : single;
}

/** A structured JSON-lines log in `<data-dir>/logs`, rotated by size. Writing never throws. */
export function createFileLogger(dataDir: string, level: LogLevel = 'info', options: FileLoggerOptions = {}): Logger {
  const dir = join(dataDir, 'logs');
  const file = join(dir, LOG_FILE);
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const keep = Math.max(0, options.keep ?? KEEP);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const threshold = LOG_LEVELS.indexOf(level);

  const rotate = (incoming: number): void => {
    if (!existsSync(file) || statSync(file).size + incoming <= maxBytes) return;
    if (keep === 0) return rmSync(file, { force: true });
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    renameSync(file, `${file}.1`);
  };

  const write = (lineLevel: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: lineLevel, message: clean(message) };
    for (const [key, value] of Object.entries(fields)) {
      if (!FIELD_NAMES.has(key)) continue;
      const cleaned = clean(value);
      if (cleaned !== undefined) entry[key] = cleaned;
    }
    const line = JSON.stringify(entry) + '\n';
    try {
      rotate(Buffer.byteLength(line));
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // Logging must never take the app down.
    }
    options.echo?.(line.trimEnd());
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function parseLogLevel(value: string | undefined): LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'info';
}
