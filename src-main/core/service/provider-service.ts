import { EventEmitter } from 'node:events';
import { DeskError } from '../contract/errors.js';
import type { ApiKeyCreateInput, ApiKeyPatch, ProviderCreateInput, ProviderPatch } from '../contract/provider-inputs.js';
import type { ApiKey, ModelInfo, Provider } from '../contract/domain-schemas.js';
import type { ProviderQuery } from '../store/repository.js';
/** The list query surfaces build, re-exported so that they need not import the store. */
export type { ProviderQuery, ProviderSortColumn } from '../store/repository.js';
import type { Repository } from '../store/repository.js';
import type { KeyRow, ProviderRow, StoredModelRow } from '../store/rows.js';
import type { Vault } from '../vault/vault.js';
import type { MaskParts } from './masking.js';
import { keyMaskParts, modelOffered, toApiKey, toModel, toProvider } from './codec.js';
import { parseJson } from './provider-writer.js';
import { buildNewProviderRows, patchedProviderRow } from './provider-rows-build.js';
import { ProviderKeys } from './provider-keys.js';
import { sealLegacyNetworkValues } from './seal-legacy-network-values.js';
import { recomputeLegacyHealth } from './recompute-legacy-health.js';

export interface ServiceEvents {
  /** Something about providers changed (any write); the GUI refreshes on it. */
  changed: [
    {
      providerId: string | null;
      kind: 'created' | 'updated' | 'deleted' | 'keys' | 'health' | 'models' | 'import' | 'testing';
      /** The one key concerned (a key written, or tested alone). */
      keyId?: string | undefined;
    },
  ];
}

/** A key as a surface with its own masking sees it (see keyRecordsOf); never the secret itself. */
export interface KeyRecord {
  key: ApiKey;
  /** The `env.VAR` reference as written, or null for a literal value. */
  ref: string | null;
  parts: MaskParts;
  /** Whether a literal value is sealed in the store. */
  sealed: boolean;
  /** key_config as stored: secrets as `<REDACTED>`, their paths listed under the secret-list key. */
  storedConfig: Record<string, unknown> | null;
  configMasks: Record<string, { ref: string | null; parts: MaskParts }>;
}

export interface ProviderPage {
  items: Provider[];
  total: number;
  limit: number;
  offset: number;
}

/** Every provider and key operation: validation, one transaction per write, stable errors. The only writer of the store. */
export class ProviderService {
  readonly events = new EventEmitter<ServiceEvents>();
  /** The key operations; the key methods below delegate to them. */
  private readonly keys: ProviderKeys;

  constructor(
    private readonly repo: Repository,
    private readonly vault: Vault,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = new ProviderKeys(repo, vault, this);
    // A store from before header values and proxy URL userinfo were sealed gets them sealed on its first open.
    sealLegacyNetworkValues(repo, vault);
    // A store from before the one health model gets every provider's health computed on its first open.
    recomputeLegacyHealth(repo);
  }

  timestamp(): string {
    return this.now().toISOString();
  }

  emit(kind: ServiceEvents['changed'][0]['kind'], providerId: string | null, keyId?: string): void {
    this.events.emit('changed', { providerId, kind, ...(keyId ? { keyId } : {}) });
  }

  // --- reads ------------------------------------------------------------------
  list(query: ProviderQuery): ProviderPage {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const { rows, total } = this.repo.queryProviders({ ...query, limit, offset });
    return { items: this.present(rows), total, limit, offset };
  }

  /** Maps rows to outputs with two batched queries (keys, model counts) instead of one per row. */
  present(rows: ProviderRow[]): Provider[] {
    const ids = rows.map((r) => r.id);
    const keys = this.repo.keyViewsOfMany(ids);
    const counts = this.repo.modelCounts(ids);
    return rows.map((row) => toProvider(row, keys.get(row.id) ?? [], counts.get(row.id) ?? 0));
  }

  requireRow(idOrName: string): ProviderRow {
    const row = this.repo.findProvider(idOrName);
    if (!row) throw new DeskError('not_found', `Provider "${idOrName}" not found`);
    return row;
  }

  get(idOrName: string): Provider {
    const [provider] = this.present([this.requireRow(idOrName)]);
    if (!provider) throw new DeskError('not_found', `Provider "${idOrName}" not found`);
    return provider;
  }

  /** The provider stored under exactly this base URL, or undefined (surfaces that refuse duplicate addresses). */
  findByBaseUrl(baseUrl: string): Provider | undefined {
    const row = this.repo.findProviderByBaseUrl(baseUrl);
    return row ? this.present([row])[0] : undefined;
  }

  nameExists(name: string): boolean {
    return this.repo.nameExists(name);
  }

  /** The ids of the models the provider's last listing stored, sorted; models the user turned off (or gone ones) are left out. */
  modelIdsOf(providerId: string): string[] {
    return this.repo.modelsOf(providerId).flatMap((m) => (modelOffered(m) ? [m.model_id] : []));
  }

  /** Every stored model as (provider id, model id), for surfaces that search across providers. */
  allModelIds(): Array<{ providerId: string; modelId: string }> {
    return this.repo.allModels().flatMap((m) => (modelOffered(m) ? [{ providerId: m.provider_id, modelId: m.model_id }] : []));
  }

  /** Every provider as the native API shows it, by name. */
  allProviders(): Provider[] {
    return this.present(this.repo.allProviders());
  }

  /** The provider named exactly `name` (never matched by id), or undefined: surfaces that address providers by name. */
  findByName(name: string): Provider | undefined {
    const row = this.repo.findProvider(name);
    return row && row.name === name ? this.present([row])[0] : undefined;
  }

  /** The models the provider's last listing stored, sorted by id, without those the user turned off or the provider stopped listing. */
  modelsOf(providerId: string): ModelInfo[] {
    return this.repo.modelsOf(providerId).filter(modelOffered).map(toModel);
  }

  /** Whether the user turned this stored model off (the gateway refuses it). */
  modelDisabled(providerId: string, modelId: string): boolean {
    return this.repo.findModel(providerId, modelId)?.enabled === 0;
  }

  /**
   * The provider's keys with what a surface that shows its own masks needs beyond the native view: the mask parts,
   * the env reference as written, whether a value is stored, the typed config as stored and its secrets' masks.
   */
  keyRecordsOf(providerId: string): KeyRecord[] {
    return this.repo.keysOf(providerId).map((row) => ({
      key: toApiKey(row),
      ref: row.secret_ref,
      parts: keyMaskParts(row),
      sealed: row.secret_sealed !== null,
      storedConfig: parseJson<Record<string, unknown> | null>(row.key_config, null),
      configMasks: this.keyConfigSecretMasks(row),
    }));
  }

  // --- rows, for the other services and the gateway (HTTP code gets the outputs above, never rows) ----------------
  /** The store's version: equal values mean equal contents, also across processes (Repository.version). */
  storeVersion(): string {
    return this.repo.version();
  }

  /** The provider with this id or name as stored, or undefined. */
  findRow(idOrName: string): ProviderRow | undefined {
    return this.repo.findProvider(idOrName);
  }

  /** Every provider as stored, by name. */
  allRows(): ProviderRow[] {
    return this.repo.allProviders();
  }

  /** A provider's keys as stored, in their order. */
  keyRowsOf(providerId: string): KeyRow[] {
    return this.repo.keysOf(providerId);
  }

  /** keyRowsOf() for many providers in one query. */
  keyRowsOfMany(providerIds: string[]): Map<string, KeyRow[]> {
    return this.repo.keysOfMany(providerIds);
  }

  /** Every stored model that is offered: not turned off by the user and still listed (or the user's own). */
  offeredModelRows(): StoredModelRow[] {
    return this.repo.allModels().filter(modelOffered);
  }

  /**
   * Runs several service calls as one unit of work: all of them are stored, or none. For the services' own composite
   * writes (HealthService.createFromDraft); a surface calls a named service method instead (the boundary test holds
   * it to that). The service's own writes join it instead of committing on their own.
   */
  atomically<T>(work: () => T): T {
    return this.repo.transaction(work);
  }

  // --- provider writes ----------------------------------------------------------
  create(input: ProviderCreateInput): Provider {
    const row = this.insertNew(input);
    this.emit('created', row.id);
    return this.get(row.id);
  }

  /**
   * What create() stores, without its event and its re-read: for bulk writers (config import) that emit once
   * and need no output per provider. Runs in the caller's transaction when there is one.
   */
  insertNew(input: ProviderCreateInput): ProviderRow {
    const { row, keys } = this.buildNew(input);
    return this.repo.transaction(() => {
      if (this.repo.nameExists(row.name)) {
        throw new DeskError('conflict', `A provider named "${row.name}" already exists`, {
          fields: [{ path: 'name', message: 'is already used' }],
        });
      }
      const stored = this.repo.insertProvider(row);
      for (const key of keys) this.repo.insertKey(key);
      return stored;
    });
  }

  /**
   * Many new providers in one transaction, without a savepoint per provider (config import of thousands).
   * The caller has checked inside the same transaction that the names and key ids are free; emits nothing.
   */
  insertMany(inputs: readonly ProviderCreateInput[]): void {
    this.repo.transaction(() => {
      // Built and written one at a time: thousands of finished rows held at once only feed the garbage collector.
      for (const input of inputs) {
        const { row, keys } = this.buildNew(input);
        this.repo.insertProvider(row);
        for (const key of keys) this.repo.insertKey(key);
      }
    });
  }
  /** The rows create() writes (secrets sealed, config hash computed), before any SQL; a draft check probes them unstored. */
  buildNew(input: ProviderCreateInput): { row: Omit<ProviderRow, 'seq'>; keys: KeyRow[] } {
    return buildNewProviderRows(this.vault, input, this.timestamp());
  }

  /**
   * Applies a patch in one transaction. `expectedRevision` (from If-Match) makes a stale write fail with 412.
   * Blocks present in the patch are merged over the stored ones; `null` clears a nullable block.
   */
  update(idOrName: string, patch: ProviderPatch, expectedRevision?: number): Provider {
    const id = this.repo.transaction(() => {
      const row = this.requireRow(idOrName);
      this.checkRevision(row, expectedRevision);
      if (patch.name !== undefined && patch.name !== row.name && this.repo.nameExists(patch.name)) {
        throw new DeskError('conflict', `A provider named "${patch.name}" already exists`, {
          fields: [{ path: 'name', message: 'is already used' }],
        });
      }
      const { row: finished, moved } = patchedProviderRow(this.vault, row, patch, () => this.timestamp());
      if (moved) this.keys.clearVerdicts(row.id);
      const next = this.withHealth({ ...finished, seq: row.seq, ...(moved ? { last_check: null } : {}) });
      if (!this.repo.updateProvider(next, row.revision)) {
        throw new DeskError('precondition_failed', `Provider "${row.name}" was changed by someone else; reload and retry`);
      }
      return row.id;
    });
    this.emit('updated', id);
    return this.get(id);
  }

  /**
   * The If-Match check: a write that names the revision it was based on fails with 412 when the provider has moved on.
   * Call it inside the write's transaction; surfaces that write in several steps call it first, in their transaction.
   */
  checkRevision(provider: Pick<ProviderRow, 'name' | 'revision'>, expectedRevision: number | undefined): void {
    if (expectedRevision !== undefined && expectedRevision !== provider.revision) {
      throw new DeskError(
        'precondition_failed',
        `Provider "${provider.name}" changed since revision ${expectedRevision} (now ${provider.revision}); reload and retry`,
      );
    }
  }

  remove(idOrName: string, expectedRevision?: number): Provider {
    const removed = this.repo.transaction(() => {
      const provider = this.get(idOrName);
      this.checkRevision(provider, expectedRevision);
      this.repo.deleteProvider(provider.id);
      return provider;
    });
    this.emit('deleted', removed.id);
    return removed;
  }

  // --- keys (ProviderKeys does the work) -------------------------------------------
  /** The row with its health recomputed from its keys as stored now (call after writing the keys, in the same transaction). */
  withHealth(row: ProviderRow): ProviderRow {
    return this.keys.withHealth(row);
  }

  // Key writes carry the owning provider's revision: a key change bumps it, so If-Match covers keys too.
  addKey(idOrName: string, input: ApiKeyCreateInput, expectedRevision?: number): ApiKey {
    return this.keys.add(idOrName, input, expectedRevision);
  }

  /** Several new keys in one transaction (a paste of one key per line): all are stored, or none. */
  addKeys(idOrName: string, inputs: readonly ApiKeyCreateInput[], expectedRevision?: number): ApiKey[] {
    return this.keys.addMany(idOrName, inputs, expectedRevision);
  }

  updateKey(idOrName: string, keyId: string, patch: ApiKeyPatch, expectedRevision?: number): ApiKey {
    return this.keys.update(idOrName, keyId, patch, expectedRevision);
  }

  removeKey(idOrName: string, keyId: string, expectedRevision?: number): ApiKey {
    return this.keys.remove(idOrName, keyId, expectedRevision);
  }

  /**
   * Applies `patch` (nothing when empty) and gives the provider's first key the value `firstKeyValue` (added when it has
   * no key), in one transaction: ZIRI's create-or-update and edit, whose providers have one key. `expectedRevision` as
   * for update(), checked once before both writes.
   */
  updateWithFirstKey(idOrName: string, patch: ProviderPatch, firstKeyValue: string | undefined, expectedRevision?: number): Provider {
    const id = this.repo.transaction(() => {
      const row = this.requireRow(idOrName);
      this.checkRevision(row, expectedRevision);
      if (Object.keys(patch).length > 0) this.update(row.id, patch);
      if (firstKeyValue !== undefined) {
        const firstKey = this.get(row.id).api_keys[0];
        if (firstKey) this.updateKey(row.id, firstKey.id, { value: firstKeyValue });
        else this.addKey(row.id, { value: firstKeyValue });
      }
      return row.id;
    });
    return this.get(id);
  }

  /**
   * Applies `patch` and, when `keys` is given, makes the provider's keys exactly those (replaceKeys), in one transaction:
   * Coder's PATCH, where any failure leaves the provider as it was. `expectedRevision` as for update().
   */
  updateWithKeys(
    idOrName: string,
    patch: ProviderPatch,
    keys: Array<{ id: string } | { value: string }> | undefined,
    expectedRevision?: number,
  ): Provider {
    const id = this.repo.transaction(() => {
      const row = this.requireRow(idOrName);
      this.checkRevision(row, expectedRevision);
      this.update(row.id, patch);
      if (keys) this.replaceKeysOf(row.id, keys);
      return row.id;
    });
    return this.get(id);
  }

  /** replaceKeys() for the provider with this id or name (callers that hold its output, not its row). */
  replaceKeysOf(idOrName: string, entries: Array<{ id: string } | { value: string }>): void {
    this.replaceKeys(this.requireRow(idOrName), entries);
  }

  /**
   * Makes the provider's keys exactly `entries` (Coder's PATCH): `{id}` keeps a key, `{value}` inserts one, the rest are deleted.
   * Runs inside the caller's transaction when there is one.
   */
  replaceKeys(row: ProviderRow, entries: Array<{ id: string } | { value: string }>): void {
    this.keys.replace(row, entries);
  }

  /** Mask inputs for a key's typed-config secrets by dotted path (an `env.VAR` reference as written), for surfaces that show them masked. */
  keyConfigSecretMasks(key: KeyRow): Record<string, { ref: string | null; parts: MaskParts }> {
    return this.keys.configSecretMasks(key);
  }

  /** Decrypts one key for the desktop app's "Copy key" (IPC only; the HTTP API never reveals keys). */
  revealKey(idOrName: string, keyId: string): { value: string } {
    return this.keys.reveal(idOrName, keyId);
  }
}
