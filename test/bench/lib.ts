/**
 * Shared pieces of `npm run bench`: figures, timing, loopback HTTP load, temp dirs and seeding.
 * Every figure is a ratio against a baseline measured in the same run on the same machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { Desk } from '../../src-main/core/desk.js';
import { silentLogger } from '../../src-main/core/log/logger.js';
import type { ProviderCreateInput } from '../../src-main/core/contract/provider-inputs.js';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One line of the table (and one key of the JSON). */
export interface Figure {
  key: string;
  label: string;
  ours: number;
  baseline: number | null;
  unit: string;
  /** The figure compared with the target: ours ÷ baseline (or its inverse), or ours itself when `absolute`. */
  value: number;
  /** The target applies to ours itself; the baseline is shown for context only. */
  absolute?: boolean;
  target: Target;
  note?: string;
}

export function passes(figure: Figure): boolean {
  if (!Number.isFinite(figure.value)) return false;
  return figure.target.op === '<=' ? figure.value <= figure.target.value : figure.value >= figure.target.value;
}

export function tempDir(prefix = 'pd-bench-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A real Desk on a fresh store, with a fixed token so child processes and browsers can log in. */
export function openBenchDesk(dataDir = tempDir().path): Desk {
  return new Desk({
    dataDir,
    logger: silentLogger,
    env: { ...process.env, PROVIDER_DESK_MASTER_KEY: undefined, PROVIDER_DESK_TOKEN: undefined },
  });
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

// --- seeding ------------------------------------------------------------------------------------

const SEED_TYPES = ['openai', 'anthropic', 'groq', 'mistral', 'deepseek', 'openrouter', 'together', 'xai'] as const;

/** The n-th bench provider: a keyed type, 1 or 2 literal keys. Names are stable so a run can be compared with another. */
export function benchProviderInput(index: number): ProviderCreateInput {
  const type = SEED_TYPES[index % SEED_TYPES.length] as string;
  const keys = [{ name: 'primary', value: `sk-bench-${index.toString(36)}-${'a'.repeat(40)}` }];
  if (index % 2 === 1) keys.push({ name: 'backup', value: `sk-bench-backup-${index.toString(36)}-${'b'.repeat(36)}` });
  return {
    name: `bench-${type}-${String(index).padStart(5, '0')}`,
    display_name: `Bench ${type} ${index}`,
    type,
    description: index % 3 === 0 ? 'Seeded by the benchmark' : undefined,
    api_keys: keys,
  } as ProviderCreateInput;
}

/** Seeds n providers through the service, in one transaction. */
export function seedProviders(desk: Desk, count: number): void {
  desk.repo.transaction(() => {
    for (let i = 0; i < count; i++) desk.providers.create(benchProviderInput(i));
  });
}

// --- HTTP load ----------------------------------------------------------------------------------

export interface Endpoint {
  url: string;
  headers: Record<string, string>;
}

/** Headers worth replaying from a captured response (hop-by-hop and per-response ones left out). */
export function replayableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const skip = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || skip.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A bare node:http server that answers every request with the same bytes and headers: the floor for any HTTP route. */
export async function startBareServer(body: Buffer, headers: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { ...headers, 'content-length': String(body.length) });
    response.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function fetchOnce(dispatcher: Agent, endpoint: Endpoint): Promise<number> {
  const response = await request(endpoint.url, { dispatcher, headers: endpoint.headers });
  // Every byte is read, but not joined: the client's own cost stays small next to the server's.
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Buffer).length;
  if (response.statusCode !== 200) throw new Error(`${endpoint.url} answered ${response.statusCode}`);
  return bytes;
}

/** Captures one response (status 200 required) as bytes and headers. */
export async function capture(endpoint: Endpoint): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const response = await request(endpoint.url, { headers: endpoint.headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode !== 200) throw new Error(`${endpoint.url} answered ${response.statusCode}: ${body.toString('utf8', 0, 200)}`);
  return { body, headers: replayableHeaders(response.headers) };
}

/** Sequential requests over one keep-alive connection: per-request latencies in ms, sorted. */
export async function sequentialLatencies(endpoint: Endpoint, count: number, warmup: number): Promise<number[]> {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 60_000, pipelining: 1 });
  try {
    for (let i = 0; i < warmup; i++) await fetchOnce(dispatcher, endpoint);
    const latencies = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await fetchOnce(dispatcher, endpoint);
      latencies[i] = performance.now() - started;
    }
    return latencies.sort((a, b) => a - b);
  } finally {
    await dispatcher.close();
  }
}

/** A load generator keeping `connections` requests in flight; `run(ms)` returns requests per second over that time. */
export function loadGenerator(endpoint: Endpoint, connections: number): { run(ms: number): Promise<number>; close(): Promise<void> } {
  const dispatcher = new Agent({ connections, keepAliveTimeout: 60_000, pipelining: 1 });
  return {
    run: async (ms: number): Promise<number> => {
      const deadline = performance.now() + ms;
      let done = 0;
      const worker = async (): Promise<void> => {
        while (performance.now() < deadline) {
          await fetchOnce(dispatcher, endpoint);
          done++;
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: connections }, worker));
      return done / ((performance.now() - started) / 1000);
    },
    close: () => dispatcher.close(),
  };
}

// --- output -------------------------------------------------------------------------------------

function formatNumber(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function renderTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.label,
    formatNumber(f.ours, f.unit),
    formatNumber(f.baseline, f.unit),
    f.absolute ? '—' : formatNumber(f.value),
    `${f.target.op} ${f.target.value}${f.absolute ? ` ${f.unit}` : ''}`,
    passes(f) ? 'pass' : 'FAIL',
  ]);
  const header = ['figure', 'ours', 'baseline', 'ratio', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.key}: ${f.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join(
    '\n',
  );
}
