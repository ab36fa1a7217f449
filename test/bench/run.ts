/**
 * `npm run bench` — measures each figure against a baseline taken in the same run on this machine, prints a table,
 * and exits non-zero when a figure misses its target. Not part of `npm test`.
 *
 *   npm run bench                           the table on stdout (progress on stderr)
 *   npm run bench -- --json                 the table, then ONE JSON object as the last stdout line
 *   npm run bench -- --only api,import      a subset: api, import, testall, rss, renderer
 *   npm run bench -- --skip-build           reuse out/renderer instead of running `electron-vite build`
 *   npm run bench -- --cpu-prof             CPU profile of the API server process into $TMPDIR/pd-bench-profiles
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiFixture } from './api-fixture.js';
import { apiListLatency } from './api-list-latency.js';
import { apiThroughput } from './api-throughput.js';
import { import10k } from './import.js';
import { log, passes, renderTable, type Figure, type Target } from './lib.js';
import { renderer10kVs100 } from './renderer.js';
import { rss10k } from './rss.js';
import { testAllEfficiency } from './test-all.js';

const GROUPS = ['api', 'import', 'testall', 'rss', 'renderer'] as const;
const KEYS: Record<string, { label: string; target: Target }> = {
  api_list_p50_ratio: { label: 'list p50, 10k stored (ms)', target: { op: '<=', value: 2 } },
  api_throughput_ratio: { label: 'list req/s at 32 connections', target: { op: '>=', value: 0.5 } },
  import_10k_ratio: { label: 'config.import of 10k providers (ms)', target: { op: '<=', value: 3 } },
  test_all_efficiency: { label: 'test-all 200 × 200 ms, 16 at a time (ms)', target: { op: '>=', value: 0.75 } },
  rss_mb_10k: { label: 'serve RSS after listing 10k (MB)', target: { op: '<=', value: 200 } },
  renderer_10k_vs_100_ratio: { label: 'GUI list interactive, 10k vs 100 (ms)', target: { op: '<=', value: 3 } },
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
const onlyText = onlyIndex === -1 ? null : (args[onlyIndex]?.split('=')[1] ?? args[onlyIndex + 1] ?? '');
const only = onlyText === null ? null : new Set(onlyText.split(',').filter(Boolean));
if (only) {
  const unknown = [...only].filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length) {
    console.error(`unknown --only group(s): ${unknown.join(', ')} (known: ${GROUPS.join(', ')})`);
    process.exit(2);
  }
}
const wants = (group: (typeof GROUPS)[number]) => !only || only.has(group);

const figures: Figure[] = [];
const started = Date.now();

/** Runs one group; a failure is reported as failed figures (value NaN → null in JSON) and the run goes on. */
async function measure(group: string, keys: string[], work: () => Promise<Figure[]>): Promise<void> {
  const groupStarted = Date.now();
  try {
    figures.push(...(await work()));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${group}: FAILED: ${message}`);
    for (const key of keys) {
      const known = KEYS[key] as { label: string; target: Target };
      figures.push({
        key,
        ...known,
        ours: Number.NaN,
        baseline: null,
        unit: '',
        value: Number.NaN,
        note: `failed: ${message.split('\n')[0]}`,
      });
    }
  }
  log(`${group}: ${Math.round((Date.now() - groupStarted) / 1000)} s`);
}

if (wants('api')) {
  await measure('api', ['api_list_p50_ratio', 'api_throughput_ratio'], async () => {
    log('api: seeding 10,000 providers in a server process…');
    const profileDir = join(tmpdir(), 'pd-bench-profiles');
    if (args.includes('--cpu-prof')) log(`api: the server's CPU profile goes to ${profileDir}`);
    const fixture = await openApiFixture(10_000, args.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
    try {
      log(`api: seeded in ${Math.round(fixture.seedMs)} ms; latency, 1 connection…`);
      const latency = await apiListLatency(fixture);
      log('api: throughput, 32 connections…');
      return [latency, await apiThroughput(fixture)];
    } finally {
      await fixture.close();
    }
  });
}
if (wants('import')) {
  log('import: config.json of 10,000 providers versus raw inserts…');
  await measure('import', ['import_10k_ratio'], async () => [await import10k()]);
}
if (wants('testall')) {
  log('testall: 200 providers × 200 ms upstream, 16 at a time…');
  await measure('testall', ['test_all_efficiency'], async () => [await testAllEfficiency()]);
}
if (wants('rss')) {
  log('rss: serve over an empty store, then over 10,000 providers…');
  await measure('rss', ['rss_mb_10k'], async () => [await rss10k()]);
}
if (wants('renderer')) {
  log('renderer: Chromium, 10,000 providers versus 100…');
  await measure('renderer', ['renderer_10k_vs_100_ratio'], async () => [await renderer10kVs100({ build: !args.includes('--skip-build') })]);
}

log(`all done in ${Math.round((Date.now() - started) / 1000)} s`);
process.stdout.write(renderTable(figures) + '\n');
if (json) {
  const result = Object.fromEntries(figures.map((f) => [f.key, Number.isFinite(f.value) ? Number(f.value.toFixed(4)) : null]));
  process.stdout.write(JSON.stringify(result) + '\n');
}
process.exitCode = figures.every(passes) ? 0 : 1;
