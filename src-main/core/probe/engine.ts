import { performance } from 'node:perf_hooks';
import { targetForKey } from './key-endpoint.js';
import type { CheckResult, ModelInfo } from '../contract/domain-schemas.js';
import { adapterOf, familyOf } from './adapters/registry.js';
import type { AdapterContext, Unverified } from './adapters/context.js';
import { ProbeError, missingCredentials } from './errors.js';
import { HeadroomCollector } from './headroom.js';
import { DispatcherPool } from './network/dispatchers.js';
import { systemResolver, type Resolver } from './network/guarded-connect.js';
import { ProviderHttp } from './network/http-client.js';
import { SecretScrubber, scrubModels } from './scrub.js';
import { isSecretHeaderName } from '../service/secret-fields.js';
import type { ClosableProbeEngine, KeyCheckOutcome, ModelCheckOutcome, ProbeKey, ProbeOptions, ProbeTarget } from './types.js';

export { runWithConcurrency, createLimiter, type Progress } from './concurrency.js';

export interface ProbeEngineOptions {
  /** Name resolution for connections and the private-network rule; tests map names to chosen addresses. */
  resolve?: Resolver;
  /** Clock for checked_at / fetched_at. */
  now?: () => Date;
}

/** Field names in settings and key configs whose values are secrets (beyond those the catalog marks secret). */
const SECRET_FIELD = /secret|token|password|private|credential|api_?key|service_account/i;

function collectSecrets(target: ProbeTarget, key: ProbeKey, scrubber: SecretScrubber): void {
  const addDeep = (value: unknown, depth = 0): void => {
    if (typeof value === 'string') scrubber.add(value);
    else if (value && typeof value === 'object' && depth < 4) {
      if (!Array.isArray(value)) scrubber.add(JSON.stringify(value));
      for (const inner of Object.values(value as Record<string, unknown>)) addDeep(inner, depth + 1);
    }
  };
  const walk = (source: Record<string, unknown> | null, secretNames: Set<string>, depth = 0): void => {
    if (!source || depth > 2) return;
    for (const [name, value] of Object.entries(source)) {
      if (secretNames.has(name) || SECRET_FIELD.test(name)) addDeep(value);
      else if (value && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, secretNames, depth + 1);
    }
  };
  scrubber.add(key.secret);
  scrubber.add(target.proxy.password);
  // A userinfo without a password is a token (`http://TOKEN@host`): secret too. (No URL, no parse: a throw per probe.)
  const proxyUrl = target.proxy.url ? URL.parse(target.proxy.url) : null;
  if (proxyUrl) {
    try {
      scrubber.add(decodeURIComponent(proxyUrl.password || proxyUrl.username));
    } catch {
      /* malformed escapes: nothing more to collect */
    }
  }
  for (const [name, value] of Object.entries(target.network.extra_headers)) if (isSecretHeaderName(name)) scrubber.add(value);
  const secretSettings = new Set(target.entry.settings.filter((s) => s.secret).map((s) => s.name));
  walk(target.settings, secretSettings);
  walk(key.keyConfig, secretSettings);
}

function dedupe(models: ModelInfo[]): ModelInfo[] {
  const seen = new Set<string>();
  return models.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

interface Attempt {
  result: CheckResult;
  models: ModelInfo[] | null;
}

/** A thrown value as a ProbeError: unexpected errors become `invalid_response` with their message. */
function asProbeError(error: unknown): ProbeError {
  if (error instanceof ProbeError) return error;
  return new ProbeError({
    errorClass: 'invalid_response',
    httpStatus: null,
    summary: `unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    hint: null,
  });
}

/**
 * How one check's results are written: latency from now, its start time, the key, messages and hints scrubbed of
 * the secrets in `ctx`, and the headroom the check saw.
 */
function resultsOf(key: ProbeKey, ctx: AdapterContext, at: Date) {
  const started = performance.now();
  const checkedAt = at.toISOString();
  const finish = (ok: boolean, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
    key_id: key.keyId,
    ok,
    latency_ms: Math.max(0, Math.round(performance.now() - started)),
    http_status: null,
    error_class: null,
    message: ctx.scrubber.scrub(message),
    hint: null,
    checked_at: checkedAt,
    headroom: ctx.headroom.result(),
    ...extra,
  });
  const failure = (error: unknown): CheckResult => {
    const probeError = asProbeError(error);
    return finish(false, probeError.message, {
      http_status: probeError.httpStatus,
      error_class: probeError.errorClass,
      hint: probeError.hint ? ctx.scrubber.scrub(probeError.hint) : null,
    });
  };
  return { finish, failure, checkedAt };
}

/** Creates the probe engine: one adapter per model-list family over a shared, per-config pool of undici dispatchers. */
export function createProbeEngine(options: ProbeEngineOptions = {}): ClosableProbeEngine {
  const resolve = options.resolve ?? systemResolver;
  const now = options.now ?? (() => new Date());
  const pool = new DispatcherPool(resolve);
  let closed = false;

  function context(target: ProbeTarget, key: ProbeKey, signal: AbortSignal | undefined): AdapterContext {
    const scrubber = new SecretScrubber();
    collectSecrets(target, key, scrubber);
    const secret = key.secret && key.secret.trim() ? key.secret.trim() : null;
    const keyless = target.custom?.is_key_less === true || (!secret && !target.entry.keyRequired);
    const http = new ProviderHttp({ pool, resolve }, target.network, target.proxy, scrubber, signal);
    const headroom = new HeadroomCollector(now);
    return { target, key, secret: target.custom?.is_key_less ? null : secret, keyless, http, scrubber, headroom };
  }

  /** Families whose credentials may live outside the key's secret (AWS access keys, a service account in settings). */
  function needsSecret(target: ProbeTarget, family: string): boolean {
    if (family === 'bedrock' || family === 'vertex') return false;
    return target.custom ? !target.custom.is_key_less : target.entry.keyRequired;
  }

  async function attempt(target: ProbeTarget, key: ProbeKey, probe: ProbeOptions, withDeep: boolean): Promise<Attempt> {
    const family = familyOf(target);
    const adapter = adapterOf(target);
    const ctx = context(target, key, probe.signal);
    const { finish, failure, checkedAt } = resultsOf(key, ctx, now());
    const failed = (error: unknown, models: ModelInfo[] | null = null): Attempt => ({ result: failure(error), models });

    if (closed)
      return failed(
        new ProbeError({ errorClass: 'invalid_response', httpStatus: null, summary: 'the probe engine is closed', hint: null }),
      );
    if (!ctx.secret && !ctx.keyless && needsSecret(target, family)) return failed(missingCredentials('API key'));

    let models: ModelInfo[];
    // Set when nothing free could prove the key (public model list, no key check): only a deep test can.
    let unverified: Unverified | null = null;
    try {
      if (adapter.prove && !ctx.keyless) unverified = await adapter.prove(ctx);
      const answer = await adapter.list(ctx);
      const found = Array.isArray(answer) ? answer : answer.models;
      if (!Array.isArray(answer)) unverified ??= answer.unverified;
      // Every adapter's output passes here: an upstream that echoes the key into its model list never gets it stored.
      models = dedupe(scrubModels(found, ctx.scrubber)).map((m) => ({
        ...m,
        key_id: key.keyId,
        fetched_at: checkedAt,
      }));
    } catch (error) {
      return failed(error);
    }

    const summary = (works: string): string =>
      adapter.unlisted
        ? `${works} (this provider does not list its models; add the ones you use)`
        : models.length === 0
          ? `${works}, but the provider listed no models`
          : `${works}; ${models.length} model${models.length === 1 ? '' : 's'} available`;
    const works = ctx.keyless ? 'server reachable' : 'key works';
    const listed = summary(unverified ? 'key not verified' : works);
    // ok (nothing failed) but marked `unsupported`: the verdict the user sees says the key is unproven, and why.
    const unproven = (message: string): Attempt => ({
      result: finish(true, message, {
        http_status: 200,
        error_class: 'unsupported',
        hint: 'run a deep test to prove the key (it sends one request, which the provider may bill)',
      }),
      models,
    });
    if (!withDeep)
      return unverified ? unproven(`${listed}: ${unverified.reason}`) : { result: finish(true, listed, { http_status: 200 }), models };
    // An unverified key is proven by a deep test even when no model was chosen: the adapter names its cheapest.
    const model = probe.model ?? (unverified ? adapter.proofModel : undefined);
    if (!model) {
      const skipped = `${listed} (deep test skipped: no model chosen)`;
      return unverified ? unproven(`${skipped}: ${unverified.reason}`) : { result: finish(true, skipped, { http_status: 200 }), models };
    }

    // A deep test that cannot be performed (no deep call for the type, or a model it cannot drive, such as Bedrock
    // embeddings) is not a failure of the key: the plain check's verdict stands, and the message says what was skipped.
    const notPerformed = (why: string, hint: string | null): Attempt => {
      const message = `${listed}; ${why}, so only the listing was checked`;
      return unverified
        ? unproven(`${message}: ${unverified.reason}`)
        : { result: finish(true, message, { http_status: 200, hint }), models };
    };
    if (!adapter.deep) return notPerformed(`deep test not supported for ${target.entry.id}`, 'test the model from your own client');
    try {
      await adapter.deep(ctx, model);
    } catch (error) {
      if (error instanceof ProbeError && error.errorClass === 'unsupported')
        return notPerformed(`deep test not possible for ${model} (${error.summary})`, error.hint);
      return failed(error, models);
    }
    return { result: finish(true, `${summary(works)}; ${model} answered a one-token request`, { http_status: 200 }), models };
  }

  /** One one-token request to a model through the type's deep call; no listing, nothing else sent. */
  async function modelCheck(target: ProbeTarget, key: ProbeKey, model: string, probe: ProbeOptions): Promise<ModelCheckOutcome> {
    const adapter = adapterOf(target);
    const ctx = context(target, key, probe.signal);
    const { finish, failure } = resultsOf(key, ctx, now());
    const unsupported = (why: string, hint: string | null): ModelCheckOutcome => ({
      supported: false,
      result: finish(false, why, { error_class: 'unsupported', hint }),
    });
    if (closed) return unsupported('the probe engine is closed', null);
    if (!adapter.deep)
      return unsupported(
        `${target.entry.label} has no one-token request to check a model with, so nothing was sent`,
        'use the model from your own client to check it',
      );
    if (!ctx.secret && !ctx.keyless && needsSecret(target, familyOf(target)))
      return { supported: true, result: failure(missingCredentials('API key')) };
    try {
      await adapter.deep(ctx, model);
    } catch (error) {
      if (error instanceof ProbeError && error.errorClass === 'unsupported') return unsupported(`${model}: ${error.summary}`, error.hint);
      return { supported: true, result: failure(error) };
    }
    return { supported: true, result: finish(true, `${model} answered a one-token request`, { http_status: 200 }) };
  }

  return {
    async checkModel(target, key, model, probe = {}): Promise<ModelCheckOutcome> {
      return modelCheck(targetForKey(target, key), key, model, probe);
    },

    async checkKey(target, key, probe = {}): Promise<KeyCheckOutcome> {
      // models stay null when the listing itself failed; a failed deep test still reports what was listed.
      return attempt(targetForKey(target, key), key, probe, probe.deep === true);
    },

    async listModels(target, key, probe = {}) {
      const { result, models } = await attempt(targetForKey(target, key), key, probe, false);
      return result.ok && models ? { ok: true as const, models } : { ok: false as const, result };
    },

    async close() {
      closed = true;
      await pool.close();
    },
  };
}
