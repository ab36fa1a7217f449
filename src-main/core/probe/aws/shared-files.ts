import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The AWS shared credentials and config files (docs.aws.amazon.com/sdkref/latest/guide/file-format.html):
 * `~/.aws/credentials` has `[name]` sections, `~/.aws/config` has `[profile name]` (and `[default]`);
 * AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move them.
 */

export type Profile = Record<string, string>;

export interface SharedFiles {
  /** Profiles from the credentials file, by name. */
  credentials: Map<string, Profile>;
  /** Profiles from the config file, by name (the `profile ` prefix removed). */
  config: Map<string, Profile>;
  credentialsPath: string;
  configPath: string;
}

/** Shared files are a few KB; anything larger is not one. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Parses the INI dialect of the shared files: `[section]` headers, `key = value` lines, `#`/`;` comment lines.
 * Indented lines after a key with an empty value are nested settings (`s3 =` …) and are skipped; keys are
 * lower-cased; a repeated section adds to the earlier one.
 */
export function parseIni(text: string): Map<string, Profile> {
  const sections = new Map<string, Profile>();
  let current: Profile | null = null;
  let nestedUnder: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      const name = (header[1] ?? '').trim().replace(/\s+/g, ' ');
      current = sections.get(name) ?? {};
      sections.set(name, current);
      nestedUnder = null;
      continue;
    }
    if (!current) continue;
    if (/^\s/.test(raw) && nestedUnder !== null) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    nestedUnder = value === '' ? key : null;
    if (value !== '') current[key] = value;
  }
  return sections;
}

/** `[profile name]` → name; `[default]` → default; other section kinds (sso-session, services) are not profiles. */
function configProfiles(sections: Map<string, Profile>): Map<string, Profile> {
  const out = new Map<string, Profile>();
  for (const [section, values] of sections) {
    const named = /^profile (.+)$/.exec(section);
    if (named?.[1]) out.set(named[1].trim(), { ...out.get(named[1].trim()), ...values });
    else if (section === 'default') out.set('default', { ...values, ...out.get('default') });
  }
  return out;
}

/** The user's home in the given environment (the store owner's), falling back to this process's. */
function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~') return homeOf(env);
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homeOf(env), path.slice(2));
  return isAbsolute(path) ? path : join(process.cwd(), path);
}

export class SharedFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
    this.name = 'SharedFileError';
  }
}

/** A missing file is an empty one; an unreadable or oversized file is an error that names it. */
async function readOptional(path: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw new SharedFileError(path, typeof code === 'string' ? code : 'unreadable');
  }
  if (buffer.length > MAX_FILE_BYTES) throw new SharedFileError(path, 'larger than 1 MB');
  return buffer.toString('utf8');
}

/** Reads both shared files from the paths the environment names (or the defaults under ~/.aws). */
export async function readSharedFiles(env: NodeJS.ProcessEnv): Promise<SharedFiles> {
  const credentialsPath = expandHome(env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials', env);
  const configPath = expandHome(env.AWS_CONFIG_FILE || '~/.aws/config', env);
  const [credentialsText, configText] = await Promise.all([readOptional(credentialsPath), readOptional(configPath)]);
  return {
    credentials: parseIni(credentialsText),
    config: configProfiles(parseIni(configText)),
    credentialsPath,
    configPath,
  };
}
