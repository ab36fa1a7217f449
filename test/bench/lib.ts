/**
 * Shared pieces of `npm run bench`: figures, timing, temp dirs, seeding and captured HTTP answers.
 * Every figure is a ratio against a floor measured in the same run on the same machine, or an absolute bound.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { Desk } from '../../src-main/core/desk.js';
import { silentLogger } from '../../src-main/core/log/logger.js';
import type { ProviderCreateInput } from '../../src-main/core/contract/provider-inputs.js';

export interface Target {
  op: '<=' | '>=' | '<';
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
  const { op, value } = figure.target;
  return op === '<=' ? figure.value <= value : op === '<' ? figure.value < value : figure.value >= value;
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

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
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

/** Seeds providers [from, to) through the service, as a config import writes them (batches of one transaction each). */
export function seedProviders(desk: Desk, to: number, from = 0): void {
  const BATCH = 5000;
  for (let start = from; start < to; start += BATCH) {
    const inputs: ProviderCreateInput[] = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) inputs.push(benchProviderInput(i));
    desk.providers.insertMany(inputs);
  }
}

// --- HTTP ---------------------------------------------------------------------------------------

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

/** Captures one response (status 200 required) as bytes and headers. */
export async function capture(endpoint: Endpoint): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const response = await request(endpoint.url, { headers: endpoint.headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode !== 200) throw new Error(`${endpoint.url} answered ${response.statusCode}: ${body.toString('utf8', 0, 200)}`);
  return { body, headers: replayableHeaders(response.headers) };
}

/** Fails unless both answer `path` with the same bytes: a floor must do the same work as ours, not less. */
export async function assertSameBody(ours: Endpoint, floor: Endpoint): Promise<number> {
  const [a, b] = await Promise.all([capture(ours), capture(floor)]);
  if (a.body.equals(b.body)) return a.body.length;
  let at = 0;
  while (at < a.body.length && a.body[at] === b.body[at]) at++;
  const around = (body: Buffer) => JSON.stringify(body.toString('utf8', Math.max(0, at - 40), at + 40));
  throw new Error(
    `the floor answers ${new URL(floor.url).pathname + new URL(floor.url).search} with other bytes than ours ` +
      `(${b.body.length} vs ${a.body.length} bytes; first difference at byte ${at}: ours ${around(a.body)}, floor ${around(b.body)})`,
  );
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
