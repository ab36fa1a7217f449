import { DeskError, validationError } from '../contract/errors.js';
import type { ApiKeyCreateInput, ApiKeyPatch } from '../contract/provider-inputs.js';
import type { ApiKey } from '../contract/domain-schemas.js';
import type { Repository } from '../store/repository.js';
import type { KeyRow, ProviderRow } from '../store/rows.js';
import { isEnvRef, type Vault } from '../vault/vault.js';
import { maskParts, type MaskParts } from './masking.js';
import { toApiKey } from './codec.js';
import { keyConfigAad, newKeyRow, newKeyRows, openKey, patchKeyRow } from './provider-writer.js';
import { clearedKeyVerdict, healthColumns } from './health-model.js';

/** What the key operations take from ProviderService: its clock, its provider lookup and If-Match check, its event. */
export interface KeyOwner {
  timestamp(): string;
  requireRow(idOrName: string): ProviderRow;
  checkRevision(provider: Pick<ProviderRow, 'name' | 'revision'>, expectedRevision: number | undefined): void;
  emit(kind: 'keys', providerId: string | null, keyId?: string): void;
}

/**
 * A provider's keys: their writes (one transaction each, joining the caller's), the owning provider's health kept in step
 * with them, and the two reads that open a key's secrets. ProviderService delegates its key methods here.
 */
export class ProviderKeys {
  constructor(
    private readonly repo: Repository,
    private readonly vault: Vault,
    private readonly owner: KeyOwner,
  ) {}

  private requireKey(row: ProviderRow, keyId: string): { key: KeyRow; siblings: KeyRow[] } {
    const siblings = this.repo.keysOf(row.id);
    const key = siblings.find((k) => k.id === keyId || k.name === keyId);
    if (!key) throw new DeskError('not_found', `Key "${keyId}" not found for provider "${row.name}"`);
    return { key, siblings };
  }

  /** The row with its health recomputed from its keys as stored now (call after writing the keys, in the same transaction). */
  withHealth(row: ProviderRow): ProviderRow {
    return { ...row, ...healthColumns(row, this.repo.keysOf(row.id)) };
  }

  /** Clears every key's verdict of a provider to untested: where its requests go changed, so none of them is current. */
  clearVerdicts(providerId: string): void {
    for (const key of this.repo.keysOf(providerId)) {
      if (key.last_check !== null || key.status !== 'untested') this.repo.updateKey(clearedKeyVerdict(key));
    }
  }

  /**
   * Bumps the provider's revision and timestamp when its keys change, so If-Match covers keys too, and recomputes its
   * health from the keys as they are now (a removed, disabled or changed key no longer counts with its old verdict).
   */
  private touch(row: ProviderRow): void {
    const next = this.withHealth({ ...row, revision: row.revision + 1, updated_at: this.owner.timestamp() });
    if (!this.repo.updateProvider(next, row.revision))
      throw new DeskError('precondition_failed', `Provider "${row.name}" was changed by someone else; retry`);
  }

  // Key writes carry the owning provider's revision: a key change bumps it (touch), so If-Match covers keys too.
  add(idOrName: string, input: ApiKeyCreateInput, expectedRevision?: number): ApiKey {
    const key = this.repo.transaction(() => {
      const row = this.owner.requireRow(idOrName);
      this.owner.checkRevision(row, expectedRevision);
      const siblings = this.repo.keysOf(row.id);
      if (input.id !== undefined && siblings.some((k) => k.id === input.id)) {
        throw new DeskError('conflict', `A key with id "${input.id}" already exists`, {
          fields: [{ path: 'id', message: 'is already used' }],
        });
      }
      const created = newKeyRow(this.vault, row.id, input, siblings, this.owner.timestamp());
      this.repo.insertKey(created);
      this.touch(row);
      return created;
    });
    this.owner.emit('keys', key.provider_id, key.id);
    return toApiKey(key);
  }

  /** Several new keys in one transaction (a paste of one key per line): all are stored, or none. */
  addMany(idOrName: string, inputs: readonly ApiKeyCreateInput[], expectedRevision?: number): ApiKey[] {
    const created = this.repo.transaction(() => {
      const row = this.owner.requireRow(idOrName);
      this.owner.checkRevision(row, expectedRevision);
      const rows = newKeyRows(this.vault, row.id, inputs, this.repo.keysOf(row.id), this.owner.timestamp());
      for (const key of rows) this.repo.insertKey(key);
      this.touch(row);
      return { providerId: row.id, rows };
    });
    this.owner.emit('keys', created.providerId);
    return created.rows.map(toApiKey);
  }

  update(idOrName: string, keyId: string, patch: ApiKeyPatch, expectedRevision?: number): ApiKey {
    const key = this.repo.transaction(() => {
      const row = this.owner.requireRow(idOrName);
      this.owner.checkRevision(row, expectedRevision);
      const { key: current, siblings } = this.requireKey(row, keyId);
      const next = patchKeyRow(this.vault, current, patch, siblings, this.owner.timestamp());
      this.repo.updateKey(next);
      this.touch(row);
      return next;
    });
    this.owner.emit('keys', key.provider_id, key.id);
    return toApiKey(key);
  }

  remove(idOrName: string, keyId: string, expectedRevision?: number): ApiKey {
    const key = this.repo.transaction(() => {
      const row = this.owner.requireRow(idOrName);
      this.owner.checkRevision(row, expectedRevision);
      const { key: current } = this.requireKey(row, keyId);
      this.repo.deleteKey(current.id);
      this.touch(row);
      return current;
    });
    this.owner.emit('keys', key.provider_id, key.id);
    return toApiKey(key);
  }

  /**
   * Makes the provider's keys exactly `entries` (Coder's PATCH): `{id}` keeps a key, `{value}` inserts one, the rest are deleted.
   * Runs inside the caller's transaction when there is one.
   */
  replace(row: ProviderRow, entries: Array<{ id: string } | { value: string }>): void {
    const siblings = this.repo.keysOf(row.id);
    const keep = new Set<string>();
    entries.forEach((entry, index) => {
      if ('id' in entry) {
        if (keep.has(entry.id)) throw validationError([{ path: `api_keys[${index}].id`, message: 'is listed twice' }]);
        if (!siblings.some((k) => k.id === entry.id)) {
          throw validationError([{ path: `api_keys[${index}].id`, message: 'api_keys references an unknown id for this provider' }]);
        }
        keep.add(entry.id);
      }
    });
    for (const key of siblings) if (!keep.has(key.id)) this.repo.deleteKey(key.id);
    const remaining = siblings.filter((k) => keep.has(k.id));
    const now = this.owner.timestamp();
    entries.forEach((entry, position) => {
      if ('value' in entry) {
        const created = newKeyRow(this.vault, row.id, { value: entry.value }, remaining, now);
        created.position = position;
        this.repo.insertKey(created);
        remaining.push(created);
      } else {
        const existing = remaining.find((k) => k.id === entry.id);
        if (existing && existing.position !== position) this.repo.updateKey({ ...existing, position });
      }
    });
    const current = this.repo.findProvider(row.id);
    if (current) this.repo.updateProvider(this.withHealth(current), current.revision);
  }

  /** Mask inputs for a key's typed-config secrets by dotted path (an `env.VAR` reference as written), for surfaces that show them masked. */
  configSecretMasks(key: KeyRow): Record<string, { ref: string | null; parts: MaskParts }> {
    if (!key.key_config_secrets) return {};
    const secrets = JSON.parse(this.vault.openText(key.key_config_secrets, keyConfigAad(key.id))) as Record<string, string>;
    return Object.fromEntries(
      Object.entries(secrets).map(([path, value]) => [
        path,
        isEnvRef(value) ? { ref: value, parts: { head: '', tail: '', length: 0 } } : { ref: null, parts: maskParts(value) },
      ]),
    );
  }

  /** Decrypts one key for the desktop app's "Copy key" (IPC only; the HTTP API never reveals keys). */
  reveal(idOrName: string, keyId: string): { value: string } {
    const row = this.owner.requireRow(idOrName);
    const { key } = this.requireKey(row, keyId);
    const { secret } = openKey(this.vault, key);
    if (secret === null) throw new DeskError('not_found', 'This key has no secret');
    return { value: secret };
  }
}
