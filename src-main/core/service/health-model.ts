/**
 * The one health model (SPEC §3): every word the GUI, the CLI, the native API, the list filter, the test-all summary
 * and the compatible surfaces show about a provider or a key comes from the functions here, computed from the stored
 * per-key last checks. Nothing else decides what "ok" means.
 */
import { UNREACHABLE_ERROR_CLASSES, type CheckResult, type KeyHealth, type ProviderHealth } from '../contract/domain-schemas.js';
import type { KeyView } from '../store/repository.js';
import type { ProviderRow } from '../store/rows.js';

const UNREACHABLE = new Set<string>(UNREACHABLE_ERROR_CLASSES);

/** A stored check (JSON text written by the health service), or null. */
export function storedCheck(text: string | null): CheckResult | null {
  return text ? (JSON.parse(text) as CheckResult) : null;
}

/**
 * A check that answered but could not prove the key (ok with error_class `unsupported`: the model list is public and
 * only a billed request would tell, e.g. NVIDIA or Voyage without a deep test). Green means the key works, so such a
 * check counts as no verdict at all; its message says what would prove the key.
 */
export function isUnverified(check: CheckResult | null): boolean {
  return check !== null && check.ok && check.error_class === 'unsupported';
}

/** A check that proved the key works. */
function isProven(check: CheckResult | null): boolean {
  return check !== null && check.ok && !isUnverified(check);
}

/** A key's health from its last check: untested (none, cleared, or not provable), ok, missing_env, offline (unreachable) or error. */
export function keyHealth(check: CheckResult | null): KeyHealth {
  if (!check || isUnverified(check)) return 'untested';
  if (check.ok) return 'ok';
  if (check.error_class === 'missing_env') return 'missing_env';
  return check.error_class && UNREACHABLE.has(check.error_class) ? 'offline' : 'error';
}

/** A failed check that says where it failed: offline when nothing could be reached, else error (it answered no). */
function failureHealth(check: CheckResult): 'error' | 'offline' {
  return check.error_class && UNREACHABLE.has(check.error_class) ? 'offline' : 'error';
}

type KeyState = Pick<KeyView, 'enabled' | 'last_check'>;

/**
 * A provider's health from its enabled keys' last checks: `ok` when every enabled key passes, `degraded` when some do
 * (a key not tested yet does not pass), `offline` when none passes and every failure was "could not reach it",
 * `error` when none passes and the provider answered no (a missing variable counts as no), `untested` when no enabled
 * key has a verdict. Without enabled keys, the keyless check (key_id null: a keyless type's endpoint, or "needs a key").
 */
export function providerHealth(keys: readonly KeyState[], keylessCheck: CheckResult | null): ProviderHealth {
  const enabled = keys.filter((k) => k.enabled === 1);
  if (enabled.length === 0) {
    if (!keylessCheck || isUnverified(keylessCheck)) return 'untested';
    return keylessCheck.ok ? 'ok' : failureHealth(keylessCheck);
  }
  const checks = enabled.map((k) => storedCheck(k.last_check));
  const passing = checks.filter(isProven).length;
  if (passing === enabled.length) return 'ok';
  if (passing > 0) return 'degraded';
  const failures = checks.filter((c): c is CheckResult => c !== null && !c.ok);
  if (failures.length === 0) return 'untested';
  return failures.every((c) => failureHealth(c) === 'offline') ? 'offline' : 'error';
}

/** The provider's `last_check`: the first failing enabled key's check, else the first passing one; the keyless check without keys. */
function summaryCheck(keys: readonly KeyState[], keylessCheck: CheckResult | null): CheckResult | null {
  const enabled = keys.filter((k) => k.enabled === 1);
  if (enabled.length === 0) return keylessCheck;
  const checks = enabled.map((k) => storedCheck(k.last_check)).filter((c): c is CheckResult => c !== null);
  return checks.find((c) => !c.ok) ?? checks[0] ?? null;
}

/** The deprecated provider `status`/`state`, derived from health with their old meanings (all passed / some passed). */
export function legacyProviderStatus(health: ProviderHealth): { status: string; state: string } {
  if (health === 'untested') return { status: 'untested', state: 'unknown' };
  if (health === 'ok') return { status: 'active', state: 'online' };
  if (health === 'degraded') return { status: 'error', state: 'online' };
  return { status: 'error', state: 'offline' };
}

/** The deprecated key `status` (untested | ok | error). */
export function legacyKeyStatus(health: KeyHealth): 'untested' | 'ok' | 'error' {
  return health === 'untested' || health === 'ok' ? health : 'error';
}

/**
 * The health columns of a provider row after its keys or checks changed: health, the deprecated status/state, and the
 * summary last_check. The row's own last_check counts only as the keyless check (key_id null); a summary of keys that
 * were removed, disabled or cleared since is dropped with them.
 */
export function healthColumns(
  row: Pick<ProviderRow, 'last_check'>,
  keys: readonly KeyState[],
): Pick<ProviderRow, 'health' | 'status' | 'state' | 'last_check'> {
  const stored = storedCheck(row.last_check);
  const keyless = stored && stored.key_id === null ? stored : null;
  const health = providerHealth(keys, keyless);
  const summary = summaryCheck(keys, keyless);
  return { health, ...legacyProviderStatus(health), last_check: summary ? JSON.stringify(summary) : null };
}

/** A key's stored verdict cleared to untested (its key changed, or where its requests go). */
export function clearedKeyVerdict<K extends { status: string; last_check: string | null }>(key: K): K {
  return { ...key, status: 'untested', last_check: null };
}
