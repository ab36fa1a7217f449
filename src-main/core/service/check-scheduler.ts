import { EventEmitter } from 'node:events';
import type { CheckTransition } from '../contract/operation-schemas.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import type { ObservablePreferences } from '../preferences.js';
import { checkIntervalMinutesOf } from '../preferences.js';
import type { CheckTransitionLog } from './check-transitions.js';
import { transitionMessage } from './check-transitions.js';
import type { HealthService } from './health-service.js';
import type { ProviderService } from './provider-service.js';

/** Timers behind an interface, so tests drive the schedule with a clock of their own. */
export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that never keep the process alive on their own. */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface CheckSchedulerOptions {
  /** Time between runs; 0 = off (default). */
  intervalMs?: number;
  /** Each wait is the interval ± this fraction, at random (default 0.1), so many desks do not hit a provider in step. */
  jitter?: number;
  /** The first run waits a random time up to the interval, at most this long (default 60 s). */
  maxInitialDelayMs?: number;
  /** Providers tested at once (default 4). */
  concurrency?: number;
  /** How long stop() waits for a run in flight (default 10 s). */
  stopTimeoutMs?: number;
  clock?: SchedulerClock;
  random?: () => number;
}

export interface SchedulerServices {
  /** Read through the public service API only: the verdicts before a run. */
  providers: Pick<ProviderService, 'list'>;
  health: Pick<HealthService, 'testAll'>;
  /** Where transitions are kept for `checks.recent` (the Desk's log). */
  transitions?: Pick<CheckTransitionLog, 'add'>;
  logger?: Logger;
}

export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
  duration_ms: number;
  transitions: CheckTransition[];
}

export interface SchedulerEvents {
  keyStartedFailing: [CheckTransition];
  keyRecovered: [CheckTransition];
  runFinished: [RunSummary];
  runFailed: [Error];
}

type Verdict = 'ok' | 'failing';

const LIST_PAGE = 1000;

/**
 * Scheduled checks: re-tests every enabled provider in the background (never deep tests, so no billed calls), at an
 * interval with jitter and under a concurrency cap, one run at a time; a key whose verdict goes from working to failing
 * (or back) is announced as an event.
 */
export class CheckScheduler {
  readonly events = new EventEmitter<SchedulerEvents>();
  private intervalMs = 0;
  private readonly jitter: number;
  private readonly maxInitialDelayMs: number;
  private readonly concurrency: number;
  private readonly stopTimeoutMs: number;
  private readonly clock: SchedulerClock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private timer: unknown = null;
  private inFlight: Promise<RunSummary> | null = null;
  private stopped = false;
  /** Set once stop() has returned: a run that outlived its wait stores its results but tells nobody. */
  private silenced = false;

  constructor(
    private readonly services: SchedulerServices,
    options: CheckSchedulerOptions = {},
  ) {
    this.jitter = Math.min(Math.max(options.jitter ?? 0.1, 0), 0.5);
    this.maxInitialDelayMs = options.maxInitialDelayMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.logger = services.logger ?? silentLogger;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    this.configure(options.intervalMs ?? 0);
  }

  /** The interval now in force (0 = off). */
  get interval(): number {
    return this.intervalMs;
  }

  /** Whether a run is in flight. */
  get running(): boolean {
    return this.inFlight !== null;
  }

  /** Sets a new interval (0 turns checks off) and starts the schedule afresh, with a new random first delay. */
  configure(intervalMs: number): void {
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new RangeError('intervalMs must be 0 or a positive number');
    if (this.stopped) return;
    this.intervalMs = intervalMs;
    this.clearTimer();
    // A run in flight schedules the next one when it ends.
    if (intervalMs > 0 && !this.inFlight) this.schedule(this.random() * Math.min(intervalMs, this.maxInitialDelayMs));
  }

  /** Runs the checks now, or joins the run in flight: never two at once. */
  runNow(): Promise<RunSummary> {
    if (this.inFlight) return this.inFlight;
    // After stop() the store may be closing: no new run starts.
    if (this.stopped) return Promise.reject(new Error('Scheduled checks are stopped'));
    this.clearTimer();
    const run = this.run().finally(() => {
      this.inFlight = null;
      if (!this.stopped && this.intervalMs > 0) this.schedule(this.nextDelay());
    });
    this.inFlight = run;
    return run;
  }

  /** Stops the schedule and waits for a run in flight, at most `stopTimeoutMs`; nothing is announced after it returns. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    const run = this.inFlight;
    if (run) {
      let bound: unknown = null;
      await Promise.race([
        run.then(
          () => undefined,
          () => undefined,
        ),
        new Promise<void>((resolve) => (bound = this.clock.setTimeout(resolve, this.stopTimeoutMs))),
      ]);
      this.clock.clearTimeout(bound);
    }
    this.silenced = true;
  }

  private nextDelay(): number {
    return this.intervalMs * (1 + this.jitter * (2 * this.random() - 1));
  }

  private schedule(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.runNow().catch(() => undefined);
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Each key's verdict as the store has it now: working, failing, or unknown (untested, cleared) and so left out. */
  private verdicts(): Map<string, { verdict: Verdict; name: string }> {
    const verdicts = new Map<string, { verdict: Verdict; name: string }>();
    for (let offset = 0; ;) {
      const page = this.services.providers.list({ limit: LIST_PAGE, offset });
      for (const provider of page.items) {
        for (const key of provider.api_keys) {
          if (key.status === 'untested' || !key.last_check) continue;
          verdicts.set(key.id, { verdict: key.status === 'ok' ? 'ok' : 'failing', name: key.name });
        }
      }
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) return verdicts;
    }
  }

  private async run(): Promise<RunSummary> {
    const started = this.clock.now();
    try {
      const before = this.verdicts();
      const outcome = await this.services.health.testAll({ concurrency: this.concurrency });
      const transitions: CheckTransition[] = [];
      for (const provider of outcome.providers) {
        for (const result of provider.results) {
          const previous = result.key_id ? before.get(result.key_id) : undefined;
          if (!previous || !result.key_id) continue;
          const kind =
            previous.verdict === 'ok' && !result.ok
              ? 'key_started_failing'
              : previous.verdict === 'failing' && result.ok
                ? 'key_recovered'
                : null;
          if (!kind) continue;
          transitions.push({
            kind,
            provider: provider.name,
            provider_id: provider.id,
            key_id: result.key_id,
            key_name: previous.name,
            result,
            message: transitionMessage(kind, provider.name, previous.name, result),
            at: new Date(this.clock.now()).toISOString(),
          });
        }
      }
      const summary: RunSummary = {
        total: outcome.total,
        passed: outcome.passed,
        failed: outcome.failed,
        duration_ms: Math.round(this.clock.now() - started),
        transitions,
      };
      if (!this.silenced) this.announce(summary);
      return summary;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.warn('scheduled check failed', { error: failure.name });
      if (!this.silenced) this.events.emit('runFailed', failure);
      throw failure;
    }
  }

  private announce(summary: RunSummary): void {
    this.logger.info('scheduled check finished', { count: summary.total, duration_ms: summary.duration_ms });
    for (const transition of summary.transitions) {
      const fields = {
        provider: transition.provider,
        key_name: transition.key_name,
        error_class: transition.result.error_class ?? undefined,
        status: transition.result.http_status ?? undefined,
      };
      this.services.transitions?.add(transition);
      if (transition.kind === 'key_started_failing') {
        this.logger.warn('key started failing', fields);
        this.events.emit('keyStartedFailing', transition);
      } else {
        this.logger.info('key works again', fields);
        this.events.emit('keyRecovered', transition);
      }
    }
    this.events.emit('runFinished', summary);
  }
}

/** Keeps a scheduler at the interval the preferences name, now and whenever the preference changes. Returns the unsubscribe. */
export function followCheckInterval(preferences: ObservablePreferences, scheduler: CheckScheduler): () => void {
  let applied: number | null = null;
  const apply = () => {
    const minutes = checkIntervalMinutesOf(preferences);
    if (minutes === applied) return;
    applied = minutes;
    scheduler.configure(minutes * 60_000);
  };
  apply();
  return preferences.onChange((key) => {
    if (key === 'checkIntervalMinutes') apply();
  });
}
