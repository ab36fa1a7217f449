/**
 * `npm run bench` — measures what users do against a floor measured in the same run on this machine (a bare script
 * doing the same work: test/bench/floors/), prints a table, and exits 1 when a figure misses its target. HTTP load
 * comes from wrk (installed with apt-get when missing and root). Not part of `npm test`.
 *
 *   npm run bench                            the table on stdout (progress on stderr)
 *   npm run bench -- --json                  the table, then ONE JSON object as the last stdout line
 *   npm run bench -- --only list,cli         a subset: groups (api, list, cli, serve, import, testall, rss, renderer,
 *                                            gateway)
 *                                            or figure keys (--only search_100k_p50_ms_ratio)
 *   npm run bench -- --skip-build            use out/ as it is instead of building the CLI and the GUI first
 *   npm run bench -- --cpu-prof              every `provider-desk serve` writes a CPU profile to $TMPDIR/pd-bench-profiles
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { apiFigures, type ClientCeiling } from './api.js';
import { cliListFigure, cliVersionFigure, serveStartFigure } from './cli.js';
import { removeDatasets } from './datasets.js';
import { import100kPeakRss, import10k } from './import.js';
import { log, passes, renderTable, type Figure, type Target } from './lib.js';
import { listFigures100k, listMissFigure } from './list.js';
import { ROOT, serveProfiles, stopAll } from './processes.js';
import { renderer10kVs100 } from './renderer.js';
import { rss10k, rssModelsGrowth } from './rss.js';
import { rssTestAllGrowth, testAll1kEfficiency, testAllEfficiency } from './test-all.js';
import { ensureWrk } from './wrk.js';
import { gatewayFigures } from './gateway.js';

/** Every figure in table order, with its group, label and target (used as they are when a group fails). */
const FIGURES = {
  api_list_p50_ratio: { group: 'api', label: 'list p50, 10k stored (ms)', target: { op: '<=', value: 2 } },
  api_throughput_ratio: { group: 'api', label: 'list req/s at 32 connections', target: { op: '>=', value: 0.85 } },
  list_sorted_100k_p50_ratio: { group: 'list', label: 'GUI list page (sort=name, 200), 100k, p50 (ms)', target: { op: '<=', value: 1.5 } },
  search_100k_p50_ms_ratio: { group: 'list', label: 'GUI search (3–6 chars), 100k, p50 (ms)', target: { op: '<=', value: 1.5 } },
  list_miss_p99_ratio: { group: 'list', label: 'uncached list page, 10k, p99 (ms)', target: { op: '<=', value: 1.5 } },
  cli_list_10k_ratio: { group: 'cli', label: 'provider-desk list, 10k (ms)', target: { op: '<=', value: 2 } },
  cli_version_ms: { group: 'cli', label: 'provider-desk --version (ms)', target: { op: '<', value: 150 } },
  serve_start_ratio: { group: 'serve', label: 'serve: spawn to first /health (ms)', target: { op: '<=', value: 1.5 } },
  import_10k_ratio: { group: 'import', label: 'config.import of 10k providers (ms)', target: { op: '<=', value: 3 } },
  import_100k_peak_rss_mb: { group: 'import', label: 'provider-desk import 100k, peak RSS (MB)', target: { op: '<=', value: 300 } },
  test_all_efficiency: { group: 'testall', label: 'test-all 200 × 200 ms, 16 at a time (ms)', target: { op: '>=', value: 0.75 } },
  test_all_1k_efficiency: { group: 'testall', label: 'test-all 1k × 50 ms, 32 at a time (efficiency)', target: { op: '>=', value: 0.9 } },
  rss_test_all_growth_mb: { group: 'testall', label: 'serve RSS growth, test-all of 1k × 15 (MB)', target: { op: '<=', value: 50 } },
  rss_mb_10k: { group: 'rss', label: 'serve RSS after listing 10k (MB)', target: { op: '<=', value: 200 } },
  rss_models_growth_mb: { group: 'rss', label: 'serve RSS growth, 5k-model list repeated (MB)', target: { op: '<=', value: 50 } },
  renderer_10k_vs_100_ratio: { group: 'renderer', label: 'GUI list interactive, 10k vs 100 (ms)', target: { op: '<=', value: 3 } },
  gateway_overhead_p50_ratio: { group: 'gateway', label: 'gateway chat completion p50 vs direct (ms)', target: { op: '<=', value: 1.25 } },
  gateway_ttfb_ratio: { group: 'gateway', label: 'gateway streamed time to first byte vs direct (ms)', target: { op: '<=', value: 1.25 } },
  gateway_throughput_ratio: { group: 'gateway', label: 'gateway chat completions/s at 32 connections', target: { op: '>=', value: 0.7 } },
  gateway_stream_rss_mb: {
    group: 'gateway',
    label: 'serve RSS growth, 1 GB streamed through the gateway (MB)',
    target: { op: '<=', value: 50 },
  },
} satisfies Record<string, { group: string; label: string; target: Target }>;
type Key = keyof typeof FIGURES;
const KEYS = Object.keys(FIGURES) as Key[];
const GROUPS = [...new Set(KEYS.map((key) => FIGURES[key].group))];

const args = process.argv.slice(2);
const json = args.includes('--json');
const skipBuild = args.includes('--skip-build');
if (args.includes('--cpu-prof')) serveProfiles.dir = join(tmpdir(), 'pd-bench-profiles');
const onlyIndex = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
const onlyText = onlyIndex === -1 ? null : (args[onlyIndex]?.split('=')[1] ?? args[onlyIndex + 1] ?? '');
const only = onlyText === null ? null : new Set(onlyText.split(',').filter(Boolean));
if (only) {
  const unknown = [...only].filter((name) => !GROUPS.includes(name) && !(KEYS as string[]).includes(name));
  if (unknown.length) {
    console.error(`unknown --only name(s): ${unknown.join(', ')}\n  groups: ${GROUPS.join(', ')}\n  figures: ${KEYS.join(', ')}`);
    process.exit(2);
  }
}
const wants = (key: string): boolean => !only || only.has(key) || only.has(FIGURES[key as Key].group);
const wantsAny = (...keys: Key[]) => keys.some(wants);

const figures: Figure[] = [];
let ceiling: ClientCeiling | undefined;
const started = Date.now();

/** Runs the work for some figures; a failure becomes failed figures (value NaN → null in JSON) and the run goes on. */
async function measure(keys: Key[], work: () => Promise<Figure[]>): Promise<void> {
  const wanted = keys.filter(wants);
  if (wanted.length === 0) return;
  const groupStarted = Date.now();
  try {
    figures.push(...(await work()).filter((figure) => wanted.includes(figure.key as Key)));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${wanted.join(', ')}: FAILED: ${message}`);
    for (const key of wanted) {
      const { label, target } = FIGURES[key];
      figures.push({
        key,
        label,
        target,
        ours: Number.NaN,
        baseline: null,
        unit: '',
        value: Number.NaN,
        note: `failed: ${message.split('\n')[0]}`,
      });
    }
  } finally {
    stopAll();
  }
  log(`${wanted.join(', ')}: ${Math.round((Date.now() - groupStarted) / 1000)} s`);
}

/** The CLI and the server as bin/provider-desk.mjs runs them: built from this work tree first, unless --skip-build. */
function buildCli(): void {
  const script = join(ROOT, 'scripts/build-cli.mjs');
  if (skipBuild || !existsSync(script)) return;
  log('building the CLI (scripts/build-cli.mjs)…');
  const result = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/build-cli.mjs failed: ${result.stderr || result.stdout}`);
}

process.on('SIGINT', () => {
  stopAll();
  removeDatasets();
  process.exit(130);
});

log(`${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the start; ${new Date().toISOString()}`);
if (serveProfiles.dir) log(`CPU profiles of every serve go to ${serveProfiles.dir}`);
try {
  const cliKeys: Key[] = KEYS.filter(
    (key) => !['test_all_efficiency', 'test_all_1k_efficiency', 'import_10k_ratio', 'renderer_10k_vs_100_ratio'].includes(key),
  );
  if (wantsAny(...cliKeys)) buildCli();
  let wrkProblem: Error | undefined;
  if (
    wantsAny(
      'api_list_p50_ratio',
      'api_throughput_ratio',
      'list_sorted_100k_p50_ratio',
      'search_100k_p50_ms_ratio',
      'list_miss_p99_ratio',
      'gateway_overhead_p50_ratio',
      'gateway_throughput_ratio',
    )
  ) {
    try {
      ensureWrk();
    } catch (error) {
      wrkProblem = error instanceof Error ? error : new Error(String(error));
    }
  }
  const needsWrk = async <T>(work: () => Promise<T>): Promise<T> => {
    if (wrkProblem) throw wrkProblem;
    return work();
  };

  await measure(['api_list_p50_ratio', 'api_throughput_ratio'], () =>
    needsWrk(async () => {
      const result = await apiFigures(wants);
      ceiling = result.ceiling;
      return result.figures;
    }),
  );
  await measure(['list_sorted_100k_p50_ratio', 'search_100k_p50_ms_ratio'], () => needsWrk(() => listFigures100k(wants)));
  await measure(['list_miss_p99_ratio'], () => needsWrk(async () => [await listMissFigure()]));
  await measure(['cli_list_10k_ratio'], async () => [await cliListFigure()]);
  await measure(['cli_version_ms'], async () => [await cliVersionFigure()]);
  await measure(['serve_start_ratio'], async () => [await serveStartFigure()]);
  await measure(['import_10k_ratio'], async () => [await import10k()]);
  await measure(['import_100k_peak_rss_mb'], async () => [await import100kPeakRss()]);
  await measure(['test_all_efficiency'], async () => [await testAllEfficiency()]);
  await measure(['test_all_1k_efficiency'], async () => [await testAll1kEfficiency()]);
  await measure(['rss_test_all_growth_mb'], async () => [await rssTestAllGrowth()]);
  await measure(['rss_mb_10k'], async () => [await rss10k()]);
  await measure(['rss_models_growth_mb'], async () => [await rssModelsGrowth()]);
  await measure(['renderer_10k_vs_100_ratio'], async () => [await renderer10kVs100({ build: !skipBuild })]);
  await measure(['gateway_stream_rss_mb', 'gateway_overhead_p50_ratio', 'gateway_ttfb_ratio', 'gateway_throughput_ratio'], () =>
    needsWrk(() => gatewayFigures(wants)),
  );
} finally {
  stopAll();
  removeDatasets();
}

log(`all done in ${Math.round((Date.now() - started) / 1000)} s; load average ${loadavg()[0]?.toFixed(1)} at the end`);
figures.sort((a, b) => KEYS.indexOf(a.key as Key) - KEYS.indexOf(b.key as Key));
let output = renderTable(figures);
if (ceiling) {
  output +=
    `\n\nload generator: wrk, one thread; its ceiling is ${Math.round(ceiling.requestsPerCpuSecond)} requests per CPU-second ` +
    `(against the replay floor it used ${(ceiling.clientCoreShare * 100).toFixed(0)}% of one core for ${Math.round(ceiling.floorRate)} req/s)`;
}
process.stdout.write(output + '\n');
if (json) {
  const result: Record<string, number | null> = Object.fromEntries(
    figures.map((f) => [f.key, Number.isFinite(f.value) ? Number(f.value.toFixed(4)) : null]),
  );
  if (ceiling) result.wrk_ceiling_rps = Math.round(ceiling.requestsPerCpuSecond);
  process.stdout.write(JSON.stringify(result) + '\n');
}
process.exitCode = figures.length > 0 && figures.every(passes) ? 0 : 1;
