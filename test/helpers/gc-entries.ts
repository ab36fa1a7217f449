/** Counting the garbage collections V8 reports (perf_hooks 'gc' entries), for tests of code that asks for them. */
import { PerformanceObserver, constants } from 'node:perf_hooks';

const KINDS = { minor: constants.NODE_PERFORMANCE_GC_MINOR, major: constants.NODE_PERFORMANCE_GC_MAJOR } as const;

/**
 * Collections of `kind` reported from when `work` runs until `until(seen)` holds or `ms` have passed (entries arrive
 * asynchronously). With `allocate`, small allocations are made meanwhile, so that an incremental marking can finish.
 */
export async function collectionsDuring(
  kind: keyof typeof KINDS,
  work: () => void,
  { ms, until = () => false, allocate = false }: { ms: number; until?: (seen: number) => boolean; allocate?: boolean },
): Promise<number> {
  let seen = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === KINDS[kind]) seen++;
  });
  observer.observe({ entryTypes: ['gc'] });
  work();
  const started = Date.now();
  const ballast: unknown[][] = [];
  while (!until(seen) && Date.now() - started < ms) {
    if (allocate) ballast[0] = Array.from({ length: 1000 }, (_, i) => ({ i }));
    await new Promise((resolve) => setTimeout(resolve, Math.min(10, ms)));
  }
  observer.disconnect();
  return seen;
}
