/**
 * What a test-all run needs beyond single tests: a name to cancel it by, a time cap per provider, and the cause each
 * failed provider is grouped under in the summary.
 */
import { randomUUID } from 'node:crypto';
import { DeskError } from '../contract/errors.js';
import type { CheckResult } from '../contract/domain-schemas.js';
import type { TestAllCause } from '../contract/operation-schemas.js';

/** The cause a failed provider is counted under: the error class of its first failing check. */
export function failureCause(results: readonly CheckResult[]): TestAllCause {
  return results.find((r) => !r.ok)?.error_class ?? 'other';
}

/** The verdict of a key whose provider did not answer within the run's time cap: timed out, hence offline. */
export function timeCapResult(keyId: string | null, capMs: number): CheckResult {
  const seconds = Math.round(capMs / 100) / 10;
  return {
    key_id: keyId,
    ok: false,
    latency_ms: capMs,
    http_status: null,
    error_class: 'timeout',
    message: `no answer within ${seconds} s (the time cap of Test all)`,
    hint: 'the provider is slow or unreachable; test it on its own, or raise the time cap in Settings → Checks',
    checked_at: new Date().toISOString(),
  };
}

/**
 * `work`'s outcome, or `onAbort()`'s as soon as `signal` aborts, whichever comes first. The run never waits for a probe
 * that does not honour its signal (the probe is told to stop; it is simply not waited for).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort());
  let stop: () => void = () => undefined;
  const aborted = new Promise<T>((resolve) => {
    stop = () => resolve(onAbort());
    signal.addEventListener('abort', stop, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', stop));
}

/**
 * The time caps of one run's providers: one timer for the whole run rather than a timer, a controller listener and a
 * parent listener per provider (test-all's CPU per provider is what limits it). Every provider gets the same cap, so
 * deadlines come in start order: the timer waits for the oldest unfinished one only.
 */
export class RunTimeCaps {
  /** Providers in flight in start order, each with its deadline (a Set keeps insertion order; deletes are O(1)). */
  private readonly inFlight = new Set<{ controller: AbortController; deadline: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onParent = () => {
    for (const entry of this.inFlight) entry.controller.abort(this.parent.reason);
  };

  constructor(
    private readonly parent: AbortSignal,
    private readonly capMs: number,
  ) {
    parent.addEventListener('abort', this.onParent, { once: true });
  }

  /** Runs `work` with a signal that aborts when the run does or after the cap, whichever comes first. */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.parent.aborted) controller.abort(this.parent.reason);
    const entry = { controller, deadline: Date.now() + this.capMs };
    this.inFlight.add(entry);
    if (this.timer === undefined) this.schedule(entry.deadline);
    try {
      return await work(controller.signal);
    } finally {
      this.inFlight.delete(entry);
    }
  }

  private schedule(deadline: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - Date.now()));
  }

  /** Aborts every provider past its deadline, then waits for the next oldest one (if any is in flight). */
  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const entry of this.inFlight) {
      if (entry.deadline > now) return this.schedule(entry.deadline);
      this.inFlight.delete(entry);
      entry.controller.abort(new Error('time cap reached'));
    }
  }

  /** Stops the timer and the listener (the run is over). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.parent.removeEventListener('abort', this.onParent);
  }
}

export interface TestAllRun {
  id: string;
  /** Aborted when the run is cancelled (by id, all at once, or because its caller went away). */
  signal: AbortSignal;
  /** Forgets the run once it answered. */
  end(): void;
}

/** The test-all runs in progress, by id, so that another call (the GUI's Cancel, the CLI's Ctrl+C) can stop one. */
export class TestAllRuns {
  private readonly running = new Map<string, AbortController>();

  start(id: string | undefined, caller?: AbortSignal): TestAllRun {
    const runId = id ?? randomUUID();
    if (this.running.has(runId)) throw new DeskError('conflict', `A test-all run named "${runId}" is already running`);
    const controller = new AbortController();
    const callerGone = () => controller.abort(new Error('the caller went away'));
    if (caller?.aborted) callerGone();
    else caller?.addEventListener('abort', callerGone, { once: true });
    this.running.set(runId, controller);
    return {
      id: runId,
      signal: controller.signal,
      end: () => {
        this.running.delete(runId);
        caller?.removeEventListener('abort', callerGone);
      },
    };
  }

  /** Cancels one run, or every run; returns the ids cancelled (none when nothing by that id runs). */
  cancel(id?: string): { cancelled: string[] } {
    const ids = id === undefined ? [...this.running.keys()] : this.running.has(id) ? [id] : [];
    for (const runId of ids) this.running.get(runId)?.abort(new Error('test-all cancelled'));
    return { cancelled: ids };
  }
}
