import { closeSync, fchmodSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { MIN_PASSPHRASE_LENGTH } from '../../core/contract/config-schemas.js';
import { CONFIG_ENVELOPE_FORMAT, type OperationOutput } from '../../core/contract/operations.js';
import { CliError, CommandOutput, table, terminalText } from '../output.js';
import { call, describeError, withDesk, type Io } from '../context.js';
import { ConfigFileSyntaxError, openConfigFile, type DocumentEntries } from '../../core/config-file/file-document.js';
import { Desk } from '../../core/desk.js';
import type { CliFlags } from '../main.js';
import { PASSPHRASE_ENV, readPassphrase } from '../passphrase.js';
import type { ExtraCommand } from './extra.js';

const IMPORT_USAGE =
  'Usage: provider-desk import <file|-> [--dry-run] [--prune] [--confirm-destinations] [--passphrase-file F] [--data-dir D] [--json]';
const EXPORT_USAGE = 'Usage: provider-desk export [--secrets redacted|plain|encrypted] [--passphrase-file F] [-o file] [--data-dir D]';
const PASSPHRASE_SOURCES = `--passphrase-file <file> (- for standard input), the ${PASSPHRASE_ENV} environment variable, or the prompt on a terminal`;
const MODES = ['redacted', 'plain', 'encrypted'] as const;
type Mode = (typeof MODES)[number];

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file === '-' ? 'standard input' : file}: ${describeFsError(error)}`);
  }
}

function readDocument(file: string): Record<string, unknown> {
  const text = readText(file);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${error instanceof Error ? error.message : 'unparseable'}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new CliError(`${file} must hold a JSON object (a Bifrost config.json, or an encrypted export)`);
  }
  return document as Record<string, unknown>;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The diff as a table: one row per provider, then a summary line. */
export function renderDiff(result: OperationOutput<'config.import'>): string {
  const rows: string[][] = [
    ...result.added.map((name) => [name, 'added']),
    ...result.changed.map((name) => [name, 'changed']),
    ...result.removed.map((name) => [name, 'removed']),
    ...result.unchanged.map((name) => [name, 'unchanged']),
  ];
  const lines: string[] = [];
  if (rows.length > 0) lines.push(table(['PROVIDER', 'CHANGE'], rows), '');
  const sections = result.sections;
  if (sections) {
    const touched = [
      ...sections.added.map((s) => `${s} (added)`),
      ...sections.changed.map((s) => `${s} (changed)`),
      ...sections.removed.map((s) => `${s} (removed)`),
    ];
    if (touched.length > 0) lines.push(terminalText(`Other sections: ${touched.join(', ')}`, { oneLine: true }));
  }
  const summary = `${result.added.length} added, ${result.changed.length} changed, ${result.unchanged.length} unchanged, ${result.removed.length} removed`;
  // One blank line between blocks.
  const gap = () => {
    if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
  };
  const changed = Object.entries(result.changes).filter(([, fields]) => fields.length > 0);
  if (changed.length > 0) {
    gap();
    lines.push('Changed fields:');
    for (const [provider, fields] of changed) lines.push(terminalText(`  ${provider}: ${fields.join(', ')}`, { oneLine: true }));
  }
  if (result.destinations.length > 0) {
    gap();
    lines.push(`Where kept keys would be sent (${result.applied ? 'confirmed' : 'applying needs --confirm-destinations'}):`);
    lines.push(
      table(
        ['PROVIDER', 'FIELD', 'FROM', 'TO'],
        result.destinations.map((d) => [d.provider, d.field, d.from, d.to]),
      ),
    );
  }
  gap();
  lines.push(result.applied ? `${summary}. Applied.` : `${summary}. Dry run: nothing was changed; run again without --dry-run to apply.`);
  return lines.join('\n');
}

/**
 * A file is read as the import needs it (file-document.ts: a 100,000-provider file is never held whole); standard
 * input, and a store reached through the running app, take the document whole.
 */
function openFile(file: string): DocumentEntries {
  try {
    return openConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigFileSyntaxError) {
      if (error.kind === 'not_object')
        throw new CliError(`${file} must hold a JSON object (a Bifrost config.json, or an encrypted export)`);
      throw new CliError(`${file} is not valid JSON: ${error.message}`);
    }
    throw new CliError(`Cannot read ${file}: ${describeFsError(error)}`);
  }
}

async function importCommand(args: string[], flags: CliFlags, io: Io): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0) throw new CliError(IMPORT_USAGE, 2);
  const source = file === '-' ? null : openFile(file);
  const document = source ? null : readDocument(file);
  const encrypted = (source ? source.sections.format : document?.format) === CONFIG_ENVELOPE_FORMAT;
  const passphraseFile = flags['passphrase-file'];
  const passphrase =
    encrypted || passphraseFile ? await readPassphrase(io, { file: passphraseFile, confirm: false, stdinTaken: file === '-' }) : undefined;
  if (encrypted && !passphrase) throw new CliError(`${file} is an encrypted export: give its passphrase with ${PASSPHRASE_SOURCES}`, 2);
  const options = {
    dry_run: flags['dry-run'] === true,
    prune: flags.prune === true,
    confirm_destinations: flags['confirm-destinations'] === true,
    ...(passphrase ? { passphrase } : {}),
  };
  const result = await withDesk(flags, io, async (desk) => {
    if (source && desk instanceof Desk) {
      const outcome = await desk.dispatch('config.import', options, { transport: 'cli', document: source });
      if (!outcome.ok) throw new CliError(describeError(outcome.error));
      return outcome.data;
    }
    return call(desk, 'config.import', { ...(document ?? readDocument(file)), ...options });
  });
  io.out(flags.json ? JSON.stringify(result, null, 2) : renderDiff(result));
  return 0;
}

/** Writes a file readable only by its owner (mode applied before any byte is written, also to an existing file). */
function writePrivate(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

async function exportCommand(args: string[], flags: CliFlags, io: Io): Promise<number> {
  if (args.length > 0) throw new CliError(EXPORT_USAGE, 2);
  const mode = (flags.secrets ?? 'redacted') as Mode;
  if (!MODES.includes(mode)) throw new CliError(`--secrets must be redacted, plain or encrypted (got "${flags.secrets}")`, 2);
  const passphraseFile = flags['passphrase-file'];
  if (mode !== 'encrypted' && passphraseFile) throw new CliError('--passphrase-file is used only with --secrets encrypted', 2);
  const passphrase =
    mode === 'encrypted' ? await readPassphrase(io, { file: passphraseFile, confirm: true, stdinTaken: false }) : undefined;
  if (mode === 'encrypted' && !passphrase)
    throw new CliError(`--secrets encrypted needs a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters: ${PASSPHRASE_SOURCES}`, 2);
  const document = await withDesk<object>(flags, io, (desk) =>
    mode === 'encrypted'
      ? call(desk, 'config.exportEncrypted', { secrets: 'encrypted', passphrase: passphrase ?? '' })
      : call(desk, 'config.export', { secrets: mode }),
  );
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const output = flags.output;
  if (!output || output === '-') {
    // A reader that stops early (`export | head`) ends the output quietly.
    const stdout = new CommandOutput(io);
    await stdout.write(text.trimEnd());
    stdout.finish();
    return 0;
  }
  try {
    if (mode === 'redacted') writeFileSync(output, text);
    else writePrivate(output, text);
  } catch (error) {
    throw new CliError(`Cannot write ${output}: ${describeFsError(error)}`);
  }
  const count = mode === 'encrypted' ? null : Object.keys((document as { providers?: object }).providers ?? {}).length;
  const what =
    mode === 'plain'
      ? 'plain export (it holds every secret; mode 0600)'
      : mode === 'encrypted'
        ? 'encrypted export (mode 0600)'
        : 'export (secrets redacted)';
  io.err(`Wrote the ${what}${count === null ? '' : ` of ${plural(count, 'provider')}`} to ${output}`);
  return 0;
}

export const CONFIG_COMMANDS: ExtraCommand[] = [
  {
    name: 'import',
    usage: 'import <file>',
    summary: 'Import a Bifrost config.json (--dry-run, --prune, --confirm-destinations, --passphrase-file F)',
    run: importCommand,
  },
  {
    name: 'export',
    usage: 'export',
    summary: 'Export config.json (--secrets redacted|plain|encrypted, --passphrase-file F, -o FILE)',
    run: exportCommand,
  },
];
