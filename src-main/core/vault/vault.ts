import { createHmac, randomBytes } from 'node:crypto';
import { open, seal } from './cipher.js';
import type { KeyWrapper } from './key-slots.js';
import { DeskError } from '../contract/errors.js';

/** Where wrapped data keys are kept (a table in the store). */
export interface KeySlotStore {
  listSlots(): Array<{ kind: string; wrapped: Buffer }>;
  putSlot(kind: string, wrapped: Buffer): void;
}

/** A secret as stored: ciphertext, or an `env.VAR` reference resolved only when used. */
export type StoredSecret = { kind: 'sealed'; sealed: Buffer } | { kind: 'env'; ref: string };

const ENV_REF = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/;

export function isEnvRef(value: string): boolean {
  return ENV_REF.test(value);
}

/**
 * Envelope encryption: one random 256-bit data key seals every secret (AES-256-GCM, AAD = the row it belongs to);
 * the data key exists on disk only wrapped in key slots.
 */
export class Vault {
  readonly slots: string[];

  private constructor(
    private readonly dataKey: Buffer,
    slots: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.slots = slots;
  }

  /** Unlocks (or creates) the vault with the given wrappers, adding a slot for any wrapper that has none yet. */
  static open(store: KeySlotStore, wrappers: KeyWrapper[], env: NodeJS.ProcessEnv = process.env): Vault {
    if (wrappers.length === 0) throw new DeskError('vault_locked', 'No key slot is available to open the vault');
    const existing = store.listSlots();
    if (existing.length === 0) {
      const dataKey = randomBytes(32);
      for (const wrapper of wrappers) {
        wrapper.prepare(true);
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
      throw new DeskError('vault_locked', `Cannot unlock the vault: ${reason}`);
    }
    for (const wrapper of wrappers) {
      if (!existing.some((s) => s.kind === wrapper.kind)) {
        wrapper.prepare(false);
        store.putSlot(wrapper.kind, wrapper.wrap(dataKey));
      }
    }
    const kinds = new Set([...existing.map((s) => s.kind), ...wrappers.map((w) => w.kind)]);
    return new Vault(dataKey, [...kinds], env);
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
    const name = ENV_REF.exec(secret.ref)?.[1] ?? '';
    const value = this.env[name];
    if (value === undefined || value === '') {
      throw new DeskError('validation_failed', `The environment variable ${name} referenced by ${secret.ref} is not set`);
    }
    return value;
  }
}
