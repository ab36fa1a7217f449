import { setTimeout as sleep } from 'node:timers/promises';
import { DeskError } from '../contract/errors.js';

/** How long a write waits for another process's lock in all: the CLI waits this long inside SQLite (it has no UI to freeze). */
export const BUSY_WAIT_BUDGET_MS = 10_000;

/**
 * SQLite's own wait in a process with a UI (the desktop app): short enough that a blocked write never stalls the event
 * loop for a visible time; the rest of the wait happens in `retryWhileBusy`, between tries, with the loop free.
 */
export const UI_BUSY_TIMEOUT_MS = 50;

const FIRST_DELAY_MS = 10;
const MAX_DELAY_MS = 250;

/** better-sqlite3 reports another connection's lock as SQLITE_BUSY (or an extended code such as SQLITE_BUSY_SNAPSHOT). */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `work` and, while it fails because another process holds the store's write lock, runs it again after a growing
 * pause (the event loop stays free meanwhile). Safe because every operation is one or more whole transactions: a try
 * that met the lock committed nothing it would repeat. After `budgetMs` in all it fails with `store_busy`.
 */
export async function retryWhileBusy<T>(work: () => T | Promise<T>, budgetMs = BUSY_WAIT_BUDGET_MS): Promise<T> {
  const started = Date.now();
  let delay = FIRST_DELAY_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      const waited = Date.now() - started;
      if (waited + delay > budgetMs) {
        throw new DeskError(
          'store_busy',
          `The store is busy: another process (such as \`provider-desk import\`) has held its write lock for ${Math.round(waited / 1000)} s; try again when it has finished`,
          { details: { waited_ms: waited } },
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
