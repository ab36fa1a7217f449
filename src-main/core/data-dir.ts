import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CONFIG_HOME/provider-desk`, else `~/.config/provider-desk`; `PROVIDER_DESK_DATA_DIR` overrides both. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROVIDER_DESK_DATA_DIR) return env.PROVIDER_DESK_DATA_DIR;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'provider-desk');
}
