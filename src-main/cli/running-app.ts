import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readServerFile } from '../core/server-file.js';
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

/**
 * The running desktop app as a dispatcher: its address from `<data-dir>/server.json`, the token from
 * PROVIDER_DESK_TOKEN or `<data-dir>/api-token`. Refused, with what to do, when the app is not there.
 */
export async function connectToRunningApp(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ dispatch: Dispatch }> {
  const entry = readServerFile(dataDir);
  // A file left by a crash names a process that is gone; one that is not ours (EPERM) is not the app either.
  if (!entry || !isAlive(entry.pid)) throw new CliError(keychainOnlyMessage(dataDir, 'cli'));
  const token = env[TOKEN_ENV] || readToken(dataDir);
  if (!token) throw new CliError(keychainOnlyMessage(dataDir, 'cli', `its API token file ${join(dataDir, TOKEN_FILE)} is missing`));
  try {
    const health = await fetch(`${entry.url}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
    if (!health.ok) throw new Error(`HTTP ${health.status}`);
  } catch {
    throw new CliError(keychainOnlyMessage(dataDir, 'cli', `the app does not answer at ${entry.url}`));
  }
  return { dispatch: createRemoteDispatch(entry.url, token) };
}

function readToken(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
