/**
 * Test-all: providers.testAll through the service over providers whose (fake, local) upstream answers after a delay,
 * `concurrency` at a time. Efficiency = the ideal time ÷ the time taken, the ideal being ceil(n ÷ concurrency) waves
 * of the delay. The fake runs in its own process, so its CPU is not counted as ours.
 *
 *   test_all_efficiency     200 providers × 200 ms, 16 at a time
 *   test_all_1k_efficiency  1,000 providers × 50 ms, 32 at a time; the baseline column is the efficiency of a bare
 *                           undici loop making the same upstream requests (floors/undici-loop.ts)
 *   rss_test_all_growth_mb  growth of `provider-desk serve`'s RSS over 15 test-alls of 1,000 providers through the API
 *                           (POST /api/v1/test-all, read to its summary): the highest RSS seen during runs 2–15 minus
 *                           the RSS after the first run (the baseline column)
 */
import type { ProviderCreateInput } from '../../src-main/core/contract/provider-inputs.js';
import { undiciLoop } from './floors/undici-loop.js';
import { freshDataDir } from './datasets.js';
import { log, median, openBenchDesk, timed, type Figure } from './lib.js';
import { rssDuring, rssGrowthFigure } from './rss.js';
import { RUN_TS, childEnv, startServe, startServer } from './processes.js';
import { request } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const FAKE = fileURLToPath(new URL('./fake-upstream.ts', import.meta.url));
const KEY = 'test-key';

function startFakeUpstream(delayMs: number) {
  return startServer('the fake upstream', process.execPath, [RUN_TS, FAKE, 'openai', String(delayMs)], childEnv());
}

function upstreamProviders(count: number, baseUrl: string): ProviderCreateInput[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `upstream-${i}`,
    type: 'openai',
    base_url: baseUrl,
    api_keys: [{ value: KEY }],
  }));
}

interface Measured {
  ourMs: number[];
  floorMs: number[];
}

async function measure(providers: number, concurrency: number, delayMs: number, rounds: number, withFloor: boolean): Promise<Measured> {
  const fake = await startFakeUpstream(delayMs);
  const desk = openBenchDesk(freshDataDir(`test-all-${providers}`));
  try {
    desk.providers.insertMany(upstreamProviders(providers, fake.url));
    const testAll = async (): Promise<number> => {
      const run = await timed(() => desk.dispatch('providers.testAll', { concurrency }, { transport: 'cli' }));
      if (!run.value.ok) throw new Error(`testAll failed: ${run.value.error.message}`);
      const { passed, total } = run.value.data;
      if (passed !== providers || total !== providers) {
        const failed = run.value.data.providers.find((p) => !p.ok);
        const why = failed?.results.find((r) => !r.ok)?.message ?? 'no failure reported';
        throw new Error(`testAll passed ${passed} of ${total} (expected ${providers}); ${failed?.name ?? '?'}: ${why}`);
      }
      return run.ms;
    };
    const floor = () => undiciLoop(`${fake.url}/models`, { authorization: `Bearer ${KEY}` }, providers, concurrency);
    // Warm-up: the same paths (vault, probe engine, dispatcher, store writes; undici's pool) on a few providers first.
    const warm = await desk.dispatch('providers.testAll', { concurrency, only: ['upstream-0', 'upstream-1'] }, { transport: 'cli' });
    if (!warm.ok) throw new Error(`testAll warm-up failed: ${warm.error.message}`);
    if (withFloor) await undiciLoop(`${fake.url}/models`, { authorization: `Bearer ${KEY}` }, concurrency, concurrency);
    const measured: Measured = { ourMs: [], floorMs: [] };
    for (let round = 0; round < rounds; round++) {
      if (withFloor) measured.floorMs.push(await floor());
      measured.ourMs.push(await testAll());
    }
    return measured;
  } finally {
    await desk.close();
    await fake.stop();
  }
}

export async function testAllEfficiency(providers = 200, concurrency = 16, delayMs = 200): Promise<Figure> {
  log(`testall: ${providers} providers × ${delayMs} ms upstream, ${concurrency} at a time…`);
  const { ourMs } = await measure(providers, concurrency, delayMs, 1, false);
  const ideal = Math.ceil(providers / concurrency) * delayMs;
  const ours = ourMs[0] as number;
  return {
    key: 'test_all_efficiency',
    label: `test-all ${providers} × ${delayMs} ms, ${concurrency} at a time (ms)`,
    ours,
    baseline: ideal,
    unit: 'ms',
    value: ideal / ours,
    target: { op: '>=', value: 0.75 },
    note: `baseline = ideal ceil(${providers}/${concurrency}) × ${delayMs} ms; ratio = ideal ÷ actual; fake upstream in its own process`,
  };
}

export async function testAll1kEfficiency(providers = 1000, concurrency = 32, delayMs = 50, rounds = 5): Promise<Figure> {
  log(`testall: ${providers} providers × ${delayMs} ms upstream, ${concurrency} at a time, vs a bare undici loop…`);
  const { ourMs, floorMs } = await measure(providers, concurrency, delayMs, rounds, true);
  const ideal = Math.ceil(providers / concurrency) * delayMs;
  const ours = median(ourMs);
  const floor = median(floorMs);
  return {
    key: 'test_all_1k_efficiency',
    label: `test-all ${providers / 1000}k × ${delayMs} ms, ${concurrency} at a time (efficiency)`,
    ours: ideal / ours,
    baseline: ideal / floor,
    unit: '',
    value: ideal / ours,
    absolute: true,
    target: { op: '>=', value: 0.9 },
    note:
      `ideal ceil(${providers}/${concurrency}) × ${delayMs} ms = ${ideal} ms; ours ${Math.round(ours)} ms, bare undici loop ${Math.round(floor)} ms ` +
      `(medians of ${rounds} alternating runs; later runs re-test, as users do); baseline column = the loop's efficiency`,
  };
}

/** One test-all through `serve`'s API, its NDJSON stream read to the summary; throws unless every provider passed. */
async function testAllOverApi(server: { url: string; token: string }, providers: number, concurrency: number): Promise<void> {
  const response = await request(`${server.url}/api/v1/test-all`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ concurrency }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`POST /api/v1/test-all answered ${response.statusCode}: ${text.slice(0, 200)}`);
  const summary = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '{}') as { type?: string; result?: { passed?: number } };
  if (summary.type !== 'result' || summary.result?.passed !== providers)
    throw new Error(`test-all over the API did not pass all ${providers}: ${JSON.stringify(summary).slice(0, 200)}`);
}

export async function rssTestAllGrowth(providers = 1000, runs = 15, concurrency = 32, delayMs = 10): Promise<Figure> {
  log(`testall: serve running test-all over ${providers} providers ${runs} times, RSS sampled…`);
  const fake = await startFakeUpstream(delayMs);
  try {
    const dir = freshDataDir('test-all-rss');
    const desk = openBenchDesk(dir);
    try {
      desk.providers.insertMany(upstreamProviders(providers, fake.url));
    } finally {
      await desk.close();
    }
    const server = await startServe(dir);
    try {
      await testAllOverApi(server, providers, concurrency);
      await sleep(200);
      const baseline = server.rssMb();
      const { highest, last } = await rssDuring(server, async () => {
        for (let run = 1; run < runs; run++) await testAllOverApi(server, providers, concurrency);
      });
      return rssGrowthFigure(
        'rss_test_all_growth_mb',
        `serve RSS growth, test-all of ${providers / 1000}k × ${runs} (MB)`,
        baseline,
        highest,
        `${runs} runs of POST /api/v1/test-all (${concurrency} at a time, upstream answering in ${delayMs} ms); RSS after the first ` +
          `${baseline.toFixed(0)} MB (baseline column), highest ${highest.toFixed(0)} MB, after the last ${last.toFixed(0)} MB`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await fake.stop();
  }
}
