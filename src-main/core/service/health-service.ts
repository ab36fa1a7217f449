import { createHash } from 'node:crypto';
import { catalogEntry } from '../catalog/catalog.js';
import { DeskError } from '../contract/errors.js';
import type { CheckResult, ModelInfo, ProviderHealth, StoredModel } from '../contract/domain-schemas.js';
import type { TestAllProgress } from '../contract/operations.js';
import type { ProbeEngine, ProbeKey, ProbeTarget } from '../probe/types.js';
import { runWithConcurrency } from '../probe/concurrency.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import type { Repository } from '../store/repository.js';
import type { Vault } from '../vault/vault.js';
import { customOf, networkOf, parseJson, proxyOf, settingsOf, toModel, PROXY_DEFAULTS, PROXY_PASSWORD_PATH } from './codec.js';
import { NETWORK_DEFAULTS } from '../contract/config-schemas.js';
import { mergeSecrets } from './secret-fields.js';
import { keyConfigAad, openKey, openProviderSecrets, resolveEnvRefs, resolvePlainEnvRefs } from './provider-writer.js';
import { openHeaders, openProxyUrl, withoutNetworkValues } from './network-secrets.js';
import type { ProviderService } from './provider-service.js';
import { MissingEnvError, missingEnvResult, requireEnvRefs } from './env-refs.js';
import { healthColumns, keyHealth, legacyKeyStatus } from './health-model.js';
import { WriteBatcher, type ItemOutcome } from './write-batcher.js';
import { TestsInFlight, type RunningTest, type TestRequest } from './tests-in-flight.js';
import { TEST_ALL_DEFAULT_TIMEOUT_MS, type TestAllCause } from '../contract/operation-schemas.js';
import { RunTimeCaps, TestAllRuns, failureCause, timeCapResult, untilAborted } from './test-all-run.js';

export interface TestOptions {
  deep?: boolean | undefined;
  model?: string | undefined;
  keyId?: string | undefined;
}

/** A check under test-all's time cap: keys still unanswered when `signal` aborts count as timed out after `capMs`. */
interface CappedOptions extends TestOptions {
  /** The provider's keys as just read with others (test-all reads them a chunk at a time); read here when absent. */
  storedKeys?: KeyRow[] | undefined;
  signal?: AbortSignal | undefined;
  capMs?: number | undefined;
}

/** What one test found, before it is stored. */
interface Checked {
  /** The keys tested as they were read (null: the keyless endpoint). */
  keys: Array<KeyRow | null>;
  results: CheckResult[];
  /** The models listed by the first key that passed with a list, and that key. */
  models: ModelInfo[] | null;
  modelsKey: string | null;
}

type TestOutcome = { ok: boolean; health: ProviderHealth; results: CheckResult[] };

/** Thrown by a test-all check cut short by its run's cancellation: it has no verdict, and whoever joined it tests on its own. */
class CheckAbandoned extends Error {
  constructor() {
    super('the test-all run was cancelled');
  }
}

function noop(): void {}

function outcomeOf(checked: Checked, health: ProviderHealth): TestOutcome {
  return { ok: checked.results.length > 0 && checked.results.every((r) => r.ok), health, results: checked.results };
}

/** Everything a stored model row holds but its fetch time, hashed: equal hashes mean the rows would be written alike. */
function modelListHash(models: ModelInfo[], keyId: string | null): string {
  const hash = createHash('sha256').update(JSON.stringify(keyId));
  for (const m of models) hash.update(JSON.stringify([m.id, m.display_name, m.capabilities, m.context_window, m.owned_by]));
  return hash.digest('base64url');
}

export interface HealthServiceOptions {
  /** Keys of one provider checked at once. */
  keyConcurrency?: number;
  /** The environment of the process that owns the store: `env.VAR` references resolve here, and nowhere else. */
  env?: NodeJS.ProcessEnv;
}

/** Connection tests, model listing and test-all: probes through the engine, results stored by the service. */
export class HealthService {
  private readonly refreshing = new Set<string>();
  /** Tests running now, single ones and test-all's: a second request for the same provider joins the running one (SPEC §5). */
  private readonly testsInFlight = new TestsInFlight<{ ok: boolean; health: ProviderHealth; results: CheckResult[] }>();
  private readonly testAllRuns = new TestAllRuns();
  private readonly keyConcurrency: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly repo: Repository,
    private readonly vault: Vault,
    private readonly providers: ProviderService,
    private readonly probe: ProbeEngine,
    options: HealthServiceOptions = {},
  ) {
    this.keyConcurrency = options.keyConcurrency ?? 4;
    this.env = options.env ?? process.env;
  }

  /** Builds what the probe (or the gateway) needs, with secrets opened in memory for the duration of the use. */
  target(row: ProviderRow): ProbeTarget {
    const vault = this.vault;
    const sealed = openProviderSecrets(vault, row);
    // Header values and the proxy URL's userinfo are used as written; settings secrets and the proxy password may be env refs.
    const referenced = withoutNetworkValues(sealed);
    requireEnvRefs(Object.values(referenced), this.env);
    const secrets = resolveEnvRefs(vault, referenced);
    const { [PROXY_PASSWORD_PATH]: proxyPassword = '', ...settingSecrets } = secrets;
    const network = networkOf(row);
    const proxy = proxyOf(row);
    return {
      providerId: row.id,
      name: row.name,
      entry: catalogEntry(row.type),
      baseUrl: row.base_url,
      settings: mergeSecrets(resolvePlainEnvRefs(vault, settingsOf(row)), settingSecrets),
      network: { ...network, extra_headers: openHeaders(network.extra_headers, sealed) },
      proxy: { ...proxy, url: openProxyUrl(proxy.url, sealed), password: proxyPassword },
      custom: customOf(row),
      env: this.env,
    };
  }

  private failure(keyId: string | null, error: unknown): CheckResult {
    if (error instanceof MissingEnvError) return missingEnvResult(keyId, error, new Date().toISOString());
    const message = error instanceof DeskError ? error.message : 'The key could not be read from the vault';
    return {
      key_id: keyId,
      ok: false,
      latency_ms: 0,
      http_status: null,
      error_class: 'missing_credentials',
      message,
      hint: 'Set the referenced environment variable or replace the key',
      checked_at: new Date().toISOString(),
    };
  }

  private keysToCheck(row: ProviderRow, onlyKey?: string, stored?: KeyRow[]): Array<KeyRow | null> {
    const entry = catalogEntry(row.type);
    const keys = (stored ?? this.repo.keysOf(row.id)).filter(
      (k) => k.enabled === 1 && (!onlyKey || k.id === onlyKey || k.name === onlyKey),
    );
    if (onlyKey && keys.length === 0) throw new DeskError('not_found', `Key "${onlyKey}" not found or disabled for provider "${row.name}"`);
    if (keys.length > 0) return keys;
    const keyless = !entry.keyRequired || customOf(row)?.is_key_less === true;
    return keyless ? [null] : [];
  }

  /** A key's secret and typed config, opened in memory; throws MissingEnvError for an unset `env.VAR`. */
  probeKey(row: ProviderRow, target: ProbeTarget, key: KeyRow | null): ProbeKey {
    if (!key) return { keyId: null, secret: null, keyConfig: null };
    const vault = this.vault;
    // Checked before opening, so an unset variable is reported by name as missing_env rather than as an unreadable key.
    const configSecrets = key.key_config_secrets
      ? (JSON.parse(vault.openText(key.key_config_secrets, keyConfigAad(key.id))) as Record<string, string>)
      : {};
    requireEnvRefs([key.secret_ref, ...Object.values(configSecrets)], this.env);
    const opened = openKey(vault, key);
    return { keyId: key.id, secret: opened.secret, keyConfig: opened.keyConfig };
  }

  /** Tests each enabled key; stores per-key results, the provider's health and (on success) its models, in one transaction. */
  async test(idOrName: string, options: TestOptions = {}): Promise<{ ok: boolean; health: ProviderHealth; results: CheckResult[] }> {
    const row = this.providers.requireRow(idOrName);
    const request = { keyId: options.keyId, deep: options.deep, model: options.model };
    return this.inFlight(row.id, request, async () => {
      this.providers.emit('testing', row.id, options.keyId);
      try {
        // Read again: a test that waited for another one to end sees the provider as it is now.
        const current = this.providers.requireRow(row.id);
        const checked = await this.check(current, options);
        return outcomeOf(checked, this.record(current, checked));
      } catch (error) {
        // The test ended without a verdict (the key or the provider vanished): its "started" still needs an end.
        this.providers.emit('health', row.id, options.keyId);
        throw error;
      }
    });
  }

  /**
   * Runs `start` as the provider's test in flight, or joins the one running (TestsInFlight): single tests and test-all's
   * checks alike. A joined test-all check whose run was cancelled has no verdict to share, so the joiner runs its own
   * then, while `wanted()` says it still wants one.
   */
  private async inFlight(
    providerId: string,
    request: TestRequest,
    start: () => Promise<TestOutcome>,
    wanted: () => boolean = () => true,
  ): Promise<TestOutcome> {
    for (;;) {
      try {
        return await this.testsInFlight.run(providerId, request, start);
      } catch (error) {
        if (!(error instanceof CheckAbandoned) || !wanted()) throw error;
      }
    }
  }

  /** The tests in flight now, single ones and test-all's (a window that comes back shows them as running, and joins them). */
  running(): RunningTest[] {
    return this.testsInFlight.list();
  }

  /** Probes each key to check (or the keyless endpoint), opening secrets only for the probe; stores nothing. */
  private async check(row: ProviderRow, options: CappedOptions = {}): Promise<Checked> {
    const keys = this.keysToCheck(row, options.keyId, options.storedKeys);
    if (keys.length === 0) {
      const result: CheckResult = {
        key_id: null,
        ok: false,
        latency_ms: 0,
        http_status: null,
        error_class: 'missing_credentials',
        message: `${catalogEntry(row.type).label} needs an API key and this provider has no enabled key`,
        hint: 'Add a key (or enable one) and test again',
        checked_at: new Date().toISOString(),
      };
      return { keys, results: [result], models: null, modelsKey: null };
    }
    let target: ProbeTarget;
    try {
      target = this.target(row);
    } catch (error) {
      return { keys, results: keys.map((k) => this.failure(k?.id ?? null, error)), models: null, modelsKey: null };
    }
    const outcomes = await runWithConcurrency(keys, this.keyConcurrency, async (key) => {
      let probeKey: ProbeKey;
      try {
        probeKey = this.probeKey(row, target, key);
      } catch (error) {
        return { result: this.failure(key?.id ?? null, error), models: null };
      }
      const { signal, capMs = TEST_ALL_DEFAULT_TIMEOUT_MS } = options;
      if (!signal) return this.probe.checkKey(target, probeKey, { deep: options.deep, model: options.model });
      const capped = () => ({ result: timeCapResult(probeKey.keyId, capMs), models: null });
      if (signal.aborted) return capped();
      return untilAborted(this.probe.checkKey(target, probeKey, { deep: options.deep, model: options.model, signal }), signal, capped);
    });
    const firstWithModels = outcomes.find((o) => o.result.ok && o.models);
    return {
      keys,
      results: outcomes.map((o) => o.result),
      models: firstWithModels?.models ?? null,
      modelsKey: firstWithModels ? firstWithModels.result.key_id : null,
    };
  }

  /** Stores one provider's check in its own transaction (joining the caller's, if any); returns its health. */
  private record(row: ProviderRow, checked: Checked): ProviderHealth {
    const health = this.repo.transaction(() => this.write(row, checked));
    this.providers.emit('health', row.id);
    return health;
  }

  /**
   * Stores each key's verdict and the provider's health recomputed from all its keys (call inside a transaction);
   * returns that health. A verdict about something changed while the test ran (the key, or where the provider's
   * requests go) is dropped: the change cleared it, and it must stay cleared. Only the verdict columns are written, so
   * the provider's and keys' other indexes are left alone.
   */
  private write(row: ProviderRow, { keys, results, models, modelsKey }: Checked): ProviderHealth {
    const repo = this.repo;
    const current = repo.findProvider(row.id);
    if (!current) return 'untested'; // deleted while the test ran
    if (!sameDestination(row, current)) return current.health as ProviderHealth;
    // The keys as stored, with each verdict written below: what the provider's health is computed from.
    const storedKeys = repo.keysOf(row.id);
    let keyless: CheckResult | null = null;
    for (const result of results) {
      if (result.key_id === null) {
        keyless = result;
      } else {
        const tested = keys.find((k) => k?.id === result.key_id);
        const index = storedKeys.findIndex((k) => k.id === result.key_id);
        const stored = storedKeys[index];
        if (!tested || !stored || !sameKeyMaterial(tested, stored)) continue;
        const verdict = { status: legacyKeyStatus(keyHealth(result)), last_check: JSON.stringify(result) };
        repo.updateKeyVerdict(stored.id, verdict.status, verdict.last_check);
        storedKeys[index] = { ...stored, ...verdict };
      }
      repo.addCheckResult(row.id, result.key_id, JSON.stringify(result), result.checked_at);
    }
    const base = { ...current, ...(keyless ? { last_check: JSON.stringify(keyless) } : {}) };
    const next: ProviderRow = { ...base, ...healthColumns(base, storedKeys) };
    if (models) {
      this.storeModels(row.id, models, modelsKey);
      next.models_status = 'ok';
      next.models_error = null;
    }
    repo.updateProviderVerdict(next, current.revision);
    return next.health as ProviderHealth;
  }

  /** Test-all's writer: results of many providers in one transaction; the progress of each follows its batch. */
  private batchedWriter(): WriteBatcher<{ row: ProviderRow; checked: Checked }, ProviderHealth> {
    const repo = this.repo;
    // Results arrive a few per ms; 20 ms gathers a dozen or so per commit (each commit costs WAL's locks and a write),
    // and a provider's progress waits at most that long after its probe.
    return new WriteBatcher(
      (batch) => {
        let outcomes: Array<ItemOutcome<ProviderHealth>>;
        try {
          outcomes = repo.transaction(() => batch.map(({ row, checked }) => ({ ok: true as const, value: this.write(row, checked) })));
        } catch {
          // One result that cannot be written must not lose the others: each in its own transaction, as test() does.
          outcomes = batch.map(({ row, checked }) => {
            try {
              return { ok: true as const, value: repo.transaction(() => this.write(row, checked)) };
            } catch (error) {
              return { ok: false as const, error };
            }
          });
        }
        batch.forEach(({ row }, index) => {
          if (outcomes[index]?.ok) this.providers.emit('health', row.id);
        });
        return outcomes;
      },
      { maxDelayMs: 20 },
    );
  }

  /** Stores a listed model list; its rows are rewritten only when it differs from the stored one (see storeModelList). */
  private storeModels(providerId: string, models: ModelInfo[], keyId: string | null): void {
    const fetchedAt = new Date().toISOString();
    this.repo.storeModelList(providerId, modelListHash(models, keyId), fetchedAt, () =>
      models.map((m) => ({
        provider_id: providerId,
        model_id: m.id,
        key_id: keyId,
        display_name: m.display_name,
        capabilities: JSON.stringify(m.capabilities),
        context_window: m.context_window,
        owned_by: m.owned_by,
        fetched_at: fetchedAt,
      })),
    );
  }

  /** The stored models; fetched first when none are stored. */
  async models(idOrName: string): Promise<{ models: StoredModel[]; fetched_at: string | null }> {
    const row = this.providers.requireRow(idOrName);
    const stored = this.repo.modelsOf(row.id);
    if (stored.length > 0 || row.models_status === 'ok') {
      return {
        models: stored.map(toModel),
        fetched_at: this.repo.modelList(row.id)?.fetched_at ?? stored[0]?.fetched_at ?? null,
      };
    }
    return this.refresh(idOrName);
  }

  /** Lists models now with the first enabled key that works; a failure is a 502 carrying the check result, never an empty list. */
  async refresh(idOrName: string): Promise<{ models: StoredModel[]; fetched_at: string | null }> {
    const row = this.providers.requireRow(idOrName);
    if (this.refreshing.has(row.id)) throw new DeskError('conflict', `A model refresh for "${row.name}" is already running`);
    this.refreshing.add(row.id);
    try {
      const keys = this.keysToCheck(row);
      if (keys.length === 0) {
        throw new DeskError('upstream_failed', `${catalogEntry(row.type).label} needs an API key to list models; add one`, {
          details: { error_class: 'missing_credentials' },
        });
      }
      const target = this.target(row);
      let lastFailure: CheckResult | null = null;
      for (const key of keys) {
        const listed = await this.probe.listModels(target, this.probeKey(row, target, key));
        if (listed.ok) {
          this.repo.transaction(() => {
            const current = this.repo.findProvider(row.id);
            if (!current) return;
            this.storeModels(row.id, listed.models, key?.id ?? null);
            this.repo.updateProviderVerdict({ ...current, models_status: 'ok', models_error: null }, current.revision);
          });
          this.providers.emit('models', row.id);
          const fresh = this.repo.modelsOf(row.id);
          const fetchedAt = this.repo.modelList(row.id)?.fetched_at ?? fresh[0]?.fetched_at ?? new Date().toISOString();
          return { models: fresh.map(toModel), fetched_at: fetchedAt };
        }
        lastFailure = listed.result;
      }
      const failure = lastFailure as CheckResult;
      this.repo.transaction(() => {
        const current = this.repo.findProvider(row.id);
        if (current)
          this.repo.updateProviderVerdict({ ...current, models_status: 'error', models_error: failure.message }, current.revision);
      });
      this.providers.emit('models', row.id);
      throw new DeskError('upstream_failed', `Listing models failed: ${failure.message}`, { details: failure });
    } finally {
      this.refreshing.delete(row.id);
    }
  }

  /**
   * Tests every enabled provider (or `only`) under one concurrency limit, reporting each as it finishes. A provider's
   * slot is free again as soon as its probe answered; its result is written with others in one transaction a few ms
   * later (WriteBatcher), and its progress is reported once that is written. A provider still unanswered after
   * `timeout_ms` counts as timed out. Cancelling the run (cancelTestAll, or `signal`: the caller went away) starts no
   * further provider and aborts those in flight, which keep their previous verdicts; the run answers with what it finished.
   * Each provider's check is its test in flight (see inFlight): a single test of it meanwhile joins the check, and a
   * single test already running is joined instead of probing again.
   */
  async testAll(
    options: {
      concurrency?: number | undefined;
      only?: string[] | undefined;
      run_id?: string | undefined;
      timeout_ms?: number | undefined;
    },
    onProgress?: (progress: TestAllProgress) => void,
    signal?: AbortSignal,
  ) {
    const started = Date.now();
    const run = this.testAllRuns.start(options.run_id, signal);
    const capMs = options.timeout_ms ?? TEST_ALL_DEFAULT_TIMEOUT_MS;
    const caps = new RunTimeCaps(run.signal, capMs);
    try {
      const rows = this.repo
        .allProviders()
        .filter((r) => r.enabled === 1 && (!options.only || options.only.includes(r.name) || options.only.includes(r.id)));
      const writer = this.batchedWriter();
      const fresh = this.freshRows(rows, options.concurrency ?? 16);
      let done = 0;
      const finish = (row: ProviderRow, outcome: { ok: boolean; health: ProviderHealth; results: CheckResult[] }) => {
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
      const failed = (row: ProviderRow, error: unknown) => ({
        ok: false,
        health: (this.repo.findProvider(row.id)?.health ?? 'untested') as ProviderHealth,
        results: [this.failure(null, error)],
      });
      // Not reached, or in flight when the run was cancelled: nothing is written, the provider stays as it was.
      const notTested = { settled: Promise.resolve(null) };
      // A worker holds its slot while its provider is probed, then hands back the promise of the written outcome.
      const probing = runWithConcurrency(rows, options.concurrency ?? 16, async (listed) => {
        if (run.signal.aborted) return notTested;
        let row = listed;
        let probed = (): void => undefined;
        const answered = new Promise<void>((resolve) => (probed = resolve));
        // The provider's check is its test in flight: a providers.test of it meanwhile joins it (one probe) and
        // checks.running lists it. Its outcome is known once its batch is written.
        const check = async (): Promise<TestOutcome> => {
          this.providers.emit('testing', listed.id);
          let announced = false;
          try {
            if (run.signal.aborted) throw new CheckAbandoned();
            let checked: Checked;
            try {
              const current = fresh(listed);
              row = current.row;
              checked = await caps.run((capped) => this.check(current.row, { signal: capped, capMs, storedKeys: current.keys }));
            } catch (error) {
              if (run.signal.aborted) throw new CheckAbandoned();
              return failed(row, error);
            } finally {
              probed();
            }
            if (run.signal.aborted) throw new CheckAbandoned();
            try {
              const health = await writer.add({ row, checked });
              announced = true; // the writer announced the verdict
              return outcomeOf(checked, health);
            } catch (error) {
              return failed(row, error);
            }
          } finally {
            // A check that ended without a written verdict still needs an end to its "started".
            if (!announced) this.providers.emit('health', listed.id);
          }
        };
        const outcome = this.inFlight(listed.id, {}, check, () => !run.signal.aborted);
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
    }
  }

  /**
   * Test-all's reader of each provider as it is when its turn comes: the row and its keys, read `chunk` providers at a
   * time in one transaction when the first of them is due (a read outside a transaction costs WAL's shared-memory lock
   * each time, which is most of a read). A provider deleted since the run listed it is not found, as with requireRow.
   */
  private freshRows(rows: ProviderRow[], chunk: number): (listed: ProviderRow) => { row: ProviderRow; keys: KeyRow[] } {
    const position = new Map(rows.map((row, index) => [row.id, index]));
    let read = new Map<string, { row: ProviderRow; keys: KeyRow[] } | undefined>();
    return (listed) => {
      if (!read.has(listed.id)) {
        const start = position.get(listed.id) ?? 0;
        const ids = rows.slice(start, start + Math.max(1, chunk)).map((row) => row.id);
        // A deferred (read) transaction: it never waits for another process's writer, as single reads do not.
        // Point lookups, each a few µs inside the transaction (an IN list over json_each would scan the keys).
        read = this.repo.db.transaction(() => {
          return new Map(
            ids.map((id) => {
              const row = this.repo.findProvider(id);
              return [id, row && row.id === id ? { row, keys: this.repo.keysOf(id) } : undefined];
            }),
          );
        })();
      }
      const found = read.get(listed.id);
      if (!found) throw new DeskError('not_found', `Provider "${listed.id}" not found`);
      return found;
    };
  }

  /** Cancels a running test-all (or every one): see testAll. */
  cancelTestAll(runId?: string): { cancelled: string[] } {
    return this.testAllRuns.cancel(runId);
  }

  /** Lists the models of a provider that is not saved yet (Agent Stack loads models before it creates one); stores nothing. */
  async probeDraft(draft: {
    type: string;
    baseUrl: string;
    secret: string | null;
    settings?: Record<string, unknown>;
  }): Promise<{ ok: true; result: CheckResult; models: ModelInfo[] } | { ok: false; result: CheckResult }> {
    const entry = catalogEntry(draft.type);
    const target: ProbeTarget = {
      providerId: '',
      name: entry.id,
      entry,
      baseUrl: draft.baseUrl,
      settings: draft.settings ?? {},
      network: { ...NETWORK_DEFAULTS, extra_headers: {}, allow_private_network: entry.local },
      proxy: { ...PROXY_DEFAULTS, password: '' },
      custom: null,
    };
    const outcome = await this.probe.checkKey(target, { keyId: null, secret: draft.secret, keyConfig: null });
    return outcome.result.ok && outcome.models
      ? { ok: true, result: outcome.result, models: outcome.models }
      : { ok: false, result: outcome.result };
  }

  /** Records a passing probeDraft check as the new provider's health and models; joins the caller's transaction. */
  recordDraftCheck(providerId: string, keyId: string | null, result: CheckResult, models: ModelInfo[]): void {
    const row = this.providers.requireRow(providerId);
    const key = keyId ? (this.repo.keysOf(row.id).find((k) => k.id === keyId) ?? null) : null;
    this.record(row, { keys: [key], results: [{ ...result, key_id: key?.id ?? null }], models, modelsKey: key?.id ?? null });
  }

  /**
   * Creates a provider whose draft passed probeDraft, with that check recorded as its health and models (through its
   * first key), in one transaction. With `uniqueBaseUrl`, a provider already stored under the same base URL (with or
   * without a trailing slash) is a conflict on `base_url` (Agent Stack refuses duplicate addresses).
   */
  createFromDraft(
    input: Parameters<ProviderService['create']>[0],
    draft: { result: CheckResult; models: ModelInfo[] },
    options: { uniqueBaseUrl?: boolean } = {},
  ): ReturnType<ProviderService['get']> {
    return this.providers.atomically(() => {
      const bare = (input.base_url ?? '').replace(/\/+$/, '');
      if (options.uniqueBaseUrl && (this.providers.findByBaseUrl(bare) ?? this.providers.findByBaseUrl(`${bare}/`))) {
        throw new DeskError('conflict', `A provider with base URL "${bare}" already exists`, {
          fields: [{ path: 'base_url', message: 'is already used' }],
        });
      }
      const created = this.providers.create(input);
      this.recordDraftCheck(created.id, created.api_keys[0]?.id ?? null, draft.result, draft.models);
      return this.providers.get(created.id);
    });
  }

  /**
   * Stores a verdict about one key learned outside a test (the gateway saw the provider refuse it) and recomputes the
   * provider's health, as a test of that key would; dropped when the key or the destination changed since `row`/`key`.
   */
  recordKeyCheck(row: ProviderRow, key: KeyRow, result: CheckResult): void {
    this.record(row, { keys: [key], results: [{ ...result, key_id: key.id }], models: null, modelsKey: null });
  }

  history(idOrName: string): { checks: CheckResult[] } {
    const row = this.providers.requireRow(idOrName);
    return { checks: this.repo.checkHistory(row.id).map((c) => parseJson<CheckResult>(c.result, null as never)) };
  }
}

/** Whether nothing that decides where the provider's requests go changed between two reads of its row (sealed blobs compared as stored). */
function sameDestination(a: ProviderRow, b: ProviderRow): boolean {
  return (
    a.base_url === b.base_url &&
    a.settings === b.settings &&
    a.network_config === b.network_config &&
    a.proxy_config === b.proxy_config &&
    a.custom_provider_config === b.custom_provider_config &&
    sameBlob(a.secrets, b.secrets)
  );
}

/** Whether a key is still the one that was tested: same secret, same config, same on/off. */
function sameKeyMaterial(a: KeyRow, b: KeyRow): boolean {
  return (
    a.enabled === b.enabled &&
    a.secret_ref === b.secret_ref &&
    a.key_config === b.key_config &&
    sameBlob(a.secret_sealed, b.secret_sealed) &&
    sameBlob(a.key_config_secrets, b.key_config_secrets)
  );
}

function sameBlob(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}
