import { DeskError } from '../contract/errors.js';
import { keyfileWrapper, type KeyWrapper } from './key-slots.js';
import { Vault, type EditableKeySlotStore } from './vault.js';

/** Meta row that remembers the user's choice: 'on' keeps a keyfile slot next to the app's keychain slot. */
export const CLI_ACCESS_META = 'cli_access';

/** The slot table, the meta table and transactions: what the slot policy needs of the repository. */
export interface SlotRepository extends EditableKeySlotStore {
  getMeta(key: string): { value: string | null } | undefined;
  setMeta(key: string, value: string | null): void;
  transaction<T>(work: () => T): T;
}

export interface SlotPolicy {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** The caller's own slots (the app's os-keychain). */
  wrappers: readonly KeyWrapper[];
  /**
   * The desktop app with a real OS keychain: the data key lives only in the os-keychain slot, and a keyfile slot
   * (master.key) exists only while the user allows command-line access. Otherwise (headless, or a `basic_text`
   * keychain) the keyfile slot is always there.
   */
  keychainOnly: boolean;
}

/**
 * Unlocks (or creates) the vault and brings its slots in line with the policy. In keychain-only mode a keyfile slot
 * left by a headless run or an older version is removed, and master.key deleted, unless command-line access is on.
 */
export function openVault(repo: SlotRepository, policy: SlotPolicy): Vault {
  const keyfile = keyfileWrapper(policy.dataDir, policy.env);
  const keychain = keychainOf(policy);
  if (!keychain) {
    const wrappers = policy.wrappers.some((w) => w.kind === 'keyfile') ? [...policy.wrappers] : [...policy.wrappers, keyfile];
    return repo.transaction(() => Vault.open(repo, wrappers, policy.env));
  }
  let keyfileRemoved = false;
  const vault = repo.transaction(() => {
    const cliAccess = repo.getMeta(CLI_ACCESS_META)?.value === 'on';
    const hasKeyfileSlot = repo.listSlots().some((s) => s.kind === 'keyfile');
    // A keyfile slot already there may be the only way in (a store made headless): it helps unlock before it goes.
    const vault = Vault.open(repo, cliAccess || hasKeyfileSlot ? [keychain, keyfile] : [keychain], policy.env);
    if (!cliAccess && hasKeyfileSlot) keyfileRemoved = dropKeyfileSlot(repo, vault, keychain);
    return vault;
  });
  // Only once the slot is gone for good (committed) may its key file go.
  if (keyfileRemoved) keyfile.discard();
  return vault;
}

/** Turns command-line access on (adds the keyfile slot, writing master.key 0600) or off (removes both). */
export function setCliAccess(repo: SlotRepository, vault: Vault, policy: SlotPolicy, enabled: boolean): void {
  const keyfile = keyfileWrapper(policy.dataDir, policy.env);
  if (enabled) {
    repo.transaction(() => {
      repo.setMeta(CLI_ACCESS_META, 'on');
      if (!vault.slots.includes('keyfile')) vault.addSlot(repo, keyfile);
    });
    return;
  }
  const keychain = keychainOf(policy);
  if (!keychain) {
    throw new DeskError(
      'conflict',
      'Command-line access can be turned off only in the desktop app with a real OS keychain; here the key file is how the store is opened',
    );
  }
  const removed = repo.transaction(() => {
    repo.setMeta(CLI_ACCESS_META, 'off');
    return vault.slots.includes('keyfile') && dropKeyfileSlot(repo, vault, keychain);
  });
  if (removed) keyfile.discard();
}

/** Whether command-line access is on: the data key is (also) in a keyfile slot that the CLI and `serve` can open. */
export function cliAccessOn(vault: Vault): boolean {
  return vault.slots.includes('keyfile');
}

/** Whether a store failed to open only because its key is kept in the desktop app's OS keychain, with no keyfile slot. */
export function isKeychainOnlyStore(error: unknown): boolean {
  if (!(error instanceof DeskError) || error.code !== 'vault_locked') return false;
  const slots = (error.details as { slots?: unknown } | undefined)?.slots;
  return Array.isArray(slots) && slots.includes('os-keychain') && !slots.includes('keyfile');
}

/** Whether the user may turn command-line access off: only the app with a real keychain has another slot to keep the key in. */
export function cliAccessConfigurable(policy: SlotPolicy): boolean {
  return keychainOf(policy) !== undefined;
}

function keychainOf(policy: SlotPolicy): KeyWrapper | undefined {
  return policy.keychainOnly ? policy.wrappers.find((w) => w.kind === 'os-keychain') : undefined;
}

/** Re-wraps the keychain slot first, so the key provably stays reachable, then drops the keyfile slot. */
function dropKeyfileSlot(repo: SlotRepository, vault: Vault, keychain: KeyWrapper): boolean {
  vault.addSlot(repo, keychain);
  vault.removeSlot(repo, 'keyfile');
  return true;
}
