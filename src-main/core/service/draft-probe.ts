import { catalogEntry } from '../catalog/catalog.js';
import type { CheckResult, ProviderHealth } from '../contract/domain-schemas.js';
import type { ProviderCreateInput } from '../contract/provider-inputs.js';
import { runWithConcurrency } from '../probe/concurrency.js';
import type { KeyCheckOutcome, ProbeEngine, ProbeTarget } from '../probe/types.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import { customOf } from './codec.js';
import { unreadableSecretResult } from './env-refs.js';
import { providerHealth } from './health-model.js';
import type { HealthService } from './health-service.js';
import type { ProviderService } from './provider-service.js';

/** The name a draft is probed under when the form has none yet (never stored). */
const DRAFT_NAME = 'draft';
/** Keys of one draft checked at once, as a saved provider's test does. */
const KEY_CONCURRENCY = 4;

export type DraftInput = Omit<ProviderCreateInput, 'name'> & { name?: string | undefined };

export interface DraftCheck {
  ok: boolean;
  health: ProviderHealth;
  results: CheckResult[];
  model_count: number | null;
}

/** A check that could not run because a secret could not be opened (an unset `env.VAR`, above all). */
function unreadable(keyId: string | null, error: unknown): CheckResult {
  return unreadableSecretResult(keyId, error, new Date().toISOString());
}

function needsKey(row: ProviderRow): CheckResult {
  return {
    key_id: null,
    ok: false,
    latency_ms: 0,
    http_status: null,
    error_class: 'missing_credentials',
    message: `${catalogEntry(row.type).label} needs an API key and none was given`,
    hint: 'Enter a key and check again',
    checked_at: new Date().toISOString(),
  };
}

/**
 * Checks a provider that is not saved ("Check" in the add form): the same rows create() would write are built in
 * memory (its secrets sealed only there), probed with the same engine as a test, and dropped. Nothing reaches the store,
 * the log or an event; the results name the draft's keys by the ids given in `api_keys[].id` (else ids made up for this check).
 */
export async function checkDraft(
  providers: ProviderService,
  health: HealthService,
  probe: ProbeEngine,
  input: DraftInput,
): Promise<DraftCheck> {
  const built = providers.buildNew({ ...input, name: input.name ?? DRAFT_NAME });
  const row: ProviderRow = { ...built.row, seq: 0 };
  const enabled = built.keys.filter((k) => k.enabled === 1);
  const keyless = !catalogEntry(row.type).keyRequired || customOf(row)?.is_key_less === true;
  const toCheck: Array<KeyRow | null> = enabled.length > 0 ? enabled : keyless ? [null] : [];

  let outcomes: KeyCheckOutcome[];
  if (toCheck.length === 0) {
    outcomes = [{ result: needsKey(row), models: null }];
  } else {
    let target: ProbeTarget | null = null;
    let targetError: unknown = null;
    try {
      target = health.target(row);
    } catch (error) {
      targetError = error;
    }
    outcomes = await runWithConcurrency(toCheck, KEY_CONCURRENCY, async (key): Promise<KeyCheckOutcome> => {
      if (!target) return { result: unreadable(key?.id ?? null, targetError), models: null };
      try {
        return await probe.checkKey(target, health.probeKey(row, target, key));
      } catch (error) {
        return { result: unreadable(key?.id ?? null, error), models: null };
      }
    });
  }

  const results = outcomes.map((o) => o.result);
  const verdictOf = (key: KeyRow) => results.find((r) => r.key_id === key.id) ?? null;
  const keyStates = built.keys.map((key) => {
    const verdict = key.enabled === 1 ? verdictOf(key) : null;
    return { enabled: key.enabled, last_check: verdict ? JSON.stringify(verdict) : null };
  });
  const keylessCheck = results.find((r) => r.key_id === null) ?? null;
  const listed = outcomes.find((o) => o.result.ok && o.models);
  return {
    ok: results.length > 0 && results.every((r) => r.ok),
    health: providerHealth(keyStates, keylessCheck),
    results,
    model_count: listed?.models?.length ?? null,
  };
}
