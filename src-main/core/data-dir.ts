import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CONFIG_HOME/provider-desk`, else `~/.config/provider-desk`; `PROVIDER_DESK_DATA_DIR` overrides both. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROVIDER_DESK_DATA_DIR) return env.PROVIDER_DESK_DATA_DIR;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'provider-desk');
}

/** Creates the data dir (and any missing parent) readable by its owner only; an existing dir is left as it is. */
export function ensureDataDir(dataDir: string): void {
  if (existsSync(dataDir)) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The umask can only take bits away, but a umask such as 0o277 would leave the owner unable to write: say 0700 outright.
  if (process.platform !== 'win32') chmodSync(dataDir, 0o700);
}
