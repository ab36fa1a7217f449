export interface Progress<T, R> {
  done: number;
  total: number;
  item: T;
  index: number;
  /** The item's result; undefined when it failed. */
  result: R | undefined;
  error: unknown;
}

/**
 * Runs fn over items with exactly `limit` calls in flight (fewer only when fewer remain): a worker picks the next
 * item as soon as its previous one settles. Results keep the items' order. A failing item does not stop the others;
 * the returned promise rejects with the first failure once everything has settled.
 */
export async function runWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  onProgress?: (progress: Progress<T, R>) => void,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  let firstError: { error: unknown } | null = null;

  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      let result: R | undefined;
      let error: unknown;
      try {
        result = await fn(item, index);
        results[index] = result;
      } catch (caught) {
        error = caught;
        firstError ??= { error: caught };
      }
      done++;
      onProgress?.({ done, total: items.length, item, index, result, error });
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (firstError) throw (firstError as { error: unknown }).error;
  return results;
}

/** A limiter shared by independent callers (e.g. several "test all" runs at once) so the total in flight stays bounded. */
export function createLimiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    // A finishing task hands its slot straight to the next waiter, so no newcomer can squeeze in between.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
