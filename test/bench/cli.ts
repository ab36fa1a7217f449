/**
 * The CLI as a user starts it (bin/provider-desk.mjs on this Node, output into a pipe):
 *
 *   cli_list_10k_ratio  wall time of `provider-desk list` over 10k providers ÷ a bare script that opens the store and
 *                       prints the same table (floors/cli-list.mjs)
 *   cli_version_ms      wall time of `provider-desk --version` (the baseline column: `node -e 0`, for context)
 *   serve_start_ratio   `provider-desk serve` from spawn to its first /api/v1/health answer ÷ a bare Fastify app with
 *                       that route (floors/fastify-health.mjs)
 *
 * Runs alternate between ours and the floor after one unmeasured run each (the OS file cache warm for both); medians.
 */
import { request } from 'undici';
import { performance } from 'node:perf_hooks';
import { store } from './datasets.js';
import { log, median, type Figure } from './lib.js';
import { CLI, childEnv, floorPath, runChecked, startServer, type Server } from './processes.js';
import { VERSION } from '../../src-main/core/version.js';

/** Runs `ours` and `floor` alternately, `runs` measured times each after one warm-up each; returns their times. */
async function alternate(
  runs: number,
  ours: () => Promise<number>,
  floor: () => Promise<number>,
): Promise<{ ours: number[]; floor: number[] }> {
  await floor();
  await ours();
  const times = { ours: [] as number[], floor: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.floor.push(await floor());
    times.ours.push(await ours());
  }
  return times;
}

export async function cliListFigure(providers = 10_000, runs = 5): Promise<Figure> {
  const dir = await store(providers);
  log(`cli: provider-desk list over ${providers} providers vs the bare script…`);
  let printed = 0;
  const times = await alternate(
    runs,
    async () => {
      const run = await runChecked('provider-desk list', process.execPath, [CLI, 'list', '--data-dir', dir]);
      printed = run.stdoutLines;
      return run.ms;
    },
    async () => (await runChecked('the list floor', process.execPath, [floorPath('cli-list.mjs'), dir])).ms,
  );
  // The floor prints a header, a rule and every row; ours must list every provider too.
  if (printed < providers) throw new Error(`provider-desk list printed ${printed} lines for ${providers} providers`);
  const ours = median(times.ours);
  const floor = median(times.floor);
  return {
    key: 'cli_list_10k_ratio',
    label: `provider-desk list, ${providers / 1000}k (ms)`,
    ours,
    baseline: floor,
    unit: 'ms',
    value: ours / floor,
    target: { op: '<=', value: 2 },
    note: `wall time, stdout into a pipe, median of ${runs} alternating runs; floor: better-sqlite3 reads the six columns and prints the table`,
  };
}

export async function cliVersionFigure(runs = 9): Promise<Figure> {
  log('cli: provider-desk --version…');
  const times = await alternate(
    runs,
    async () => (await runChecked('provider-desk --version', process.execPath, [CLI, '--version'])).ms,
    async () => (await runChecked('node -e 0', process.execPath, ['-e', '0'])).ms,
  );
  const ours = median(times.ours);
  return {
    key: 'cli_version_ms',
    label: 'provider-desk --version (ms)',
    ours,
    baseline: median(times.floor),
    unit: 'ms',
    value: ours,
    absolute: true,
    target: { op: '<', value: 150 },
    note: `wall time, median of ${runs} runs; baseline = \`node -e 0\` (context); the target applies to ours`,
  };
}

/** Spawn → address printed → GET /api/v1/health answered 200: ms from spawn. */
async function startToHealth(start: () => Promise<Server>): Promise<number> {
  const server = await start();
  try {
    const response = await request(`${server.url}/api/v1/health`, { reset: true });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`/api/v1/health answered ${response.statusCode}`);
    return performance.now() - server.spawnedAt;
  } finally {
    await server.stop();
  }
}

export async function serveStartFigure(providers = 10_000, runs = 5): Promise<Figure> {
  const dir = await store(providers);
  log(`serve: start to first /health over ${providers} providers vs bare Fastify…`);
  const times = await alternate(
    runs,
    () =>
      startToHealth(() =>
        startServer('provider-desk serve', process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], childEnv()),
      ),
    () => startToHealth(() => startServer('the Fastify floor', process.execPath, [floorPath('fastify-health.mjs'), VERSION], childEnv())),
  );
  const ours = median(times.ours);
  const floor = median(times.floor);
  return {
    key: 'serve_start_ratio',
    label: 'serve: spawn to first /health (ms)',
    ours,
    baseline: floor,
    unit: 'ms',
    value: ours / floor,
    target: { op: '<=', value: 1.5 },
    note: `median of ${runs} alternating starts (${providers / 1000}k store); floor: bare Fastify with the health route`,
  };
}
