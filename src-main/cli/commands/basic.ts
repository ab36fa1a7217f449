import { operations, OPERATION_NAMES, type OperationName, type OperationOutput } from '../../core/contract/operations.js';
import type { Desk } from '../../core/desk.js';
import type { Repository } from '../../core/store/repository.js';
import { CliError, CommandOutput, TableLayout } from '../output.js';
import { call, withDesk, type CommonFlags, type DeskTarget, type Io } from '../context.js';

/** Rows read (and printed) at a time: the listing's memory does not grow with the store. */
const LIST_PAGE = 1000;
const LIST_HEADERS = ['NAME', 'TYPE', 'ENABLED', 'HEALTH', 'KEYS', 'BASE URL'];
const NO_PROVIDERS = 'No providers yet. Add one in the app, with the API, or with `provider-desk import config.json`.';

type ProviderPage = OperationOutput<'providers.list'>;

interface ListQuery {
  search: string | undefined;
  /** At most this many providers; all when undefined. */
  limit: number | undefined;
}

/**
 * `provider-desk list [--search s] [--limit n] [--json]`: every provider (or the first n), sorted by name, printed
 * page by page as it is read, as a table or as the JSON of `providers.list` (`{items, total, limit, offset}`).
 */
export async function list(flags: CommonFlags & { search?: string | undefined; limit?: string | undefined }, io: Io): Promise<void> {
  const query: ListQuery = { search: flags.search, limit: parseLimit(flags.limit) };
  const output = new CommandOutput(io);
  await withDesk(flags, io, async (desk) => {
    if (flags.json) await printJsonList(providerPages(desk, query), query, output);
    else await printTable(tablePages(desk, query), output);
  });
  output.finish();
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(limit) || limit < 1) {
    throw new CliError(`--limit must be a whole number of at least 1 (got "${raw}")`, 2);
  }
  return limit;
}

/** The store's repository when the store is open in this process; none when the command goes through a running app. */
function localRepository(desk: DeskTarget): Repository | undefined {
  return 'repo' in desk ? (desk as Pick<Desk, 'repo'>).repo : undefined;
}

/**
 * Pages of `providers.list` by name, until the limit or the end: the same objects through every transport (the store
 * opened here, or the running app's API, which serves at most 10,000 per request).
 */
async function* providerPages(desk: DeskTarget, query: ListQuery): AsyncGenerator<ProviderPage> {
  const end = query.limit ?? Number.POSITIVE_INFINITY;
  let offset = 0;
  while (offset < end) {
    const size = Math.min(LIST_PAGE, end - offset);
    const page = await call(desk, 'providers.list', { search: query.search, sort: 'name', order: 'asc', limit: size, offset });
    yield page;
    offset += page.items.length;
    if (page.items.length < size || offset >= page.total) return;
  }
}

/**
 * The table's cells, page by page. From a store opened here only the printed columns are read (the order first, as
 * seqs, then the rows a page at a time); through a running app, from `providers.list`.
 */
async function* tablePages(desk: DeskTarget, query: ListQuery): AsyncGenerator<string[][]> {
  const repo = localRepository(desk);
  if (!repo) {
    for await (const page of providerPages(desk, query)) {
      yield page.items.map((p) => [p.name, p.type, p.enabled ? 'yes' : 'no', p.health, String(p.api_keys.length), p.base_url]);
    }
    return;
  }
  const seqs = repo.providerSeqs({ search: query.search, sortBy: 'name', order: 'asc', limit: query.limit });
  for (let start = 0; start < seqs.length; start += LIST_PAGE) {
    const rows = repo.listRows(seqs.slice(start, start + LIST_PAGE));
    yield rows.map((r) => [r.name, r.type, r.enabled ? 'yes' : 'no', r.health, String(r.key_count), r.base_url]);
  }
}

/** Column widths come from the first page, so nothing waits for (or holds) the whole list. */
async function printTable(pages: AsyncIterable<string[][]>, output: CommandOutput): Promise<void> {
  let layout: TableLayout | undefined;
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    if (!layout) {
      layout = new TableLayout(LIST_HEADERS, rows);
      await output.write(layout.head());
    }
    const lines = rows.map((row) => (layout as TableLayout).line(row));
    await output.write(lines.join('\n'));
    if (!output.open) return;
  }
  if (!layout) await output.write(NO_PROVIDERS);
}

/**
 * The JSON `JSON.stringify(page, null, 2)` would print for one page holding every provider, written a page at a time.
 * Each write ends a line, so an item's separating comma waits for the next item.
 */
async function printJsonList(pages: AsyncIterable<ProviderPage>, query: ListQuery, output: CommandOutput): Promise<void> {
  let total = 0;
  let held: string | undefined;
  for await (const page of pages) {
    total = page.total;
    if (page.items.length === 0) continue;
    const items = page.items.map((item) => indent(JSON.stringify(item, null, 2), '    '));
    const lines = held === undefined ? ['{\n  "items": ['] : [`${held},`];
    lines.push(...items.slice(0, -1).map((item) => `${item},`));
    held = items[items.length - 1];
    await output.write(lines.join('\n'));
    if (!output.open) return;
  }
  const tail = `"total": ${total},\n  "limit": ${query.limit ?? total},\n  "offset": 0\n}`;
  await output.write(held === undefined ? `{\n  "items": [],\n  ${tail}` : `${held}\n  ],\n  ${tail}`);
}

function indent(text: string, prefix: string): string {
  return text.replace(/^/gm, prefix);
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
