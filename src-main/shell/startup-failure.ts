import { join } from 'node:path';
import { DeskError } from '../core/contract/errors.js';
import { DB_FILE } from '../core/store/database.js';

/** What the error dialog says: what went wrong, and what the user can do about it. */
export interface FailureReport {
  title: string;
  /** One or two sentences naming the cause. */
  cause: string;
  /** What to do about it. */
  fix: string;
}

export interface FailureContext {
  dataDir: string;
  /** Whether Electron's safeStorage can encrypt right now (false: no keychain, or a locked one). */
  keychainAvailable: boolean;
}

export const STARTUP_FAILURE_TITLE = 'Provider Desk cannot start';
export const RUNTIME_FAILURE_TITLE = 'Provider Desk stopped after an unexpected error';

/**
 * Turns whatever stopped the app from starting into a cause and a fix a user can act on: the data dir's permissions,
 * a store from a newer version, a locked keychain, a store another process is writing, a damaged store.
 */
export function describeStartupFailure(error: unknown, context: FailureContext): FailureReport {
  const report = (cause: string, fix: string): FailureReport => ({ title: STARTUP_FAILURE_TITLE, cause, fix });
  const store = join(context.dataDir, DB_FILE);
  if (error instanceof DeskError) {
    switch (error.code) {
      case 'insecure_permissions': {
        // The message already names the file and the command that fixes it ("… Fix: chmod 700 <dir>").
        const [cause = error.message, fix = `make ${context.dataDir} private to your account`] = error.message.split(' Fix: ');
        return report(cause, `To fix it: ${fix}; then start Provider Desk again.`);
      }
      case 'store_too_new': {
        const { schema, known } = (error.details ?? {}) as { schema?: number; known?: number };
        return report(
          `The store in ${context.dataDir} was written by a newer version of Provider Desk (its schema is ${schema ?? 'newer'}; this version knows ${known ?? 'older ones'}).`,
          'Install that newer version of Provider Desk again (or a later one). To keep this version, start it on another data dir (PROVIDER_DESK_DATA_DIR).',
        );
      }
      case 'vault_locked':
        return describeLockedVault(error, context, report);
    }
  }
  const code = errorCode(error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return report(
      `Another Provider Desk process is holding the store in ${context.dataDir} (the database is locked), for example a long \`provider-desk import\`.`,
      'Wait for it to finish, or stop it, then start Provider Desk again.',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return report(
      `The store ${store} is damaged (SQLite: ${messageOf(error)}).`,
      `Move ${DB_FILE} (with its -wal and -shm files) out of the data dir and put back a copy from your backup; without one, Provider Desk starts with an empty store.`,
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return report(
      `Provider Desk may not write to its data dir ${context.dataDir} (${code}).`,
      `Make ${context.dataDir} and its files writable by your account, then start Provider Desk again.`,
    );
  }
  if (code === 'ENOSPC') {
    return report(`The disk that holds ${context.dataDir} is full.`, 'Free some space, then start Provider Desk again.');
  }
  return report(
    `An unexpected error stopped the start: ${messageOf(error)}`,
    `Start Provider Desk again; if this keeps happening, the log in ${join(context.dataDir, 'logs')} says more (please report it).`,
  );
}

/** The same dialog for an error no one caught while the app was running. */
export function describeRuntimeFailure(error: unknown, context: FailureContext): FailureReport {
  return {
    title: RUNTIME_FAILURE_TITLE,
    cause: `${messageOf(error)}`,
    fix: `Start Provider Desk again; your data is safe in ${context.dataDir}. If this keeps happening, the log in ${join(context.dataDir, 'logs')} says more (please report it).`,
  };
}

function describeLockedVault(
  error: DeskError,
  context: FailureContext,
  report: (cause: string, fix: string) => FailureReport,
): FailureReport {
  const slots = (error.details as { slots?: unknown } | undefined)?.slots;
  const inKeychain = Array.isArray(slots) && slots.includes('os-keychain');
  if (inKeychain && !context.keychainAvailable) {
    return report(
      "The OS keychain is locked or not available, and the key of Provider Desk's vault is kept there.",
      'Unlock the keychain (on Linux: log in to the desktop session so that GNOME Keyring or KWallet is unlocked), then start Provider Desk again.',
    );
  }
  if (inKeychain) {
    return report(
      "The OS keychain did not give back the key of Provider Desk's vault (the keychain is locked, or was reset).",
      'Unlock the keychain and start Provider Desk again. If the keychain was reset and command-line access was on, `provider-desk serve --ui` still opens the store with its key file.',
    );
  }
  return report(
    `The vault cannot be unlocked. ${error.message}.`,
    `Restore master.key in ${context.dataDir} from your backup, or set PROVIDER_DESK_MASTER_KEY to the vault's key, then start Provider Desk again.`,
  );
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
