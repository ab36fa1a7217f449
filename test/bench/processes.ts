/**
 * The processes a figure measures: `provider-desk` as users start it (bin/provider-desk.mjs on this Node), the floors
 * in test/bench/floors/, and one-shot commands timed from spawn to exit. Every process started here is stopped by
 * `stopAll()` when the run ends, even after a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TOKEN_FILE } from '../../src-main/core/service/api-token.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `npx provider-desk` runs. */
export const CLI = join(ROOT, 'bin/provider-desk.mjs');
/** Runs a TypeScript entry point (the floors that reuse the product's row mapping, the fake upstream). */
export const RUN_TS = join(ROOT, 'bin/run-ts.mjs');

export function floorPath(file: string): string {
  return join(ROOT, 'test/bench/floors', file);
}

/** The bench's environment without a token or master key from the caller's shell: each store's own files decide. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.PROVIDER_DESK_TOKEN;
  delete env.PROVIDER_DESK_MASTER_KEY;
  delete env.PROVIDER_DESK_PORT;
  return env;
}

export function rssMbOf(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]) / 1024;
}

const running = new Set<ChildProcess>();

/** Stops what is still running (the end of a run, or a failure half-way). */
export function stopAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

export interface Server {
  url: string;
  pid: number;
  /** performance.now() at spawn, and when the address was printed. */
  spawnedAt: number;
  readyAt: number;
  rssMb(): number;
  stop(): Promise<void>;
}

/** Spawns a server and waits until its stdout says `listening on http://…`; stderr is kept for the error message. */
export async function startServer(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<Server> {
  const spawnedAt = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: ROOT });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    running.delete(child);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`${label} did not print its address within ${timeoutMs / 1000} s: ${stderr}`)),
        timeoutMs,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        out = (out + chunk.toString()).slice(-4000);
        const match = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited (${code ?? signal}) before listening: ${stderr.trim() || '(no stderr)'}`));
      });
    });
    const readyAt = performance.now();
    return { url, pid: child.pid as number, spawnedAt, readyAt, rssMb: () => rssMbOf(child.pid as number), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Set by `--cpu-prof`: every `serve` writes a CPU profile into this dir when it stops. */
export const serveProfiles: { dir?: string } = {};

/** `provider-desk serve` over a data dir, on a free port, with the token its data dir holds. */
export async function startServe(dataDir: string): Promise<Server & { token: string }> {
  const profile: Record<string, string> = serveProfiles.dir
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${serveProfiles.dir}`.trim() }
    : {};
  const server = await startServer(
    'provider-desk serve',
    process.execPath,
    [CLI, 'serve', '--port', '0', '--data-dir', dataDir],
    childEnv(profile),
  );
  return { ...server, token: readFileSync(join(dataDir, TOKEN_FILE), 'utf8').trim() };
}

export interface CommandRun {
  ms: number;
  code: number | null;
  /** The first 4 KB of stdout (the rest is counted, not kept). */
  stdout: string;
  stdoutBytes: number;
  stdoutLines: number;
  stderr: string;
}

/** Runs a command to its end, reading (and counting, not keeping) its stdout as a pipe would; wall time from spawn to exit. */
export async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = childEnv()): Promise<CommandRun> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: ROOT });
  running.add(child);
  let stdoutBytes = 0;
  let stdoutLines = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length < 4096) stdout += chunk.toString('utf8', 0, 4096 - stdout.length);
    stdoutBytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) stdoutLines++;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  running.delete(child);
  return { ms: performance.now() - started, code, stdout, stdoutBytes, stdoutLines, stderr };
}

/** Like runCommand, but a non-zero exit is an error naming the command. */
export async function runChecked(label: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CommandRun> {
  const run = await runCommand(command, args, env);
  if (run.code !== 0) throw new Error(`${label} exited with ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return run;
}
