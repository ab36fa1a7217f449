/**
 * config.json import and export in Bifrost's format: validate everything, diff against the store by config hash,
 * apply in one transaction when asked; export with secrets redacted, in plain, or sealed with a passphrase.
 */
import type { DestinationChange, FieldChanges } from '../contract/config-schemas.js';
import { DeskError, validationError, type FieldError } from '../contract/errors.js';
import type { ProviderService } from '../service/provider-service.js';
import type { Repository } from '../store/repository.js';
import type { Vault } from '../vault/vault.js';
import { applyPlan } from './apply.js';
import { isEnvelope, openDocument, sealDocument, type Envelope, type Kdf } from './envelope.js';
import { exportDocument, type SecretsMode } from './export.js';
import { jsonPath, type JsonObject } from './format.js';
import { ConfigFileSyntaxError, type DocumentEntries } from './file-document.js';
import { isEntries, parseDocument, type ParsedDocument } from './parse.js';
import { buildPlan, type ImportPlan, type SectionDiff } from './plan.js';
import { unconfirmedMessage } from './plan-destinations.js';

export { ENVELOPE_FORMAT, EnvelopeSchema, MIN_PASSPHRASE } from './envelope.js';
export { ConfigFileSyntaxError, openConfigFile, type DocumentEntries } from './file-document.js';
export type { SecretsMode } from './export.js';

export interface ConfigStore {
  providers: ProviderService;
  repo: Repository;
  vault: Vault;
}

export interface ImportOptions {
  dryRun?: boolean | undefined;
  prune?: boolean | undefined;
  passphrase?: string | undefined;
  /** The caller has shown the plan's destination changes and the user accepted them. */
  confirmDestinations?: boolean | undefined;
}

export interface ImportResult {
  added: string[];
  changed: string[];
  unchanged: string[];
  removed: string[];
  applied: boolean;
  sections: SectionDiff;
  destinations: DestinationChange[];
  changes: FieldChanges;
}

/**
 * Imports a document (or an encrypted envelope). Nothing is written on a dry run, when any field is invalid, or when the
 * import would send kept secrets to a new destination without `confirmDestinations`; otherwise the diff is recomputed
 * and applied inside one write transaction, so a concurrent writer cannot slip in between.
 */
export async function importConfig(
  store: ConfigStore,
  input: JsonObject | DocumentEntries,
  options: ImportOptions = {},
): Promise<ImportResult> {
  try {
    return await importDocument(store, await openedDocument(input, options.passphrase), options);
  } catch (error) {
    // A file read as it is needed (file-document.ts) that changed under the import: the transaction was rolled back.
    if (error instanceof ConfigFileSyntaxError) throw new DeskError('conflict', `${error.message}; nothing was changed`);
    throw error;
  }
}

/** The document itself: an encrypted envelope (in memory, or the top level of a file) is opened with the passphrase. */
async function openedDocument(input: JsonObject | DocumentEntries, passphrase: string | undefined): Promise<JsonObject | DocumentEntries> {
  if (!isEntries(input)) return isEnvelope(input) ? openDocument(input, passphrase) : input;
  return !input.providersIsObject && input.providersValue === undefined && isEnvelope(input.sections)
    ? openDocument(input.sections, passphrase)
    : input;
}

async function importDocument(store: ConfigStore, document: JsonObject | DocumentEntries, options: ImportOptions): Promise<ImportResult> {
  // findProvider matches ids too: only an exact name lends its type.
  const storedType = (name: string) => {
    const row = store.repo.findProvider(name);
    return row?.name === name ? row.type : undefined;
  };
  const { parsed, errors } = parseDocument(document, storedType);
  if (options.prune && !parsed.hasProviders) {
    errors.push({ path: 'providers', message: 'is required when pruning (without it every provider would be removed)' });
  }
  const prune = options.prune === true;
  if (errors.length > 0) throw invalid([...errors, ...planErrorsOf(store, parsed, prune && parsed.hasProviders)]);

  const run = () => {
    const { plan, errors: planErrors } = buildPlan(store, parsed, prune);
    if (planErrors.length > 0) throw invalid(planErrors);
    if (!options.dryRun && plan.destinations.length > 0 && options.confirmDestinations !== true) throw unconfirmed(plan);
    if (!options.dryRun) applyPlan(store, plan);
    return plan;
  };
  const plan = options.dryRun ? run() : store.repo.transaction(run);
  const applied = !options.dryRun;
  if (applied && (plan.added.length || plan.changed.length || plan.removed.length || plan.stateChanged))
    store.providers.emit('import', null);
  return {
    added: plan.added.map((a) => a.name),
    changed: plan.changed.map((c) => c.name),
    unchanged: plan.unchanged,
    removed: plan.removed.map((r) => r.name).sort(),
    applied,
    sections: plan.sections,
    destinations: plan.destinations,
    changes: plan.changes,
  };
}

/** A destination's field as path segments: `keys[0].azure_key_config.endpoint` → keys, 0, azure_key_config, endpoint. */
function fieldPath(field: string): Array<string | number> {
  return field.split('.').flatMap((segment) => {
    const indexed = /^(.+)\[(\d+)\]$/.exec(segment);
    return indexed ? [indexed[1] as string, Number(indexed[2])] : [segment];
  });
}

/** A 409 that names every provider and field, with the changes as `details` for clients that show them. */
function unconfirmed(plan: ImportPlan): DeskError {
  return new DeskError('destination_change_unconfirmed', unconfirmedMessage(plan.destinations), {
    fields: plan.destinations.map((d) => ({
      path: jsonPath(['providers', d.provider, ...fieldPath(d.field)]),
      message: `changes from ${d.from} to ${d.to}; the kept keys of ${d.provider} would be sent there (not confirmed)`,
    })),
    details: { destinations: plan.destinations },
  });
}

/**
 * The plan's own errors (a `<REDACTED>` key that matches no stored key, a name used twice …) for the providers that
 * did parse, so that a file with errors of both kinds lists them all at once rather than the second kind only after
 * the first is fixed. Read-only; a plan that cannot be built adds nothing (the parse errors say enough).
 */
function planErrorsOf(store: ConfigStore, parsed: ParsedDocument, prune: boolean): FieldError[] {
  try {
    return buildPlan(store, parsed, prune).errors;
  } catch {
    return [];
  }
}

/** One short sentence; the fields carry every path (a file with thousands of errors would make an unreadable message). */
function invalid(errors: FieldError[]): DeskError {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  const where = first ? `: ${first.path} ${first.message}${more}` : '';
  return validationError(errors, `The config is not valid; nothing was changed${where}`);
}

export function exportConfig(store: Pick<ConfigStore, 'repo' | 'vault'>, mode: SecretsMode): JsonObject {
  return exportDocument(store, mode);
}

/** The plain document sealed with the passphrase. */
export async function exportEncrypted(
  store: Pick<ConfigStore, 'repo' | 'vault'>,
  passphrase: string,
  kdf?: Kdf['name'],
): Promise<Envelope> {
  return sealDocument(exportDocument(store, 'plain'), passphrase, kdf);
}
