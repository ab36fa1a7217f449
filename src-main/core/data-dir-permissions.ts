import { lstatSync, statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { DeskError } from './contract/errors.js';

export interface PermissionCheckOptions {
  /** The account the check is made for (default: this process's uid; tests pass another). */
  uid?: number | undefined;
  platform?: NodeJS.Platform;
}

/**
 * StrictModes for the data dir, as OpenSSH has for ~/.ssh: refuse, with the command that fixes it, what another account
 * could have read, replaced or planted, instead of using it silently.
 *
 * - The data dir may not be writable by its group or others (they could swap the files in it), and must belong to the
 *   current user. Root may use a data dir owned by anyone (e.g. a container volume owned by the host's user): what root
 *   creates there is root's, and anything the dir's owner put there is refused by the next rule.
 * - Each file that exists (master.key, the SQLite file and its -wal/-shm, api-token, server.json) must be a regular file
 *   (not a link someone could point elsewhere), owned by the current user — root included, so root never trusts key
 *   material, a token or a database that another account wrote — and neither readable nor writable by group or others.
 *
 * Windows has no POSIX modes or owners (stat reports 0o666 and uid 0): the checks are skipped there, and the data dir
 * under the user's profile is guarded by its ACL instead.
 */
export function assertPrivateDataDir(dataDir: string, files: readonly string[], options: PermissionCheckOptions = {}): void {
  if ((options.platform ?? process.platform) === 'win32') return;
  const uid = options.uid ?? process.getuid?.();
  const dir = inspect(dataDir, statSync);
  if (!dir) refuse(`The data dir ${dataDir} is missing`, `create it with mkdir -m 700 -p ${quote(dataDir)}`);
  if (!dir.isDirectory()) refuse(`The data dir ${dataDir} is not a directory`, `choose another --data-dir, or move ${quote(dataDir)} away`);
  if (uid !== undefined && uid !== 0 && dir.uid !== uid) refuseOwner('the data dir', dataDir, dir, uid, true);
  if ((dir.mode & 0o022) !== 0) {
    refuse(
      `The data dir ${dataDir} is writable by ${whom(dir.mode, 0o020, 0o002)} (mode ${octal(dir.mode)}), so another account could replace the files in it`,
      `chmod 700 ${quote(dataDir)}`,
    );
  }
  for (const name of files) assertPrivateFile(join(dataDir, name), uid);
}

function assertPrivateFile(path: string, uid: number | undefined): void {
  const file = inspect(path, lstatSync);
  if (!file) return; // Not there (yet): whoever creates it creates it 0600.
  if (!file.isFile()) {
    refuse(
      `${path} is ${file.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; Provider Desk keeps its files in the data dir itself`,
      `put the file itself at ${quote(path)}, or remove it`,
    );
  }
  if (uid !== undefined && file.uid !== uid) refuseOwner('', path, file, uid, false);
  if ((file.mode & 0o077) !== 0) {
    const readable = (file.mode & 0o044) !== 0;
    const writable = (file.mode & 0o022) !== 0;
    const access = readable && writable ? 'readable and writable' : readable ? 'readable' : writable ? 'writable' : 'accessible';
    refuse(`${path} is ${access} by ${whom(file.mode, 0o070, 0o007)} (mode ${octal(file.mode)})`, `chmod 600 ${quote(path)}`);
  }
}

/** The file's stats, undefined when it is not there; any other failure (EACCES …) is refused, not skipped. */
function inspect(path: string, stat: (path: string) => Stats): Stats | undefined {
  try {
    return stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return undefined;
    return refuse(`${path} cannot be inspected (${code})`, `make it and the folders above it accessible to your account`);
  }
}

function refuseOwner(what: string, path: string, stats: Stats, uid: number, recursive: boolean): never {
  const name = accountName(uid);
  const subject = what ? `${what.replace(/^./, (c) => c.toUpperCase())} ${path}` : path;
  refuse(
    `${subject} belongs to another account (uid ${stats.uid}), not to ${name} (uid ${uid}); it may have been put there by someone else`,
    `${uid === 0 ? '' : 'sudo '}chown ${recursive ? '-R ' : ''}${name} ${quote(path)} once you know its contents are yours (or remove it)`,
  );
}

function refuse(problem: string, fix: string): never {
  throw new DeskError('insecure_permissions', `${problem}. Provider Desk refuses to use it. Fix: ${fix}`);
}

function whom(mode: number, group: number, others: number): string {
  if ((mode & group) !== 0 && (mode & others) !== 0) return 'its group and others';
  return (mode & group) !== 0 ? 'its group' : 'others';
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

function accountName(uid: number): string {
  try {
    if (uid === process.getuid?.()) return userInfo().username;
  } catch {
    // No passwd entry (a container with an arbitrary uid): the number does as well.
  }
  return uid === 0 ? 'root' : String(uid);
}

/** The path as it can be pasted into a POSIX shell. */
function quote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
