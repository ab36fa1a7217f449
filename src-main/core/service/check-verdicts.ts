/**
 * Storing what a test found: each key's verdict, the provider's health recomputed from all its keys, and the models
 * listed on the way. Shared by single tests, test-all's batched writer and model refreshes.
 */
import { createHash } from 'node:crypto';
import type { CheckResult, ModelInfo, ProviderHealth } from '../contract/domain-schemas.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import type { Repository } from '../store/repository.js';
import { healthColumns, keyHealth, legacyKeyStatus } from './health-model.js';

/** What one test found, before it is stored. */
export interface Checked {
  /** The keys tested as they were read (null: the keyless endpoint). */
  keys: Array<KeyRow | null>;
  results: CheckResult[];
  /** The models listed by the first key that passed with a list, and that key. */
  models: ModelInfo[] | null;
  modelsKey: string | null;
}

export type TestOutcome = { ok: boolean; health: ProviderHealth; results: CheckResult[] };

export function outcomeOf(checked: Checked, health: ProviderHealth): TestOutcome {
  return { ok: checked.results.length > 0 && checked.results.every((r) => r.ok), health, results: checked.results };
}

/**
 * Stores each key's verdict and the provider's health recomputed from all its keys (call inside a transaction);
 * returns that health. A verdict about something changed while the test ran (the key, or where the provider's
 * requests go) is dropped: the change cleared it, and it must stay cleared. Only the verdict columns are written, so
 * the provider's and keys' other indexes are left alone.
 */
export function writeCheck(repo: Repository, row: ProviderRow, { keys, results, models, modelsKey }: Checked): ProviderHealth {
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
    storeModels(repo, row.id, models, modelsKey);
    next.models_status = 'ok';
    next.models_error = null;
  }
  repo.updateProviderVerdict(next, current.revision);
  return next.health as ProviderHealth;
}

/** Stores a listed model list; its rows are rewritten only when it differs from the stored one (see storeModelList). */
export function storeModels(repo: Repository, providerId: string, models: ModelInfo[], keyId: string | null): void {
  const fetchedAt = new Date().toISOString();
  repo.storeModelList(providerId, modelListHash(models, keyId), fetchedAt, () =>
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

/** Everything a stored model row holds but its fetch time, hashed: equal hashes mean the rows would be written alike. */
function modelListHash(models: ModelInfo[], keyId: string | null): string {
  const hash = createHash('sha256').update(JSON.stringify(keyId));
  for (const m of models) hash.update(JSON.stringify([m.id, m.display_name, m.capabilities, m.context_window, m.owned_by]));
  return hash.digest('base64url');
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
