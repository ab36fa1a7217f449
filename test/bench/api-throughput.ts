/** api_throughput_ratio: requests/s of the list route at 32 connections over the bare server's. */
import type { ApiFixture } from './api-fixture.js';
import { loadGenerator, percentile, type Figure } from './lib.js';

export const CONNECTIONS = 32;

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export async function apiThroughput(fixture: ApiFixture, rounds = 7, roundMs = 1000, warmupMs = 1500): Promise<Figure> {
  const bare = loadGenerator(fixture.bare, CONNECTIONS);
  const ours = loadGenerator(fixture.ours, CONNECTIONS);
  try {
    await bare.run(warmupMs);
    await ours.run(warmupMs);
    // Short alternating rounds: other work on a shared machine lands on both sides of a pair; the median pair counts.
    const bareRates: number[] = [];
    const ourRates: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const b = await bare.run(roundMs);
      const o = await ours.run(roundMs);
      bareRates.push(b);
      ourRates.push(o);
      ratios.push(o / b);
    }
    return {
      key: 'api_throughput_ratio',
      label: `list req/s at ${CONNECTIONS} connections`,
      ours: median(ourRates),
      baseline: median(bareRates),
      unit: 'req/s',
      value: median(ratios),
      target: { op: '>=', value: 0.5 },
      note: `median of ${rounds} alternating ${roundMs / 1000} s rounds per side after ${warmupMs / 1000} s warm-up (ratio: median pair)`,
    };
  } finally {
    await bare.close();
    await ours.close();
  }
}
