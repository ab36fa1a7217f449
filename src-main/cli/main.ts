import { parseArgs } from 'node:util';
import { VERSION } from '../core/version.js';
import { CliError } from './output.js';
import type { Io } from './context.js';
import { serve } from './commands/serve.js';
import { callOperation, list, token } from './commands/basic.js';
import { EXTRA_COMMANDS } from './commands/extra.js';

const HELP = `Provider Desk ${VERSION} — your LLM providers and API keys, encrypted, tested, scriptable.

Usage: provider-desk <command> [options]

Commands:
  serve                 Run the backend without a window (loopback API on 127.0.0.1)
      --port <p>          Port (default 3100, 0 = any free port)
      --ui                Also serve the GUI at / (log in with /?token=<token>)
      --origin <url>      Allow a browser origin to call the API (repeatable)
      --check-every <d>   Re-test enabled providers in the background (e.g. 15m, 1h; default: the
                          Settings preference, off unless turned on) and log keys that start failing
  list [--search s]     List providers
  token [--rotate]      Print (or replace) the local API token
${EXTRA_COMMANDS.map((c) => `  ${c.usage.padEnd(22)}${c.summary}`).join('\n')}
  call <op> [json|-]    Call any operation of the contract (see GET /api/v1/openapi.json);
                        - reads the JSON from stdin (keeps keys out of the process list)

Options for every command:
  --data-dir <dir>      Data folder (default $XDG_CONFIG_HOME/provider-desk)
  --json                Machine-readable output where it applies
  -h, --help            This help
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  port: { type: 'string' },
  ui: { type: 'boolean' },
  origin: { type: 'string', multiple: true },
  'check-every': { type: 'string' },
  search: { type: 'string' },
  rotate: { type: 'boolean' },
  all: { type: 'boolean' },
  deep: { type: 'boolean' },
  model: { type: 'string' },
  concurrency: { type: 'string' },
  'dry-run': { type: 'boolean' },
  prune: { type: 'boolean' },
  'confirm-destinations': { type: 'boolean' },
  'passphrase-file': { type: 'string' },
  secrets: { type: 'string' },
  output: { type: 'string', short: 'o' },
  refresh: { type: 'boolean' },
} as const;

export type CliFlags = ReturnType<typeof parseFlags>['values'];

function parseFlags(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseFlags(argv);
    } catch (error) {
      throw new CliError(`${error instanceof Error ? error.message : String(error)}\nRun provider-desk --help for usage.`, 2);
    }
    const { values: flags, positionals } = parsed;
    const [command, ...args] = positionals;
    if (flags.version) {
      io.out(VERSION);
      return 0;
    }
    if (flags.help || !command || command === 'help') {
      io.out(HELP);
      return command || flags.help ? 0 : 2;
    }
    switch (command) {
      case 'serve':
        await serve(flags, io);
        return 0;
      case 'list':
        await list(flags, io);
        return 0;
      case 'token':
        await token(flags, io);
        return 0;
      case 'call':
        await callOperation(args, flags, io);
        return 0;
      default: {
        const extra = EXTRA_COMMANDS.find((c) => c.name === command);
        if (!extra) throw new CliError(`Unknown command "${command}". Run provider-desk --help for usage.`, 2);
        return await extra.run(args, flags, io);
      }
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`provider-desk: ${error.message}`);
      return error.exitCode;
    }
    io.err(`provider-desk: unexpected error (${error instanceof Error ? error.name : 'unknown'}); see the log in the data dir`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && /provider-desk(\.mjs)?$|cli[\\/]main\.ts$/.test(process.argv[1]);
if (isEntry) {
  const io: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n'), env: process.env };
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
