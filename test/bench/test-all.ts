/**
 * Test-all: providers.testAll through the service over providers whose (fake, local) upstream answers after a delay,
 * `concurrency` at a time. Efficiency = the ideal time ÷ the time taken, the ideal being ceil(n ÷ concurrency) waves
 * of the delay. The fake runs in its own process, so its CPU is not counted as ours.
 *
 *   test_all_efficiency     200 providers × 200 ms, 16 at a time
 *   test_all_1k_efficiency  1,000 providers × 50 ms, 32 at a time; the baseline column is the efficiency of a bare
 *                           undici loop making the same upstream requests (floors/undici-loop.ts)
 */
import type { ProviderCreateInput } from '../../src-main/core/contract/provider-inputs.js';
import { undiciLoop } from './floors/undici-loop.js';
import { freshDataDir } from './datasets.js';
import { log, median, openBenchDesk, timed, type Figure } from './lib.js';
import { RUN_TS, childEnv, startServer } from './processes.js';
import { fileURLToPath } from 'node:url';

const FAKE = fileURLToPath(new URL('./fake-upstream.ts', import.meta.url));
const KEY = 'test-key';

interface Measured {
  ourMs: number[];
  floorMs: number[];
}

async function measure(providers: number, concurrency: number, delayMs: number, rounds: number, withFloor: boolean): Promise<Measured> {
  const fake = await startServer('the fake upstream', process.execPath, [RUN_TS, FAKE, 'openai', String(delayMs)], childEnv());
  const desk = openBenchDesk(freshDataDir(`test-all-${providers}`));
  try {
    const inputs: ProviderCreateInput[] = Array.from({ length: providers }, (_, i) => ({
      name: `upstream-${i}`,
      type: 'openai',
      base_url: fake.url,
      api_keys: [{ value: KEY }],
    }));
    desk.providers.insertMany(inputs);
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
