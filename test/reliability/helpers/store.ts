/** Store snapshots (to prove a rejected request wrote nothing) and a probe engine that never leaves the process. */
import type { Db } from '../../../src-main/core/store/database.js';
import type { CheckResult, ModelInfo } from '../../../src-main/core/contract/domain-schemas.js';
import type { ProbeEngine, ProbeTarget } from '../../../src-main/core/probe/types.js';

/** Columns a connection test may write even when its HTTP answer is a 4xx (ZIRI answers a failed test with 400). */
const HEALTH_COLUMNS = new Set(['health', 'status', 'state', 'last_check', 'models_status', 'models_error']);

function rowText(row: Record<string, unknown>, ignoreHealth: boolean): string {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (ignoreHealth && HEALTH_COLUMNS.has(column)) continue;
    out[column] = Buffer.isBuffer(value) ? value.toString('hex') : value;
  }
  return JSON.stringify(out);
}

/** The providers and api_keys tables (every column, ciphertext included) as one comparable string. */
export function storeSnapshot(db: Db, options: { ignoreHealth?: boolean } = {}): string {
  const ignore = options.ignoreHealth === true;
  const providers = db.prepare('SELECT * FROM providers ORDER BY id').all() as Array<Record<string, unknown>>;
  const keys = db.prepare('SELECT * FROM api_keys ORDER BY id').all() as Array<Record<string, unknown>>;
  return [...providers.map((r) => `P ${rowText(r, ignore)}`), ...keys.map((r) => `K ${rowText(r, ignore)}`)].join('\n');
}

/** A readable difference between two snapshots (first few lines that changed). */
export function snapshotDiff(before: string, after: string): string {
  const a = new Set(before.split('\n'));
  const b = new Set(after.split('\n'));
  const removed = [...a].filter((l) => !b.has(l)).slice(0, 3);
  const added = [...b].filter((l) => !a.has(l)).slice(0, 3);
  return [...removed.map((l) => `- ${l.slice(0, 300)}`), ...added.map((l) => `+ ${l.slice(0, 300)}`)].join('\n');
}

/**
 * A probe engine for fuzzing: answers at once without any network (fuzzed bodies may name any host). Providers whose
 * name starts with `fz-ok` (or whose base URL has a `/fz-ok` segment, for drafts) pass and list two models; every other
 * one fails as connection refused.
 */
export function offlineProbeEngine(): ProbeEngine {
  const result = (target: ProbeTarget, keyId: string | null): CheckResult => {
    const ok = target.name.startsWith('fz-ok') || target.baseUrl.includes('/fz-ok');
    return {
      key_id: keyId,
      ok,
      latency_ms: 1,
      http_status: ok ? 200 : null,
      error_class: ok ? null : 'connection_refused',
      message: ok ? 'ok' : 'Connection refused (offline probe engine of the fuzz suite)',
      hint: ok ? null : 'Nothing listens there',
      checked_at: new Date().toISOString(),
    };
  };
  const models = (): ModelInfo[] => [
    { id: 'fz-model-a', display_name: 'fz-model-a', capabilities: ['chat'], context_window: null, owned_by: null },
    { id: 'fz-model-b', display_name: 'fz-model-b', capabilities: ['embedding'], context_window: 8192, owned_by: 'fz' },
  ];
  return {
    async checkKey(target, key) {
      const checked = result(target, key.keyId);
      return { result: checked, models: checked.ok ? models() : null };
    },
    async listModels(target, key) {
      const checked = result(target, key.keyId);
      return checked.ok ? { ok: true, models: models() } : { ok: false, result: checked };
    },
  };
}
