/** RunTimeCaps: one timer for a whole test-all run, aborting each provider at its own deadline or all with the run. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunTimeCaps } from '../../src-main/core/service/test-all-run.js';

afterEach(() => vi.useRealTimers());

/** A probe that ends when told to, or when its signal aborts (then with the abort's reason). */
function probe(signal: AbortSignal): { done: Promise<string>; finish: () => void } {
  let finish = () => {};
  const done = new Promise<string>((resolve) => {
    finish = () => resolve('answered');
    signal.addEventListener('abort', () => resolve(`aborted: ${(signal.reason as Error).message}`), { once: true });
  });
  return { done, finish };
}

describe('RunTimeCaps', () => {
  it('aborts each provider at its own deadline, leaves finished ones alone, and keeps one timer', async () => {
    vi.useFakeTimers();
    const run = new AbortController();
    const caps = new RunTimeCaps(run.signal, 1000);
    const finishers: Array<() => void> = [];
    const first = caps.run(async (signal) => {
      const p = probe(signal);
      finishers.push(p.finish);
      return p.done;
    });
    await vi.advanceTimersByTimeAsync(400);
    const second = caps.run(async (signal) => {
      const p = probe(signal);
      finishers.push(p.finish);
      return p.done;
    });
    const third = caps.run(async (signal) => {
      const p = probe(signal);
      finishers.push(p.finish);
      return p.done;
    });
    expect(vi.getTimerCount()).toBe(1);
    finishers[2]!(); // the third answers in time
    await vi.advanceTimersByTimeAsync(600); // the first's deadline
    expect(await first).toBe('aborted: time cap reached');
    await vi.advanceTimersByTimeAsync(399);
    let secondSettled = false;
    void second.then(() => (secondSettled = true));
    await Promise.resolve();
    expect(secondSettled).toBe(false);
    await vi.advanceTimersByTimeAsync(1); // the second's deadline, 1000 ms after it started
    expect(await second).toBe('aborted: time cap reached');
    expect(await third).toBe('answered');
    expect(vi.getTimerCount()).toBe(0);
    caps.close();
  });

  it('aborts every provider in flight when the run is cancelled, and one started after that at once', async () => {
    const run = new AbortController();
    const caps = new RunTimeCaps(run.signal, 60_000);
    const inFlight = [caps.run(async (signal) => probe(signal).done), caps.run(async (signal) => probe(signal).done)];
    run.abort(new Error('test-all cancelled'));
    expect(await Promise.all(inFlight)).toEqual(['aborted: test-all cancelled', 'aborted: test-all cancelled']);
    const late = await caps.run(async (signal) => (signal.aborted ? 'aborted before it started' : 'ran'));
    expect(late).toBe('aborted before it started');
    caps.close();
  });
});
