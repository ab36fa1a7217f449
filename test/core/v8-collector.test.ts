// collectGarbage (core/v8-collector.ts) asks V8 itself for a collection: the gateway after every so many relayed bytes,
// test-all after a large run. Observed through the GC entries V8 reports.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src-main/core/v8-collector.js';

/** Major GCs V8 reports from now until `until` says stop (checked every 10 ms, at most `ms`). */
async function majorCollections(work: () => void, ms: number, until: (seen: number) => boolean): Promise<number> {
  let major = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
  });
  observer.observe({ entryTypes: ['gc'] });
  work();
  const started = Date.now();
  const ballast: unknown[][] = [];
  while (!until(major) && Date.now() - started < ms) {
    ballast[0] = Array.from({ length: 1000 }, (_, i) => ({ i })); // small allocations let an incremental marking finish
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  observer.disconnect();
  return major;
}

describe('collectGarbage', () => {
  it('runs a major GC at once when asked for a synchronous one', async () => {
    expect(
      await majorCollections(
        () => collectGarbage({ type: 'major', execution: 'sync' }),
        200,
        () => false,
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('starts one that finishes alongside when asked for an asynchronous one', async () => {
    expect(
      await majorCollections(
        () => collectGarbage({ type: 'major', execution: 'async' }),
        5000,
        (seen) => seen > 0,
      ),
    ).toBeGreaterThanOrEqual(1);
  });
});
