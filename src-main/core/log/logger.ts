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

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 3;
const MAX_VALUE = 200;

/** Keeps identifiers short and single-line, so a log line cannot smuggle a payload. */
function clean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const single = value.replace(/[\r\n\t]+/g, ' ');
  return single.length > MAX_VALUE ? `${single.slice(0, MAX_VALUE)}…` : single;
}

/** A structured JSON-lines log in `<data-dir>/logs`, rotated by size. */
export function createFileLogger(dataDir: string, level: LogLevel = 'info', echo?: (line: string) => void): Logger {
  const dir = join(dataDir, 'logs');
  const file = join(dir, 'provider-desk.log');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const threshold = LOG_LEVELS.indexOf(level);

  const rotate = (): void => {
    if (!existsSync(file) || statSync(file).size < MAX_BYTES) return;
    rmSync(`${file}.${KEEP}`, { force: true });
    for (let i = KEEP - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    renameSync(file, `${file}.1`);
  };

  const write = (lineLevel: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: lineLevel, message: clean(message) };
    for (const [key, value] of Object.entries(fields)) entry[key] = clean(value);
    const line = JSON.stringify(entry);
    try {
      rotate();
      appendFileSync(file, line + '\n', { mode: 0o600 });
    } catch {
      // Logging must never take the app down.
    }
    echo?.(line);
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
