import { createHmac, randomBytes } from 'node:crypto';
import { open, seal } from './cipher.js';
import type { KeyWrapper } from './key-slots.js';
import { DeskError } from '../contract/errors.js';
import { envRefVariable, isEnvRef } from '../contract/env-ref.js';

/** Where wrapped data keys are kept (a table in the store). */
export interface KeySlotStore {
  listSlots(): Array<{ kind: string; wrapped: Buffer }>;
  putSlot(kind: string, wrapped: Buffer): void;
}

/** A slot store that can also drop a slot (the repository). */
export interface EditableKeySlotStore extends KeySlotStore {
  deleteSlot(kind: string): void;
}

/** A secret as stored: ciphertext, or an `env.VAR` reference resolved only when used. */
export type StoredSecret = { kind: 'sealed'; sealed: Buffer } | { kind: 'env'; ref: string };

/** Re-exported for the store-side callers that import it from here; the definition lives in the contract. */
export { isEnvRef };

/**
 * Envelope encryption: one random 256-bit data key seals every secret (AES-256-GCM, AAD = the row it belongs to);
 * the data key exists on disk only wrapped in key slots.
 */
export class Vault {
  private readonly kinds: string[];

  private constructor(
    private readonly dataKey: Buffer,
    slots: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.kinds = slots;
  }

  /** The kinds of key slot the data key is wrapped in. */
  get slots(): string[] {
    return [...this.kinds];
  }

  /** Unlocks (or creates) the vault with the given wrappers, adding a slot for any wrapper that has none yet. */
  static open(store: KeySlotStore, wrappers: KeyWrapper[], env: NodeJS.ProcessEnv = process.env): Vault {
    if (wrappers.length === 0) throw new DeskError('vault_locked', 'No key slot is available to open the vault');
    const existing = store.listSlots();
    if (existing.length === 0) {
      const dataKey = randomBytes(32);
      for (const wrapper of wrappers) {
        wrapper.prepare();
        store.putSlot(wrapper.kind, wrapper.wrap(dataKey));
      }
      return new Vault(
        dataKey,
        wrappers.map((w) => w.kind),
        env,
      );
    }

    let dataKey: Buffer | undefined;
    const failures: string[] = [];
    for (const wrapper of wrappers) {
      const slot = existing.find((s) => s.kind === wrapper.kind);
      if (!slot) continue;
      try {
        dataKey = wrapper.unwrap(slot.wrapped);
        break;
      } catch (error) {
        failures.push(
          error instanceof DeskError
            ? error.message
            : `the ${wrapper.description} does not open the ${wrapper.kind} key slot (wrong master key?)`,
        );
      }
    }
    if (!dataKey) {
      const kinds = existing.map((s) => s.kind).join(', ');
      const reason = failures.length > 0 ? failures.join('; ') : `this vault is locked with ${kinds}, which is not available here`;
      // The slot kinds let a caller tell "this store's key is in a slot not offered here" (the app's keychain) apart.
      throw new DeskError('vault_locked', `Cannot unlock the vault: ${reason}`, { details: { slots: existing.map((s) => s.kind) } });
    }
    for (const wrapper of wrappers) {
      if (!existing.some((s) => s.kind === wrapper.kind)) {
        wrapper.prepare();
        store.putSlot(wrapper.kind, wrapper.wrap(dataKey));
      }
    }
    const kinds = new Set([...existing.map((s) => s.kind), ...wrappers.map((w) => w.kind)]);
    return new Vault(dataKey, [...kinds], env);
  }

  /** Wraps the data key into `wrapper`'s slot (a new slot, or a fresh wrapping of its old one) once it has proved to open again. */
  addSlot(store: KeySlotStore, wrapper: KeyWrapper): void {
    wrapper.prepare();
    const wrapped = wrapper.wrap(this.dataKey);
    let opened: Buffer | undefined;
    try {
      opened = wrapper.unwrap(wrapped);
    } catch {
      opened = undefined;
    }
    if (!opened?.equals(this.dataKey)) {
      throw new DeskError(
        'vault_locked',
        `The ${wrapper.description} does not give the vault's key back; the ${wrapper.kind} slot was not written`,
      );
    }
    store.putSlot(wrapper.kind, wrapped);
    if (!this.kinds.includes(wrapper.kind)) this.kinds.push(wrapper.kind);
  }

  /** Drops a slot. The last one cannot go: the data key, and every secret with it, would be lost. */
  removeSlot(store: EditableKeySlotStore, kind: string): void {
    const index = this.kinds.indexOf(kind);
    if (index === -1) return;
    if (this.kinds.length === 1) throw new DeskError('conflict', `The ${kind} slot is the only one that holds the vault's key`);
    store.deleteSlot(kind);
    this.kinds.splice(index, 1);
  }

  /**
   * A stable, non-reversible fingerprint of a secret (HMAC-SHA256 under a key derived from the data key), so a
   * config hash can change when a secret changes without the secret or a plain hash of it being stored.
   */
  fingerprint(value: string): string {
    const key = createHmac('sha256', this.dataKey).update('provider-desk:fingerprint').digest();
    return createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }

  /** Seals a literal secret, or keeps an `env.VAR` reference as it is. */
  store(value: string, aad: string): StoredSecret {
    if (isEnvRef(value)) return { kind: 'env', ref: value };
    return { kind: 'sealed', sealed: this.sealText(value, aad) };
  }

  sealText(value: string, aad: string): Buffer {
    return seal(this.dataKey, Buffer.from(value, 'utf8'), aad);
  }

  openText(sealed: Buffer, aad: string): string {
    try {
      return open(this.dataKey, sealed, aad).toString('utf8');
    } catch {
      throw new DeskError('vault_locked', `A stored secret (${aad.split(':')[0]}) could not be decrypted: it was damaged or moved`);
    }
  }

  /** The plaintext, for the moment it is needed: decrypts, or resolves an env reference. */
  reveal(secret: StoredSecret, aad: string): string {
    if (secret.kind === 'sealed') return this.openText(secret.sealed, aad);
    const name = envRefVariable(secret.ref);
    const value = this.env[name];
    if (value === undefined || value === '') {
      throw new DeskError('validation_failed', `The environment variable ${name} referenced by ${secret.ref} is not set`);
    }
    return value;
  }
}
