import { catalogEntry } from '../catalog/catalog.js';
import { DeskError, validationError } from '../contract/errors.js';
import type { StoredModel } from '../contract/domain-schemas.js';
import type { ModelCheck } from '../contract/model-schemas.js';
import type { ProbeEngine, ProbeKey } from '../probe/types.js';
import { placeholderModel, type Repository } from '../store/repository.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import { customOf, parseJson, toModel } from './codec.js';
import type { HealthService } from './health-service.js';
import type { ProviderService } from './provider-service.js';
import { unreadableSecretResult } from './env-refs.js';

export interface ModelList {
  models: StoredModel[];
  fetched_at: string | null;
}

/**
 * The user's choices about a provider's models: on/off, their own ids, dismissing gone ones, and a one-token check of
 * one model. Each write is one transaction and leaves the listing (what a refresh stores) alone.
 */
export class ModelCuration {
  constructor(
    private readonly repo: Repository,
    private readonly providers: ProviderService,
    private readonly health: HealthService,
    private readonly probe: ProbeEngine,
  ) {}

  private list(row: ProviderRow): ModelList {
    const repo = this.repo;
    const stored = repo.modelsOf(row.id);
    return { models: stored.map(toModel), fetched_at: repo.modelList(row.id)?.fetched_at ?? null };
  }

  /** A validation error naming each id that is not stored for the provider, by its position in `models`. */
  private unknown(row: ProviderRow, models: readonly string[], missing: readonly string[]): DeskError {
    const absent = new Set(missing);
    return validationError(
      models.flatMap((id, index) => (absent.has(id) ? [{ path: `models[${index}]`, message: `is not a model of "${row.name}"` }] : [])),
    );
  }

  setEnabled(idOrName: string, models: readonly string[], enabled: boolean): ModelList {
    const row = this.repo.transaction(() => {
      const found = this.providers.requireRow(idOrName);
      const missing = this.repo.setModelsEnabled(found.id, models, enabled);
      if (missing.length > 0) throw this.unknown(found, models, missing);
      return found;
    });
    this.providers.emit('models', row.id);
    return this.list(row);
  }

  add(idOrName: string, id: string, displayName: string | undefined): ModelList {
    const row = this.repo.transaction(() => {
      const found = this.providers.requireRow(idOrName);
      const existing = this.repo.findModel(found.id, id);
      // A gone model may be taken over as the user's own; anything else stored is already there.
      if (existing && existing.gone_at === null) {
        throw new DeskError('conflict', `"${found.name}" already has a model "${id}"`, {
          fields: [{ path: 'id', message: existing.custom === 1 ? 'is already a custom model' : 'is already listed by the provider' }],
        });
      }
      this.repo.upsertCustomModel(placeholderModel(found.id, id, displayName ?? '', this.providers.timestamp()));
      return found;
    });
    this.providers.emit('models', row.id);
    return this.list(row);
  }

  /** Deletes custom ids and gone models; a model the provider still lists is refused (disabling is how to hide it). */
  remove(idOrName: string, models: readonly string[]): ModelList {
    const row = this.repo.transaction(() => {
      const found = this.providers.requireRow(idOrName);
      const repo = this.repo;
      const missing = repo.missingModels(found.id, models);
      if (missing.length > 0) throw this.unknown(found, models, missing);
      const listed = models.flatMap((id, index) => {
        const model = repo.findModel(found.id, id);
        return model && model.custom === 0 && model.gone_at === null
          ? [{ path: `models[${index}]`, message: 'is listed by the provider; disable it instead' }]
          : [];
      });
      if (listed.length > 0)
        throw new DeskError('conflict', `Only custom and gone models can be removed from "${found.name}"`, { fields: listed });
      for (const id of models) repo.deleteModel(found.id, id);
      return found;
    });
    this.providers.emit('models', row.id);
    return this.list(row);
  }

  /** The key a check of `model` goes out with: the one asked for, else the first enabled key allowed to use the model. */
  private keyFor(row: ProviderRow, model: string, keyId: string | undefined): KeyRow | null {
    const keys = this.repo.keysOf(row.id).filter((k) => k.enabled === 1);
    if (keyId !== undefined) {
      const key = keys.find((k) => k.id === keyId || k.name === keyId);
      if (!key) throw new DeskError('not_found', `Key "${keyId}" not found or disabled for provider "${row.name}"`);
      return key;
    }
    const allowed = keys.find((k) => {
      const only = parseJson<string[]>(k.models, []);
      if (parseJson<string[]>(k.blacklisted_models, []).includes(model)) return false;
      return only.length === 0 || only.includes('*') || only.includes(model);
    });
    return allowed ?? keys[0] ?? null;
  }

  /** Whether a one-token request to this provider costs money: cloud providers bill it; local servers and keyless endpoints do not. */
  private bills(row: ProviderRow): boolean {
    return !catalogEntry(row.type).local && customOf(row)?.is_key_less !== true;
  }

  /** One one-token request to one model; stores nothing (the model's verdict is the user's to read, not the key's health). */
  async check(idOrName: string, model: string, keyId: string | undefined): Promise<ModelCheck> {
    const row = this.providers.requireRow(idOrName);
    const key = this.keyFor(row, model, keyId);
    const checkedAt = this.providers.timestamp();
    const answer = (fields: Omit<ModelCheck, 'model' | 'key_id' | 'checked_at'> & { checked_at?: string }): ModelCheck => ({
      model,
      key_id: key?.id ?? null,
      checked_at: checkedAt,
      ...fields,
    });
    /** A check that sent nothing: it failed (or could not be made) before any request. */
    const notSent = (status: 'error' | 'unsupported', fields: Pick<ModelCheck, 'error_class' | 'message' | 'hint'>): ModelCheck =>
      answer({ status, ok: false, billed: false, latency_ms: 0, http_status: null, ...fields });
    const entry = catalogEntry(row.type);
    if (!key && entry.keyRequired && customOf(row)?.is_key_less !== true) {
      return notSent('error', {
        error_class: 'missing_credentials',
        message: `${entry.label} needs an API key and this provider has no enabled key`,
        hint: 'Add a key (or enable one) and check again',
      });
    }
    if (!this.probe.checkModel) {
      return notSent('unsupported', { error_class: 'unsupported', message: 'This backend cannot check a single model', hint: null });
    }
    let probeKey: ProbeKey;
    let target;
    try {
      target = this.health.target(row);
      probeKey = this.health.probeKey(row, target, key);
    } catch (error) {
      const { error_class, message, hint } = unreadableSecretResult(key?.id ?? null, error, checkedAt);
      return notSent('error', { error_class, message, hint: hint ?? null });
    }
    const { supported, result } = await this.probe.checkModel(target, probeKey, model);
    return answer({
      status: !supported ? 'unsupported' : result.ok ? 'ok' : 'error',
      ok: supported && result.ok,
      billed: supported && result.ok && this.bills(row),
      latency_ms: result.latency_ms,
      http_status: result.http_status,
      error_class: result.error_class,
      message: result.message,
      hint: result.hint ?? null,
      checked_at: result.checked_at,
    });
  }
}
