import { parseArgs } from 'node:util';
import { VERSION } from '../core/version.js';
import { CliError } from './output.js';
import type { Io } from './context.js';
import { EXTRA_COMMANDS, loadCommand } from './commands/extra.js';

const HELP = `Provider Desk ${VERSION} — your LLM providers and API keys, encrypted, tested, scriptable.

Usage: provider-desk <command> [options]

Commands:
  serve                 Run the backend without a window (loopback API on 127.0.0.1)
      --port <p>          Port (default 3100, 0 = any free port)
      --ui                Also serve the GUI at / (log in with /?token=<token>)
      --origin <url>      Allow a browser origin to call the API (repeatable)
      --check-every <d>   Re-test enabled providers in the background (e.g. 15m, 1h; default: the
                          Settings preference, off unless turned on) and log keys that start failing
  list [--search s]     List providers by name (--limit n: only the first n)
  token [--rotate]      Print (or replace) the local API token
  token create --name <n> [--providers a,b] [--expires 30d] [--scope gateway]
                        A gateway token for a local tool (printed once; --json for the whole object)
  token list [--all]    Gateway tokens with last use (--all: revoked ones too)
  token revoke <id>     Revoke a gateway token at once
${EXTRA_COMMANDS.map((c) => `  ${c.usage.length < 22 ? c.usage.padEnd(22) : `${c.usage}\n${' '.repeat(24)}`}${c.summary}`).join('\n')}
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
  limit: { type: 'string' },
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
  name: { type: 'string' },
  scope: { type: 'string' },
  providers: { type: 'string' },
  expires: { type: 'string' },
  'real-keys': { type: 'boolean' },
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
    // Each command's module is loaded when it runs: help and quick commands never load Fastify or the probe engine.
    switch (command) {
      case 'serve':
        await (await import('./commands/serve.js')).serve(flags, io);
        return 0;
      case 'list':
        await (await import('./commands/basic.js')).list(flags, io);
        return 0;
      case 'token':
        if (args.length > 0) return await (await import('./commands/tokens.js')).tokenCommand(args, flags, io);
        await (await import('./commands/basic.js')).token(flags, io);
        return 0;
      case 'call':
        await (await import('./commands/basic.js')).callOperation(args, flags, io);
        return 0;
      default: {
        const extra = EXTRA_COMMANDS.find((c) => c.name === command);
        if (!extra) throw new CliError(`Unknown command "${command}". Run provider-desk --help for usage.`, 2);
        return await (await loadCommand(extra)).run(args, flags, io);
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

/** Runs the CLI on this process's arguments and sets its exit code; bin/provider-desk.mjs calls it. */
export function main(): void {
  const io: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n'), env: process.env };
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}

// Also runnable from the source, e.g. `npx tsx src-main/cli/main.ts list`.
if (process.argv[1] !== undefined && /cli[\\/]main\.ts$/.test(process.argv[1])) main();
