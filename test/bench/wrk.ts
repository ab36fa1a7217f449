/**
 * wrk, the HTTP load generator of every throughput and latency figure: a C client, so that the client is not what
 * limits the rate (a Node client saturates before a Node server does). Each run is one wrk process with one thread;
 * a generated Lua script sends the request paths in a fixed order and prints the results as one JSON line, and the
 * CPU time wrk used gives the client's own ceiling.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, tempDir } from './lib.js';

export interface WrkResult {
  requests: number;
  seconds: number;
  /** Requests per second over the run. */
  rate: number;
  bytes: number;
  /** Latency percentiles over the run, in ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU seconds (user + system) wrk itself used. */
  clientCpuSeconds: number;
}

export interface WrkOptions {
  /** Origin, e.g. http://127.0.0.1:3100 */
  origin: string;
  /** Paths with query strings, sent in this order and then again from the start. */
  paths: string[];
  /** Where in `paths` to begin (so that consecutive runs do not repeat each other's requests). */
  start?: number;
  headers: Record<string, string>;
  /** GET unless given; a body is sent with every request. */
  method?: string;
  body?: string;
  connections: number;
  seconds: number;
}

/** Installs wrk (Debian's package) when it is missing and we are root; otherwise says how. */
export function ensureWrk(): void {
  if (spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).status === 0) return;
  const root = process.getuid?.() === 0;
  if (root) {
    log('wrk is missing: apt-get install -y wrk…');
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '-q', 'wrk'], {
        encoding: 'utf8',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    let result = install();
    if (result.status !== 0) {
      spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8' });
      result = install();
    }
    if (result.status === 0) return;
    throw new Error(`apt-get install -y wrk failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ')}`);
  }
  throw new Error(
    'wrk is not installed: run `sudo apt-get install -y wrk` (Debian/Ubuntu; `brew install wrk` on macOS), then the bench again',
  );
}

/** A Lua string literal for any path (paths are URL-encoded ASCII, but quote and backslash are escaped anyway). */
function luaString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

function luaScript(options: WrkOptions): string {
  const headers = Object.entries(options.headers)
    .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
    .join('\n');
  // One path: wrk builds the request once (its fastest mode). Several: a request() function picks the next one.
  const requests =
    options.paths.length === 1
      ? `wrk.path = ${luaString(options.paths[0] as string)}`
      : `local paths = {\n${options.paths.map(luaString).join(',\n')}\n}
local i = ${(options.start ?? 0) % options.paths.length}
request = function()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end`;
  const method = options.method ? `wrk.method = ${luaString(options.method)}\n` : '';
  const body = options.body !== undefined ? `wrk.body = ${luaString(options.body)}\n` : '';
  return `${headers}
${method}${body}${requests}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('PD_WRK {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`;
}

/** Parses the children's line of bash's `times` ("0m1.234s 0m0.056s") into seconds. */
function childCpuSeconds(timesOutput: string): number {
  const lines = timesOutput.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  let total = 0;
  for (const match of last.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(match[1]) * 60 + Number(match[2]);
  return total;
}

interface WrkLine {
  requests: number;
  duration_us: number;
  bytes: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One wrk run; fails when any request failed, answered other than 2xx/3xx, or timed out (a fast 401 is no result). */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const dir = tempDir('pd-bench-wrk-');
  try {
    const script = join(dir.path, 'paths.lua');
    // The script holds a bearer token: private to this user, and removed after the run.
    writeFileSync(script, luaScript(options), { mode: 0o600 });
    const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '30s', '-s', script, `${options.origin}/`];
    // bash's `times` reports the CPU time of its finished children: wrk's own cost, the client's ceiling.
    const child = spawn('bash', ['-c', 'wrk "$@"; code=$?; echo PD_TIMES; times; exit $code', 'wrk', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const line = /^PD_WRK (\{.*\})$/m.exec(stdout)?.[1];
    if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}`);
    const result = JSON.parse(line) as WrkLine;
    const failed = result.connect + result.read + result.write + result.status + result.timeout;
    if (failed > 0 || result.requests === 0) {
      throw new Error(
        `wrk against ${options.origin}${options.paths[0]}: ${result.requests} requests, ${result.status} not 2xx/3xx, ` +
          `${result.connect + result.read + result.write} socket errors, ${result.timeout} timeouts`,
      );
    }
    const seconds = result.duration_us / 1e6;
    return {
      requests: result.requests,
      seconds,
      rate: result.requests / seconds,
      bytes: result.bytes,
      p50: result.p50 / 1000,
      p90: result.p90 / 1000,
      p99: result.p99 / 1000,
      max: result.max / 1000,
      clientCpuSeconds: childCpuSeconds(stdout.slice(stdout.indexOf('PD_TIMES'))),
    };
  } finally {
    dir.remove();
  }
}

export interface PairedRounds {
  ours: WrkResult[];
  floor: WrkResult[];
}

/**
 * Warms both sides up, then alternates short rounds (floor, ours, floor, ours …) so that other load on a shared
 * machine falls on both alike. Round r starts r × `stride` paths further on, so a round never replays the requests
 * of the one before (a cache would then answer them).
 */
export async function pairedRounds(
  ours: Omit<WrkOptions, 'start' | 'seconds'>,
  floor: Omit<WrkOptions, 'start' | 'seconds'>,
  { rounds, seconds, warmupSeconds = 1, stride = 0 }: { rounds: number; seconds: number; warmupSeconds?: number; stride?: number },
): Promise<PairedRounds> {
  const warmStart = stride * rounds;
  await runWrk({ ...floor, seconds: warmupSeconds, start: warmStart });
  await runWrk({ ...ours, seconds: warmupSeconds, start: warmStart });
  const result: PairedRounds = { ours: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    result.floor.push(await runWrk({ ...floor, seconds, start: round * stride }));
    result.ours.push(await runWrk({ ...ours, seconds, start: round * stride }));
  }
  return result;
}
