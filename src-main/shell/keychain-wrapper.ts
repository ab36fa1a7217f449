import type { SafeStorage } from 'electron';
import type { KeyWrapper } from '../core/vault/key-slots.js';

/** The `os-keychain` slot: Electron safeStorage (Keychain, DPAPI, libsecret/kwallet) wraps the data key. */
export function keychainWrapper(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
  backend: string,
): KeyWrapper {
  return {
    kind: 'os-keychain',
    description: `OS keychain (${backend})`,
    prepare() {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('The OS keychain is not available');
    },
    // The wrapping key belongs to the OS keychain, which keeps it for the app's other data too.
    discard() {},
    // safeStorage works on strings; the data key travels as hex inside it.
    wrap: (dataKey) => safeStorage.encryptString(dataKey.toString('hex')),
    unwrap: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'hex'),
  };
}

/**
 * Whether the keychain really protects the data key: encryption available and a backend other than `basic_text`
 * (a key hard-coded in Chromium) or `unknown` (undetermined; keeping the key file then avoids locking the user out).
 */
export function isRealKeychain(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable'>, backend: string): boolean {
  return safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown';
}

/** Linux only: which secret store Electron picked; `basic_text` means no real keychain. */
export function keychainBackend(safeStorage: SafeStorage, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return platform === 'darwin' ? 'keychain' : 'dpapi';
  try {
    return safeStorage.getSelectedStorageBackend();
  } catch {
    return 'unknown';
  }
}
