import { afterAll, describe, expect, it } from 'vitest';
import { createProbeEngine, runWithConcurrency } from '../../../src-main/core/probe/engine.js';
import { startFakeProvider, type FakeProvider } from '../../fakes/providers.js';
import { key, target } from './helpers.js';

const engine = createProbeEngine();
let fakes: FakeProvider[] = [];

afterAll(async () => {
  await engine.close();
  await Promise.all(fakes.map((f) => f.close()));
});

describe('testing many providers at once', () => {
  it('60 providers answering in 200 ms, 20 at a time: all pass, in about three rounds', async () => {
    const families = ['openai', 'anthropic', 'gemini'] as const;
    fakes = await Promise.all(Array.from({ length: 60 }, (_, i) => startFakeProvider(families[i % 3] ?? 'openai', { delayMs: 200 })));
    let inFlight = 0;
    let peak = 0;
    const started = Date.now();
    const outcomes = await runWithConcurrency(fakes, 20, async (f) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await engine.checkKey(target(f.family, f.family === 'openai' ? f.baseUrl : f.url), key('test-key'));
      } finally {
        inFlight--;
      }
    });
    const elapsed = Date.now() - started;
    expect(outcomes.every((o) => o.result.ok)).toBe(true);
    expect(outcomes.every((o) => o.result.latency_ms >= 190)).toBe(true);
    expect(peak).toBe(20);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 190);
    expect(elapsed).toBeLessThan(4000);
  });
});
