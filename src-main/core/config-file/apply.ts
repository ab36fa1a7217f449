/**
 * Carries out an import plan through the provider service (the only writer of the store), inside the caller's
 * transaction: removals first (their names and key ids become free), then changes, then additions.
 */
import { DeskError } from '../contract/errors.js';
import type { ProviderService } from '../service/provider-service.js';
import type { Repository } from '../store/repository.js';
import type { Vault } from '../vault/vault.js';
import { collectGarbage } from '../v8-collector.js';
import { jsonPath } from './format.js';
import type { ChangedProvider, ImportPlan } from './plan.js';
import { writeState } from './state.js';

export interface ApplyStore {
  providers: ProviderService;
  repo: Repository;
  vault: Vault;
}

/** Runs `work`, giving a service error's field paths the file path of what was being written. */
function at<T>(path: Array<string | number>, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DeskError && error.code !== 'internal') {
      const prefix = jsonPath(path);
      const fields = error.fields?.map((f) => ({ ...f, path: f.path ? `${prefix}.${f.path}` : prefix })) ?? [
        { path: prefix, message: error.message },
      ];
      throw new DeskError(error.code, `${prefix}: ${error.message}`, { fields });
    }
    throw error;
  }
}

function applyChanged(providers: ProviderService, change: ChangedProvider): void {
  const id = change.row.id;
  if (change.patch) {
    const patch = change.patch;
    at(change.path, () => providers.update(id, patch));
  }
  for (const key of change.removeKeys) providers.removeKey(id, key.id);
  // Renames that swap names would collide half-way: move them aside first.
  const renames = change.updateKeys.filter((u) => u.patch.name !== undefined);
  if (renames.length > 1) {
    for (const update of renames) at(update.path, () => providers.updateKey(id, update.key.id, { name: `import-${update.key.id}` }));
  }
  for (const update of change.updateKeys) at(update.path, () => providers.updateKey(id, update.key.id, update.patch));
  for (const add of change.addKeys) at(add.path, () => providers.addKey(id, add.input));
}

/** Providers inserted per insertMany call (all in the import's one transaction). */
const ADD_BATCH = 100;

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Providers written between two major GCs (see collectorEvery). */
const WRITTEN_BETWEEN_COLLECTIONS = 5_000;

/**
 * Counts providers written and asks V8 to start a major GC after every `every` of them. What a written provider
 * leaves behind outlives the young generation (buffers outside V8's heap among it), and during one long synchronous
 * import V8 starts a major GC late or not at all: a 100k import's peak RSS was ~200 MB or ~290 MB depending on when
 * it did. Asynchronous: the marking proceeds in steps as the import goes on allocating.
 */
function collectorEvery(every: number): (written: number) => void {
  let since = 0;
  return (written) => {
    since += written;
    if (since < every) return;
    since = 0;
    collectGarbage({ type: 'major', execution: 'async' });
  };
}

/** Applies the plan. Must run inside `repo.transaction` so that a failure leaves the store as it was. */
export function applyPlan(store: ApplyStore, plan: ImportPlan): void {
  const { providers } = store;
  const written = collectorEvery(WRITTEN_BETWEEN_COLLECTIONS);
  for (const row of plan.removed) providers.remove(row.id);
  for (const change of plan.changed) {
    applyChanged(providers, change);
    written(1);
  }
  // New providers: names and key ids were checked free inside this transaction, so they go in as batches, each input
  // built as it is needed (plan.addedInputs) so that only one batch of them exists at a time.
  const addAll = () => {
    for (const batch of batches(plan.addedInputs, ADD_BATCH)) {
      providers.insertMany(batch);
      written(batch.length);
    }
  };
  if (plan.added.length > 0) {
    if (store.repo.insertsInBulk(plan.added.length)) store.repo.insertingInBulk(addAll);
    else addAll();
  }
  // Model curation last: an added provider has its id only now.
  for (const curation of plan.curations) {
    const row = store.repo.findProvider(curation.name);
    if (row) store.repo.applyModelCuration(row.id, curation.disabled, curation.custom, providers.timestamp());
  }
  if (plan.stateChanged) writeState(store.repo, store.vault, plan.state);
}
