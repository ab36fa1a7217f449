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
import { requireEnvRefs, unreadableSecretResult } from './env-refs.js';
import { TestsInFlight, type RunningTest, type TestRequest } from './tests-in-flight.js';
import { TEST_ALL_DEFAULT_TIMEOUT_MS } from '../contract/operation-schemas.js';
import { timeCapResult, untilAborted } from './test-all-run.js';
import { outcomeOf, storeModels, writeCheck, type Checked, type TestOutcome } from './check-verdicts.js';
import { CheckAbandoned, TestAllRunner, type TestAllOptions } from './test-all-runner.js';

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

export interface HealthServiceOptions {
  /** Keys of one provider checked at once. */
  keyConcurrency?: number;
  /** The environment of the process that owns the store: `env.VAR` references resolve here, and nowhere else. */
  env?: NodeJS.ProcessEnv;
  /** Free what a large test-all run left in memory once it has answered (a process that lives on: see TestAllRunner). */
  collectAfterLargeRuns?: boolean | undefined;
}

/** Connection tests, model listing and test-all: probes through the engine, results stored by the service. */
export class HealthService {
  private readonly refreshing = new Set<string>();
  /** Tests running now, single ones and test-all's: a second request for the same provider joins the running one (SPEC §5). */
  private readonly testsInFlight = new TestsInFlight<{ ok: boolean; health: ProviderHealth; results: CheckResult[] }>();
  private readonly testAllRunner: TestAllRunner;
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
    this.testAllRunner = new TestAllRunner(
      {
        repo,
        providers,
        check: (row, checkOptions) => this.check(row, checkOptions),
        failure: (keyId, error) => this.failure(keyId, error),
        inFlight: (providerId, request, start, wanted) => this.inFlight(providerId, request, start, wanted),
      },
      { collectAfterLargeRuns: options.collectAfterLargeRuns ?? false },
    );
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
    return unreadableSecretResult(keyId, error, new Date().toISOString());
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
    const health = this.repo.transaction(() => writeCheck(this.repo, row, checked));
    this.providers.emit('health', row.id);
    return health;
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
            storeModels(this.repo, row.id, listed.models, key?.id ?? null);
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

  /** Tests every enabled provider (or `only`), cancellable and under a time cap: see TestAllRunner.run. */
  testAll(options: TestAllOptions, onProgress?: (progress: TestAllProgress) => void, signal?: AbortSignal) {
    return this.testAllRunner.run(options, onProgress, signal);
  }

  /** Cancels a running test-all (or every one): see testAll. */
  cancelTestAll(runId?: string): { cancelled: string[] } {
    return this.testAllRunner.cancel(runId);
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
