/**
 * The diff of a parsed config.json against the store: which providers are added, changed (config hash, other fields,
 * secrets compared in memory, keys), unchanged or — when pruning — removed, and exactly which service calls apply it;
 * per changed provider, which fields change, and which changes send kept secrets to a new destination.
 * This file walks the document; plan-provider.ts, plan-keys.ts and plan-sections.ts diff its parts, plan-changes.ts
 * names the changed fields and plan-destinations.ts finds the destination changes.
 */
import type { DestinationChange, FieldChanges } from '../contract/config-schemas.js';
import type { FieldError } from '../contract/errors.js';
import type { ProviderCreateInput, ProviderPatch } from '../contract/provider-inputs.js';
import type { Repository } from '../store/repository.js';
import type { ProviderRow, StoredModelRow } from '../store/rows.js';
import type { Vault } from '../vault/vault.js';
import type { JsonObject, Path } from './format.js';
import type { ParsedDocument, ParsedProvider } from './parse.js';
import { providerFieldChanges } from './plan-changes.js';
import { PlanContext } from './plan-context.js';
import { destinationChanges, keepsSecrets, keyDestinationChanges } from './plan-destinations.js';
import { KeyPlanner, type KeyOps } from './plan-keys.js';
import { desiredProvider } from './plan-provider.js';
import { planSections, type SectionDiff } from './plan-sections.js';
import { readState, resolveRedacted, sameJson, type DocumentState } from './state.js';

// The import and apply steps read the plan's types from here.
export type { KeyUpdate } from './plan-keys.js';
export type { SectionDiff } from './plan-sections.js';

export interface ChangedProvider extends KeyOps {
  name: string;
  path: Path;
  row: ProviderRow;
  /** null when only keys (or kept extras) change. */
  patch: ProviderPatch | null;
}

export interface ImportPlan {
  added: Array<{ name: string; path: Path }>;
  /**
   * The added providers as the service creates them, built again from the document each time this is iterated (as
   * ParsedDocument.providers is read again): the plan of a 100,000-provider import does not hold 100,000 inputs.
   */
  addedInputs: Iterable<ProviderCreateInput>;
  changed: ChangedProvider[];
  unchanged: string[];
  removed: ProviderRow[];
  state: DocumentState;
  stateChanged: boolean;
  sections: SectionDiff;
  /** Changes of where kept secrets are sent; applying them needs the caller's confirmation. */
  destinations: DestinationChange[];
  /** Per changed provider, the dotted paths of the fields that change. */
  changes: FieldChanges;
  /** Model curation to write, by provider name (providers whose block carries one that differs from the stored one). */
  curations: Array<{ name: string; disabled: string[]; custom: Array<{ id: string; display_name: string }> }>;
}

export interface PlanStore {
  repo: Repository;
  vault: Vault;
}

/** Computes the whole diff (read-only). Errors name every invalid path; the plan is only meaningful without errors. */
export function buildPlan(store: PlanStore, parsed: ParsedDocument, prune: boolean): { plan: ImportPlan; errors: FieldError[] } {
  const { repo, vault } = store;
  const rows = repo.allProviders();
  const byName = new Map(rows.map((r) => [r.name, r]));
  const inFile = new Set(parsed.providerNames);
  const removed = prune ? rows.filter((r) => !inFile.has(r.name)) : [];
  const prunedIds = new Set(removed.map((r) => r.id));
  const keysByProvider = repo.keysOfMany(rows.map((r) => r.id));
  const keyOwner = new Map<string, string>();
  for (const [providerId, keys] of keysByProvider) for (const key of keys) keyOwner.set(key.id, providerId);

  const ctx = new PlanContext(vault);
  const keyPlanner = new KeyPlanner(ctx, { keyOwner, prunedProviders: prunedIds, prune });
  const plan: ImportPlan = {
    added: [],
    addedInputs: [],
    changed: [],
    unchanged: [],
    removed,
    state: { order: [], sections: {}, extras: {}, spelling: {} },
    stateChanged: false,
    sections: { added: [], changed: [], unchanged: [], removed: [] },
    destinations: [],
    changes: {},
    curations: [],
  };
  const storedCuration = repo.curatedModels();
  const previous = readState(repo, vault);
  const extrasChanged = new Set<string>();

  for (const p of parsed.providers) {
    const row = byName.get(p.name);
    if (row && row.type !== p.type) {
      ctx.error(
        p.path,
        `has type ${p.type} in the file but the stored provider "${p.name}" is ${row.type}; a provider's type cannot change (remove it first, or import it under another name)`,
      );
      continue;
    }
    const extras = p.extras ? (resolveRedacted(p.extras, previous.extras[p.name], p.path, ctx.errors) as JsonObject) : null;
    if (extras) plan.state.extras[p.name] = extras;
    if (!sameJson(extras ?? null, previous.extras[p.name] ?? null)) extrasChanged.add(p.name);
    if (Object.keys(p.spelling).length > 0) plan.state.spelling[p.name] = p.spelling;

    const desired = desiredProvider(ctx, p, row);
    // Keys are checked even when the provider block has errors, so that every bad path is reported at once.
    const keyOps = keyPlanner.keys(p, row ?? null, row ? (keysByProvider.get(row.id) ?? []) : []);
    if (!desired) continue;
    const curationChanged = p.models !== null && !sameCuration(p.models, row ? storedCuration.get(row.id) : undefined);
    if (curationChanged && p.models) plan.curations.push({ name: p.name, ...p.models });
    if (!row) {
      plan.added.push({ name: p.name, path: p.path });
      continue;
    }
    const keysChanged = keyOps.removeKeys.length + keyOps.updateKeys.length + keyOps.addKeys.length > 0;
    if (desired.changed || keysChanged || extrasChanged.has(p.name) || curationChanged) {
      plan.changed.push({ name: p.name, path: p.path, row, patch: desired.changed ? desired.patch : null, ...keyOps });
      plan.changes[p.name] = providerFieldChanges(ctx, {
        row,
        file: p,
        next: desired.next,
        keys: keyOps,
        extrasBefore: previous.extras[p.name],
        extrasAfter: extras ?? undefined,
      });
      if (curationChanged) plan.changes[p.name] = [...(plan.changes[p.name] ?? []), 'provider_desk.models'];
      if (desired.changed && desired.next && keepsSecrets(p, keyOps))
        plan.destinations.push(...destinationChanges(p.name, row, desired.next));
      plan.destinations.push(...keyDestinationChanges(p.name, keyOps, (update) => ctx.storedKeyConfig(update.key).plain));
    } else {
      plan.unchanged.push(p.name);
    }
  }

  const addedNames = new Set(plan.added.map((a) => a.name));
  plan.addedInputs = {
    *[Symbol.iterator]() {
      for (const p of parsed.providers) {
        if (!addedNames.has(p.name)) continue;
        // The same steps as above, on the same document and scope, so the same outcome (they passed once).
        const desired = desiredProvider(ctx, p, undefined);
        if (desired) yield newProviderInput(p, desired.patch, keyPlanner.keys(p, null, []).addKeys);
      }
    },
  };

  // Extras (and spellings) of stored providers the file does not mention stay with them, unless pruning removes the provider.
  const removedNames = new Set(removed.map((r) => r.name));
  const kept = (name: string) => !inFile.has(name) && byName.has(name) && !removedNames.has(name);
  for (const [name, extras] of Object.entries(previous.extras)) if (kept(name)) plan.state.extras[name] = extras;
  for (const [name, spelling] of Object.entries(previous.spelling)) if (kept(name)) plan.state.spelling[name] = spelling;
  const sections = planSections(parsed, previous, prune, ctx.errors);
  plan.state.order = sections.order;
  plan.state.sections = sections.sections;
  plan.sections = sections.diff;
  plan.stateChanged = !sameJson(previous, plan.state);
  return { plan, errors: ctx.errors };
}

/** Whether a file's curation is what the store holds (order aside): then importing it writes nothing. */
function sameCuration(file: NonNullable<ParsedProvider['models']>, stored: readonly StoredModelRow[] | undefined): boolean {
  const rows = stored ?? [];
  const disabled = rows.filter((m) => m.enabled === 0).map((m) => m.model_id);
  const custom = rows
    .filter((m) => m.custom === 1)
    .map((m) => ({ id: m.model_id, display_name: m.display_name === m.model_id ? '' : m.display_name }));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return (
    sameJson([...disabled].sort(), [...file.disabled].sort()) &&
    sameJson(
      [...custom].sort(byId),
      [...file.custom].map((m) => ({ id: m.id, display_name: m.display_name === m.id ? '' : m.display_name })).sort(byId),
    )
  );
}

/** What the service's create takes for a provider the store does not have. */
function newProviderInput(p: ParsedProvider, patch: ProviderPatch, addKeys: KeyOps['addKeys']): ProviderCreateInput {
  return {
    name: p.name,
    type: p.type,
    display_name: patch.display_name,
    description: patch.description,
    enabled: patch.enabled,
    ...(p.base_url ? { base_url: p.base_url } : {}),
    settings: p.settings,
    network_config: patch.network_config,
    proxy_config: patch.proxy_config,
    concurrency_and_buffer_size: p.concurrency,
    custom_provider_config: p.custom,
    send_back_raw_request: p.send_back_raw_request,
    send_back_raw_response: p.send_back_raw_response,
    store_raw_request_response: p.store_raw_request_response,
    api_keys: addKeys.map((k) => k.input),
  };
}
