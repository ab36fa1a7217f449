import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, readServerFile } from '../core/server-file.js';
import { TOKEN_ENV, TOKEN_FILE } from '../core/service/api-token.js';
import type { Dispatch } from '../core/service/dispatcher.js';
import { createRemoteDispatch } from './remote-dispatch.js';
import { CliError } from './output.js';

/** What to do about a store whose key is in the desktop app's OS keychain only; `serve` cannot use the app's API. */
export function keychainOnlyMessage(dataDir: string, command: 'serve' | 'cli', why = 'the app is not running'): string {
  const start =
    command === 'serve'
      ? `The vault in ${dataDir} is kept only in the desktop app's OS keychain, so \`serve\` cannot decrypt it (and cannot run a second server on it).`
      : `The vault in ${dataDir} is kept only in the desktop app's OS keychain, and ${why}.`;
  const reach =
    command === 'serve'
      ? "Use the running app's local API instead"
      : 'Start Provider Desk (with its local API on; the CLI then works through it)';
  return `${start} ${reach}, or turn on "Allow command-line access" in the app's Settings → Security.`;
}

/** The outcome of looking for the process that owns a store: its dispatcher, or why it cannot be used (none: nothing runs). */
export type OwnerLookup = { found: true; dispatch: Dispatch } | { found: false; why: string | null };

/**
 * The process that owns the store (the desktop app, or `provider-desk serve`) as a dispatcher: its address from
 * `<data-dir>/server.json`, the token from PROVIDER_DESK_TOKEN or `<data-dir>/api-token`.
 */
export async function findStoreOwner(dataDir: string, env: NodeJS.ProcessEnv): Promise<OwnerLookup> {
  const entry = readServerFile(dataDir);
  // A file left by a crash names a process that is gone; one that is not ours (EPERM) is not the app either.
  if (!entry || !isProcessAlive(entry.pid)) return { found: false, why: null };
  const token = env[TOKEN_ENV] || readToken(dataDir);
  if (!token) return { found: false, why: `its API token file ${join(dataDir, TOKEN_FILE)} is missing` };
  try {
    const health = await fetch(`${entry.url}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
    if (!health.ok) throw new Error(`HTTP ${health.status}`);
  } catch {
    return { found: false, why: `Provider Desk does not answer at ${entry.url}` };
  }
  return { found: true, dispatch: createRemoteDispatch(entry.url, token) };
}

/**
 * The running desktop app as a dispatcher, for a store whose key is in its OS keychain only. Refused, with what to
 * do, when the app is not there.
 */
export async function connectToRunningApp(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ dispatch: Dispatch }> {
  const owner = await findStoreOwner(dataDir, env);
  if (owner.found) return { dispatch: owner.dispatch };
  throw new CliError(owner.why ? keychainOnlyMessage(dataDir, 'cli', owner.why) : keychainOnlyMessage(dataDir, 'cli'));
}

function readToken(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
