import { existsSync, readFileSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { open, seal } from './cipher.js';
import { DeskError } from '../contract/errors.js';

/** Wraps and unwraps the data key. One per slot kind. */
export interface KeyWrapper {
  readonly kind: 'keyfile' | 'os-keychain';
  /** A short description for the GUI ("keyfile /path/master.key", "OS keychain (gnome_libsecret)"). */
  readonly description: string;
  /** Creates the wrapping material when a slot of this kind is added (e.g. writes master.key). */
  prepare(): void;
  /** Removes the wrapping material once its slot is gone (deletes master.key), so it cannot open an old copy of the store. */
  discard(): void;
  wrap(dataKey: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

const KEYFILE_AAD = 'provider-desk:key-slot:keyfile';
export const MASTER_KEY_ENV = 'PROVIDER_DESK_MASTER_KEY';
export const MASTER_KEY_FILE = 'master.key';

/** The `keyfile` slot: a 256-bit master key from PROVIDER_DESK_MASTER_KEY (64 hex) or a 0600 file in the data dir. */
export function keyfileWrapper(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyWrapper {
  const path = join(dataDir, MASTER_KEY_FILE);
  const fromEnv = env[MASTER_KEY_ENV];
  let master: Buffer | undefined;

  const load = (): Buffer => {
    if (master) return master;
    if (fromEnv !== undefined) {
      if (!/^[0-9a-fA-F]{64}$/.test(fromEnv.trim())) {
        throw new DeskError('vault_locked', `${MASTER_KEY_ENV} must be exactly 64 hexadecimal characters (a 256-bit key)`);
      }
      master = Buffer.from(fromEnv.trim(), 'hex');
      return master;
    }
    if (!existsSync(path)) {
      throw new DeskError('vault_locked', `The vault's master key file ${path} is missing; restore it or set ${MASTER_KEY_ENV}`);
    }
    const text = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(text))
      throw new DeskError('vault_locked', `The master key file ${path} is damaged (expected 64 hex characters)`);
    master = Buffer.from(text, 'hex');
    return master;
  };

  return {
    kind: 'keyfile',
    description: fromEnv !== undefined ? `master key from ${MASTER_KEY_ENV}` : `master key file ${path}`,
    prepare() {
      // Called only for a slot being added: a master.key already there is reused, else a fresh one wraps the data key.
      if (fromEnv !== undefined || existsSync(path)) return;
      writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    },
    discard() {
      master = undefined;
      if (fromEnv === undefined) rmSync(path, { force: true });
    },
    wrap: (dataKey) => seal(load(), dataKey, KEYFILE_AAD),
    unwrap: (wrapped) => open(load(), wrapped, KEYFILE_AAD),
  };
}
