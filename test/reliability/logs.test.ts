/**
 * The structured JSON-lines log in <data-dir>/logs: size rotation with a bounded number of kept files, level
 * filtering, and no way for a key to get in (no free-form field in the type, literal messages only, values cut,
 * unknown fields dropped and credential-shaped words scrubbed at run time).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, LOG_FILE, parseLogLevel, type LogFields, type Logger } from '../../src-main/core/log/logger.js';
import { tempDir } from '../helpers/desk.js';

const dirs: Array<{ remove(): void }> = [];
function logDir(): string {
  const dir = tempDir('pd-logs-');
  dirs.push(dir);
  return dir.path;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function only(dataDir: string): Record<string, unknown> {
  const entries = lines(join(dataDir, 'logs', LOG_FILE));
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/**
 * Compiled by `tsc --noEmit` (npm test type-checks the tests), never run: each `@ts-expect-error` line must stay an
 * error, so a field that could carry a key, or a message built from a value, fails the build.
 */
export function logCallsThatMustNotCompile(logger: Logger, secret: string): void {
  // @ts-expect-error there is no field for a key
  logger.info('key added', { api_key: secret });
  // @ts-expect-error nor a free-form value
  logger.info('key added', { value: secret });
  // @ts-expect-error nor headers
  logger.debug('request', { headers: { authorization: `Bearer ${secret}` } });
  // @ts-expect-error nor a request body
  logger.error('failed', { body: { value: secret } });
  // @ts-expect-error `error` is an error's name or class, not the error (whose message may quote input)
  logger.error('failed', { error: new Error(secret) });
  // @ts-expect-error a message is a literal: a template with a value in it does not compile
  logger.info(`key ${secret} added`);
  // @ts-expect-error nor does a message held in a variable
  logger.warn(secret);
  // What is allowed: a literal message and short typed fields.
  logger.info('key added', { provider: 'openai', count: 1, status: 201 });
}

describe('the file logger', () => {
  it('rotates by size and keeps only the configured number of old files, each within the threshold', () => {
    const dataDir = logDir();
    const logger = createFileLogger(dataDir, 'debug', { maxBytes: 1_000, keep: 2 });
    for (let i = 0; i < 200; i++) logger.info('request', { count: i, route: '/api/v1/providers/:idOrName' });

    const dir = join(dataDir, 'logs');
    expect(readdirSync(dir).sort()).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    const files = [`${LOG_FILE}.2`, `${LOG_FILE}.1`, LOG_FILE].map((f) => join(dir, f));
    for (const file of files) expect(statSync(file).size).toBeLessThanOrEqual(1_000);
    // Oldest file first, newest last: the counts run on without a gap and end with the last line written.
    const counts = files.flatMap((file) => lines(file).map((entry) => entry.count as number));
    expect(counts.at(-1)).toBe(199);
    expect(counts).toEqual(counts.map((_, i) => counts[0]! + i));
    expect(counts[0]).toBeGreaterThan(0);
  });

  it('keeps no old file with keep: 0, and rotates at the 5 MiB default', () => {
    const dataDir = logDir();
    const logger = createFileLogger(dataDir, 'info', { maxBytes: 500, keep: 0 });
    for (let i = 0; i < 50; i++) logger.info('request', { count: i });
    expect(readdirSync(join(dataDir, 'logs'))).toEqual([LOG_FILE]);
    expect(statSync(join(dataDir, 'logs', LOG_FILE)).size).toBeLessThanOrEqual(500);

    const defaults = logDir();
    mkdirSync(join(defaults, 'logs'));
    writeFileSync(join(defaults, 'logs', LOG_FILE), 'x'.repeat(5 * 1024 * 1024 - 10) + '\n');
    createFileLogger(defaults, 'info').info('server started', { port: 3100 });
    expect(readdirSync(join(defaults, 'logs')).sort()).toEqual([LOG_FILE, `${LOG_FILE}.1`]);
    expect(only(defaults).message).toBe('server started');
  });

  it('writes only lines at or above its level', () => {
    const write = (level: 'debug' | 'info' | 'warn' | 'error') => {
      const dataDir = logDir();
      const logger = createFileLogger(dataDir, level);
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
      return lines(join(dataDir, 'logs', LOG_FILE)).map((entry) => entry.level);
    };
    expect(write('debug')).toEqual(['debug', 'info', 'warn', 'error']);
    expect(write('info')).toEqual(['info', 'warn', 'error']);
    expect(write('warn')).toEqual(['warn', 'error']);
    expect(write('error')).toEqual(['error']);
    expect(parseLogLevel('debug')).toBe('debug');
    expect(parseLogLevel('DEBUG')).toBe('info');
    expect(parseLogLevel('verbose')).toBe('info');
    expect(parseLogLevel(undefined)).toBe('info');
  });

  it('writes one JSON object per line with a time, a level, the message and the known fields', () => {
    const dataDir = logDir();
    const echoed: string[] = [];
    createFileLogger(dataDir, 'info', { echo: (line) => echoed.push(line) }).info('request', {
      method: 'GET',
      route: '/api/v1/providers',
      status: 200,
      duration_ms: 3,
    });
    const entry = only(dataDir);
    expect(entry).toMatchObject({
      level: 'info',
      message: 'request',
      method: 'GET',
      route: '/api/v1/providers',
      status: 200,
      duration_ms: 3,
    });
    expect(Date.parse(String(entry.time))).not.toBeNaN();
    expect(echoed).toEqual([JSON.stringify(entry)]);
  });

  it('cuts long values, folds multi-line ones onto one line, and cannot be split into two lines', () => {
    const dataDir = logDir();
    createFileLogger(dataDir, 'info').error('operation failed', {
      operation: 'a'.repeat(5_000),
      error: 'first line\nsecond line\r\n\tthird\u2028fourth',
      code: '"}\n{"level":"info","message":"forged"}',
    });
    const entry = only(dataDir);
    expect(String(entry.operation)).toBe(`${'a'.repeat(200)}…`);
    expect(entry.error).toBe('first line second line third fourth');
    expect(String(entry.code)).not.toMatch(/[\n\r]/);
  });

  it('drops fields the type does not have and values that are not strings, numbers or booleans', () => {
    const dataDir = logDir();
    const smuggled = { provider: 'openai', api_key: 'sk-proj-smuggled', value: 'x', headers: { a: 'b' }, code: { nested: 'sk-x' } };
    createFileLogger(dataDir, 'info').info('key added', smuggled as unknown as LogFields);
    const entry = only(dataDir);
    expect(Object.keys(entry).sort()).toEqual(['level', 'message', 'provider', 'time']);
  });

  it('scrubs credential-shaped words that reach a field by mistake, and keeps ids, names and routes', () => {
    const dataDir = logDir();
    const logger = createFileLogger(dataDir, 'info');
    const keys = [
      'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z',
      'sk-ant-api03-abcdefghijklmnop0123456789-QRSTUV',
      'AKIAIOSFODNN7EXAMPLE',
      'AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv',
      'pd_q9w8e7r6t5y4u3i2o1p0a9s8d7f6g5h4j3k2l1z0x',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ',
    ];
    for (const key of keys) logger.error('operation failed', { error: `upstream said: ${key} is invalid` });
    logger.error('operation failed', { error: 'Authorization: Bearer abc.def.ghi' });
    logger.error('operation failed', { error: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----' });
    const kept = {
      provider: '8c1f5f5e-2b4a-4c1e-9a57-0d2f3c4b5a69',
      route: '/api/v1/providers/:idOrName/keys/:keyId',
      operation: 'providers.update',
      type: 'my-openai-eu-west-production-2',
    };
    logger.info('request', kept);
    const text = readFileSync(join(dataDir, 'logs', LOG_FILE), 'utf8');
    for (const key of keys) expect(text).not.toContain(key);
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(lines(join(dataDir, 'logs', LOG_FILE)).at(-1)).toMatchObject(kept);
  });

  it('never throws when the log cannot be written', () => {
    const dataDir = logDir();
    const logger = createFileLogger(dataDir, 'debug');
    rmSync(join(dataDir, 'logs'), { recursive: true });
    mkdirSync(join(dataDir, 'logs', LOG_FILE), { recursive: true });
    expect(() => logger.error('operation failed', { code: 'internal' })).not.toThrow();
    rmSync(join(dataDir, 'logs'), { recursive: true });
    writeFileSync(join(dataDir, 'logs'), 'not a directory');
    expect(() => logger.info('request', { status: 200 })).not.toThrow();
  });

  it.runIf(process.platform !== 'win32')('keeps the log readable by its owner only', () => {
    const dataDir = logDir();
    createFileLogger(dataDir, 'info').info('server started', { port: 1 });
    expect(statSync(join(dataDir, 'logs')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'logs', LOG_FILE)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dataDir, 'logs', `${LOG_FILE}.1`))).toBe(false);
  });
});
