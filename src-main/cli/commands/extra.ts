import type { Io } from '../context.js';
import type { CliFlags } from '../main.js';

/** Commands of later capabilities (test, models, import, export), each module listing its own. */
export interface ExtraCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: string[], flags: CliFlags, io: Io): Promise<number>;
}

/**
 * What `--help` lists, and which module holds the command. The module (and the store, the probe engine … it imports)
 * is loaded only when the command runs, so `--help` starts at once; usage and summary match the module's own (a test
 * checks).
 */
export interface CommandEntry {
  name: string;
  usage: string;
  summary: string;
  load(): Promise<ExtraCommand[]>;
}

const probeCommands = async () => (await import('./probe.js')).PROBE_COMMANDS;
const configCommands = async () => (await import('./config.js')).CONFIG_COMMANDS;
const execCommands = async () => (await import('./exec.js')).EXEC_COMMANDS;

export const EXTRA_COMMANDS: CommandEntry[] = [
  { name: 'test', usage: 'test <name> | --all', summary: 'Test a provider (or every enabled one) now', load: probeCommands },
  { name: 'models', usage: 'models <name> [--refresh]', summary: "List a provider's models", load: probeCommands },
  {
    name: 'import',
    usage: 'import <file>',
    summary: 'Import a Bifrost config.json (--dry-run, --prune, --confirm-destinations, --passphrase-file F)',
    load: configCommands,
  },
  {
    name: 'export',
    usage: 'export',
    summary: 'Export config.json (--secrets redacted|plain|encrypted, --passphrase-file F, -o FILE)',
    load: configCommands,
  },
  {
    name: 'exec',
    usage: 'exec [--providers a,b] -- <cmd>',
    summary: 'Run a command with its LLM variables pointing at the gateway, with a token revoked when it exits (--real-keys)',
    load: execCommands,
  },
];

/** Loads the module of a listed command and returns the command. */
export async function loadCommand(entry: CommandEntry): Promise<ExtraCommand> {
  const command = (await entry.load()).find((c) => c.name === entry.name);
  if (!command) throw new Error(`The command ${entry.name} is missing from its module`);
  return command;
}
