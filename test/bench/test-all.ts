/** test_all_efficiency: ideal ÷ actual time of providers.testAll over 200 providers whose upstream answers in 200 ms, 16 at a time. */
import { startFakeProvider } from '../fakes/providers.js';
import { openBenchDesk, tempDir, timed, type Figure } from './lib.js';

export async function testAllEfficiency(providers = 200, concurrency = 16, delayMs = 200): Promise<Figure> {
  const fake = await startFakeProvider('openai', { delayMs });
  const dir = tempDir();
  const desk = openBenchDesk(dir.path);
  try {
    desk.repo.transaction(() => {
      for (let i = 0; i < providers; i++) {
        desk.providers.create({ name: `upstream-${i}`, type: 'openai', base_url: fake.baseUrl, api_keys: [{ value: 'test-key' }] });
      }
    });
    // Warm-up: the same path (vault, probe engine, dispatcher, store writes) on a few providers first.
    const warm = await desk.dispatch('providers.testAll', { concurrency, only: ['upstream-0', 'upstream-1'] }, { transport: 'cli' });
    if (!warm.ok) throw new Error(`testAll warm-up failed: ${warm.error.message}`);
    const run = await timed(() => desk.dispatch('providers.testAll', { concurrency }, { transport: 'cli' }));
    if (!run.value.ok) throw new Error(`testAll failed: ${run.value.error.message}`);
    const { passed, total } = run.value.data;
    if (passed !== providers || total !== providers) throw new Error(`testAll passed ${passed} of ${total} (expected ${providers})`);
    const ideal = Math.ceil(providers / concurrency) * delayMs;
    return {
      key: 'test_all_efficiency',
      label: `test-all ${providers} × ${delayMs} ms, ${concurrency} at a time (ms)`,
      ours: run.ms,
      baseline: ideal,
      unit: 'ms',
      value: ideal / run.ms,
      target: { op: '>=', value: 0.75 },
      note: `baseline = ideal ceil(${providers}/${concurrency}) × ${delayMs} ms; ratio = ideal ÷ actual; one fake upstream`,
    };
  } finally {
    await desk.close();
    await fake.close();
    dir.remove();
  }
}
