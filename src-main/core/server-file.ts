import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `<data-dir>/server.json`: where the running desktop app's local API listens. The CLI reads it to reach the app when
 * the store's key is in the app's OS keychain only. Written 0600 when the API starts, removed when the app quits.
 */
export const SERVER_FILE = 'server.json';

const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:(\d{1,5})$/;

export const ServerFileSchema = z
  .object({
    url: z.string().regex(LOOPBACK_URL, 'must be http://127.0.0.1:<port>'),
    port: z.number().int().min(1).max(65535),
    pid: z.number().int().positive(),
  })
  .refine((entry) => LOOPBACK_URL.exec(entry.url)?.[1] === String(entry.port), { message: 'url and port disagree', path: ['port'] });
export type ServerFile = z.infer<typeof ServerFileSchema>;

export function serverFilePath(dataDir: string): string {
  return join(dataDir, SERVER_FILE);
}

export function writeServerFile(dataDir: string, entry: ServerFile): void {
  const path = serverFilePath(dataDir);
  const temp = `${path}.${process.pid}.tmp`;
  // A leftover from a crash goes first; 'wx' then never follows a link someone left at the temp name.
  rmSync(temp, { force: true });
  writeFileSync(temp, JSON.stringify(ServerFileSchema.parse(entry)) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** Removes the file, but only while it still names this process (a second instance must not lose its entry). */
export function removeServerFile(dataDir: string, pid = process.pid): void {
  if (readServerFile(dataDir)?.pid === pid) rmSync(serverFilePath(dataDir), { force: true });
}

/** The entry, or undefined when there is none or it does not parse (a stale or damaged file is as good as none). */
export function readServerFile(dataDir: string): ServerFile | undefined {
  let text: string;
  try {
    text = readFileSync(serverFilePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = ServerFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process a server.json names is still there. Gone (a file left by a crash) or another account's process
 * (EPERM) both mean: no server of this user's data dir.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
