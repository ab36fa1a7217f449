import { operations, OPERATION_NAMES, type OperationName } from '../../core/contract/operations.js';
import { CliError, table } from '../output.js';
import { call, withDesk, type CommonFlags, type Io } from '../context.js';

/** `provider-desk list`: the providers in a table (or JSON). */
export async function list(flags: CommonFlags & { search?: string | undefined }, io: Io): Promise<void> {
  await withDesk(flags, io, async (desk) => {
    const page = await call(desk, 'providers.list', { search: flags.search, sort: 'name', order: 'asc', limit: 10_000 });
    if (flags.json) return io.out(JSON.stringify(page, null, 2));
    if (page.items.length === 0)
      return io.out('No providers yet. Add one in the app, with the API, or with `provider-desk import config.json`.');
    io.out(
      table(
        ['NAME', 'TYPE', 'ENABLED', 'HEALTH', 'KEYS', 'BASE URL'],
        page.items.map((p) => [p.name, p.type, p.enabled ? 'yes' : 'no', p.health, String(p.api_keys.length), p.base_url]),
      ),
    );
  });
}

/** `provider-desk token [--rotate]`: prints the local API token. */
export async function token(flags: CommonFlags & { rotate?: boolean | undefined }, io: Io): Promise<void> {
  await withDesk(flags, io, async (desk) => {
    if (flags.rotate) {
      // Asked first: through the app's API, the old token stops working with the rotation.
      const { file } = await call(desk, 'token.get', {});
      const { token: rotated } = await call(desk, 'token.rotate', {});
      io.out(rotated);
      io.err(`Token rotated; the old one no longer works. Also written to ${file}`);
      return;
    }
    io.out((await call(desk, 'token.get', {})).token);
  });
}

/** `provider-desk call <operation> [json]`: any contract operation, for scripts. */
export async function callOperation(args: string[], flags: CommonFlags, io: Io): Promise<void> {
  const [name, json] = args;
  if (!name || !(OPERATION_NAMES as string[]).includes(name)) {
    throw new CliError(`Usage: provider-desk call <operation> [json-input | -]\nOperations: ${OPERATION_NAMES.join(', ')}`, 2);
  }
  let input: unknown = {};
  // `-` reads the input from stdin, which keeps secrets out of the process list (argv is visible to other users).
  const text = json === '-' ? await readStdin() : json;
  if (text) {
    try {
      input = JSON.parse(text);
    } catch {
      throw new CliError('The input must be JSON, e.g. \'{"idOrName":"openai"}\'', 2);
    }
  }
  const operation = operations[name as OperationName];
  // Secret fields (an export passphrase) never come from argv, which every user of the machine can read.
  const fromArgv = json !== '-' && typeof input === 'object' && input !== null ? Object.keys(input) : [];
  const secretInArgv = (operation.bodyOnly ?? []).filter((field) => fromArgv.includes(field));
  if (secretInArgv.length > 0)
    throw new CliError(`${secretInArgv.join(', ')} must not be given on the command line: pass the JSON on standard input with -`, 2);
  await withDesk(flags, io, async (desk) => {
    const result = await call(
      desk,
      name as OperationName,
      input,
      operation.streams
        ? (event) => io.err(`[${event.done}/${event.total}] ${event.provider.name}: ${event.ok ? 'ok' : 'failed'}`)
        : undefined,
    );
    io.out(JSON.stringify(result, null, 2));
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
