/**
 * Test-all: every enabled provider (or a chosen few) tested under one concurrency limit and one time cap, read a chunk
 * at a time, written in batches, reported as each finishes, cancellable. The checks themselves are HealthService's.
 */
import { DeskError } from '../contract/errors.js';
import type { CheckResult, ProviderHealth } from '../contract/domain-schemas.js';
import type { TestAllProgress } from '../contract/operations.js';
import { TEST_ALL_DEFAULT_TIMEOUT_MS, type TestAllCause } from '../contract/operation-schemas.js';
import { runWithConcurrency } from '../probe/concurrency.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import type { ProviderRef, Repository } from '../store/repository.js';
import { outcomeOf, writeCheck, type Checked, type TestOutcome } from './check-verdicts.js';
import type { ProviderService } from './provider-service.js';
import { RunTimeCaps, TestAllRuns, failureCause } from './test-all-run.js';
import type { TestRequest } from './tests-in-flight.js';
import { WriteBatcher, type ItemOutcome } from './write-batcher.js';
import { collectGarbage } from '../v8-collector.js';

/**
 * In a process that lives on (`collectAfterLargeRuns`), a run of at least this many providers ends by asking V8 to
 * start a major GC. Each provider's state in flight outlives a scavenge or two, so a run leaves tens of MB in the old
 * generation, which V8 collects only once it has grown to a multiple of what is live: repeated runs grew `serve` by
 * ~90 MB before it levelled off; with the GC, by one run's worth. Asynchronous: the marking runs alongside, in steps,
 * after the run has answered. A one-command CLI process exits instead, and pays nothing.
 */
export const COLLECT_AFTER_PROVIDERS = 100;

/** Thrown by a test-all check cut short by its run's cancellation: it has no verdict, and whoever joined it tests on its own. */
export class CheckAbandoned extends Error {
  constructor() {
    super('the test-all run was cancelled');
  }
}

export interface TestAllOptions {
  concurrency?: number | undefined;
  only?: string[] | undefined;
  run_id?: string | undefined;
  timeout_ms?: number | undefined;
}

/** What test-all uses of HealthService: its check, its failure verdict and its tests in flight. */
export interface TestAllHost {
  readonly repo: Repository;
  readonly providers: ProviderService;
  /** Probes the provider's keys; keys still unanswered when `signal` aborts count as timed out after `capMs`. */
  check(row: ProviderRow, options: { signal: AbortSignal; capMs: number; storedKeys: KeyRow[] }): Promise<Checked>;
  failure(keyId: string | null, error: unknown): CheckResult;
  /** Runs `start` as the provider's test in flight, or joins the one running (see HealthService). */
  inFlight(providerId: string, request: TestRequest, start: () => Promise<TestOutcome>, wanted: () => boolean): Promise<TestOutcome>;
}

function noop(): void {}

export class TestAllRunner {
  private readonly runs = new TestAllRuns();

  constructor(
    private readonly host: TestAllHost,
    private readonly options: { collectAfterLargeRuns: boolean } = { collectAfterLargeRuns: false },
  ) {}

  /**
   * Tests every enabled provider (or `only`) under one concurrency limit, reporting each as it finishes. A provider's
   * slot is free again as soon as its probe answered; its result is written with others in one transaction a few ms
   * later (WriteBatcher), and its progress is reported once that is written. A provider still unanswered after
   * `timeout_ms` counts as timed out. Cancelling the run (cancel, or `signal`: the caller went away) starts no
   * further provider and aborts those in flight, which keep their previous verdicts; the run answers with what it finished.
   * Each provider's check is its test in flight (see HealthService.inFlight): a single test of it meanwhile joins the
   * check, and a single test already running is joined instead of probing again.
   */
  async run(options: TestAllOptions, onProgress?: (progress: TestAllProgress) => void, signal?: AbortSignal) {
    const { repo, providers: providerService } = this.host;
    const started = Date.now();
    const run = this.runs.start(options.run_id, signal);
    const capMs = options.timeout_ms ?? TEST_ALL_DEFAULT_TIMEOUT_MS;
    const caps = new RunTimeCaps(run.signal, capMs);
    let tested = 0;
    try {
      const rows = repo.enabledProviderNames().filter((r) => !options.only || options.only.includes(r.name) || options.only.includes(r.id));
      tested = rows.length;
      const writer = this.batchedWriter();
      const fresh = this.freshRows(rows, options.concurrency ?? 16);
      let done = 0;
      const finish = (row: ProviderRef, outcome: { ok: boolean; health: ProviderHealth; results: CheckResult[] }) => {
        done += 1;
        const provider = { id: row.id, name: row.name };
        const cause = outcome.ok ? null : failureCause(outcome.results);
        onProgress?.({
          run_id: run.id,
          done,
          total: rows.length,
          provider,
          ok: outcome.ok,
          health: outcome.health,
          cause,
          results: outcome.results,
        });
        return { ...provider, ok: outcome.ok, health: outcome.health, cause, results: outcome.results };
      };
      const failed = (row: ProviderRef, error: unknown) => ({
        ok: false,
        health: (repo.findProvider(row.id)?.health ?? 'untested') as ProviderHealth,
        results: [this.host.failure(null, error)],
      });
      // Not reached, or in flight when the run was cancelled: nothing is written, the provider stays as it was.
      const notTested = { settled: Promise.resolve(null) };
      // A worker holds its slot while its provider is probed, then hands back the promise of the written outcome.
      const probing = runWithConcurrency(rows, options.concurrency ?? 16, async (listed) => {
        if (run.signal.aborted) return notTested;
        let row: ProviderRef = listed;
        let probed = (): void => undefined;
        const answered = new Promise<void>((resolve) => (probed = resolve));
        // The provider's check is its test in flight: a providers.test of it meanwhile joins it (one probe) and
        // checks.running lists it. Its outcome is known once its batch is written.
        const check = async (): Promise<TestOutcome> => {
          providerService.emit('testing', listed.id);
          let announced = false;
          try {
            if (run.signal.aborted) throw new CheckAbandoned();
            let checked: Checked;
            let read: ProviderRow;
            try {
              const current = fresh(listed);
              row = read = current.row;
              checked = await caps.run((capped) => this.host.check(current.row, { signal: capped, capMs, storedKeys: current.keys }));
            } catch (error) {
              if (run.signal.aborted) throw new CheckAbandoned();
              return failed(row, error);
            } finally {
              probed();
            }
            if (run.signal.aborted) throw new CheckAbandoned();
            try {
              const health = await writer.add({ row: read, checked });
              announced = true; // the writer announced the verdict
              return outcomeOf(checked, health);
            } catch (error) {
              return failed(row, error);
            }
          } finally {
            // A check that ended without a written verdict still needs an end to its "started".
            if (!announced) providerService.emit('health', listed.id);
          }
        };
        const outcome = this.host.inFlight(listed.id, {}, check, () => !run.signal.aborted);
        // The slot is free once the probe answered (or the test this check joined ended).
        await Promise.race([answered, outcome.then(noop, noop)]);
        const settled = outcome.then(
          (tested) => finish(row, tested),
          (error: unknown) => (run.signal.aborted ? null : finish(row, failed(row, error))),
        );
        return { settled };
      });
      // Whatever happens, nothing probed is left waiting for the batch timer once the probes are over.
      const written = await probing.finally(() => writer.flush());
      const providers = (await Promise.all(written.map((w) => w.settled))).filter((p) => p !== null);
      const passed = providers.filter((p) => p.ok).length;
      const byHealth: Record<ProviderHealth, number> = { ok: 0, degraded: 0, error: 0, offline: 0, untested: 0 };
      const byCause: Partial<Record<TestAllCause, number>> = {};
      for (const p of providers) {
        byHealth[p.health] += 1;
        if (p.cause) byCause[p.cause] = (byCause[p.cause] ?? 0) + 1;
      }
      return {
        run_id: run.id,
        total: rows.length,
        passed,
        failed: providers.length - passed,
        not_tested: rows.length - providers.length,
        cancelled: run.signal.aborted,
        timeout_ms: capMs,
        duration_ms: Date.now() - started,
        by_health: byHealth,
        by_cause: byCause,
        providers,
      };
    } finally {
      caps.close();
      run.end();
      if (this.options.collectAfterLargeRuns && tested >= COLLECT_AFTER_PROVIDERS) collectGarbage({ type: 'major', execution: 'async' });
    }
  }

  /** Cancels a running test-all (or every one): see run. */
  cancel(runId?: string): { cancelled: string[] } {
    return this.runs.cancel(runId);
  }

  /**
   * Test-all's reader of each provider as it is when its turn comes: the row and its keys, read `chunk` providers at a
   * time in one transaction when the first of them is due (a read outside a transaction costs WAL's shared-memory lock
   * each time, which is most of a read). A provider deleted since the run listed it is not found, as with requireRow.
   */
  private freshRows(rows: ProviderRef[], chunk: number): (listed: ProviderRef) => { row: ProviderRow; keys: KeyRow[] } {
    const repo = this.host.repo;
    const position = new Map(rows.map((row, index) => [row.id, index]));
    let read = new Map<string, { row: ProviderRow; keys: KeyRow[] } | undefined>();
    return (listed) => {
      if (!read.has(listed.id)) {
        const start = position.get(listed.id) ?? 0;
        const ids = rows.slice(start, start + Math.max(1, chunk)).map((row) => row.id);
        // A deferred (read) transaction: it never waits for another process's writer, as single reads do not.
        // Point lookups, each a few µs inside the transaction (an IN list over json_each would scan the keys).
        read = repo.db.transaction(() => {
          return new Map(
            ids.map((id) => {
              const row = repo.findProvider(id);
              return [id, row && row.id === id ? { row, keys: repo.keysOf(id) } : undefined];
            }),
          );
        })();
      }
      const found = read.get(listed.id);
      if (!found) throw new DeskError('not_found', `Provider "${listed.id}" not found`);
      return found;
    };
  }

  /** Test-all's writer: results of many providers in one transaction; the progress of each follows its batch. */
  private batchedWriter(): WriteBatcher<{ row: ProviderRow; checked: Checked }, ProviderHealth> {
    const { repo, providers } = this.host;
    // Results arrive a few per ms; 20 ms gathers a dozen or so per commit (each commit costs WAL's locks and a write),
    // and a provider's progress waits at most that long after its probe.
    return new WriteBatcher(
      (batch) => {
        let outcomes: Array<ItemOutcome<ProviderHealth>>;
        try {
          outcomes = repo.transaction(() =>
            batch.map(({ row, checked }) => ({ ok: true as const, value: writeCheck(repo, row, checked) })),
          );
        } catch {
          // One result that cannot be written must not lose the others: each in its own transaction, as test() does.
          outcomes = batch.map(({ row, checked }) => {
            try {
              return { ok: true as const, value: repo.transaction(() => writeCheck(repo, row, checked)) };
            } catch (error) {
              return { ok: false as const, error };
            }
          });
        }
        batch.forEach(({ row }, index) => {
          if (outcomes[index]?.ok) providers.emit('health', row.id);
        });
        return outcomes;
      },
      { maxDelayMs: 20 },
    );
  }
}
