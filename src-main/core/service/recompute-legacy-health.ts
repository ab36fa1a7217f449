/**
 * A store from before the one health model has no `health` column values yet. Migration 0003 marks it; the first open
 * after it computes every provider's health from its keys' last checks (the same function every write uses), in one
 * transaction, and clears the mark, so this runs once per store.
 */
import type { Repository } from '../store/repository.js';
import { RECOMPUTE_HEALTH_MARK } from '../store/migrations/0003-health.js';
import { healthColumns } from './health-model.js';

/** Computes the health of every provider of a store marked by migration 0003; returns how many it wrote. */
export function recomputeLegacyHealth(repo: Repository): number {
  if (repo.getMeta(RECOMPUTE_HEALTH_MARK)?.value !== 'pending') return 0;
  return repo.transaction(() => {
    // Another process may have done it meanwhile.
    if (repo.getMeta(RECOMPUTE_HEALTH_MARK)?.value !== 'pending') return 0;
    const rows = repo.allProviders();
    const keys = repo.keysOfMany(rows.map((r) => r.id));
    let count = 0;
    for (const row of rows) {
      // Same revision: the configuration did not change, only how its checks are summed up.
      if (repo.updateProvider({ ...row, ...healthColumns(row, keys.get(row.id) ?? []) }, row.revision)) count++;
    }
    repo.setMeta(RECOMPUTE_HEALTH_MARK, 'done');
    return count;
  });
}
