/** api_list_p50_ratio: p50 of GET /api/v1/providers?limit=100 (10,000 stored) over a bare node:http server sending the same bytes. */
import type { ApiFixture } from './api-fixture.js';
import { percentile, sequentialLatencies, type Figure } from './lib.js';

export async function apiListLatency(fixture: ApiFixture, requests = 3000, warmup = 500, chunks = 6): Promise<Figure> {
  await sequentialLatencies(fixture.bare, 0, warmup);
  await sequentialLatencies(fixture.ours, 0, warmup);
  // Alternating chunks, so drift (other load on a shared machine) hits both sides alike.
  const bare: number[] = [];
  const ours: number[] = [];
  const per = Math.ceil(requests / chunks);
  for (let i = 0; i < chunks; i++) {
    bare.push(...(await sequentialLatencies(fixture.bare, per, 20)));
    ours.push(...(await sequentialLatencies(fixture.ours, per, 20)));
  }
  const ourP50 = percentile(
    ours.sort((a, b) => a - b),
    50,
  );
  const bareP50 = percentile(
    bare.sort((a, b) => a - b),
    50,
  );
  return {
    key: 'api_list_p50_ratio',
    label: 'list p50, 10k stored (ms)',
    ours: ourP50,
    baseline: bareP50,
    unit: 'ms',
    value: ourP50 / bareP50,
    target: { op: '<=', value: 2 },
    note:
      `${per * chunks} sequential requests per side in ${chunks} alternating chunks, 1 keep-alive connection, ` +
      `${(fixture.bodyBytes / 1024).toFixed(0)} KiB body; a page not yet cached costs ${fixture.uncachedMs.toFixed(2)} ms in process (p50)`,
  };
}
