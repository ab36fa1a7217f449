/**
 * Where the CLI takes an export passphrase from: a file (`--passphrase-file F`, `-` for standard input), the
 * PROVIDER_DESK_PASSPHRASE environment variable, or a prompt on the terminal. Never a command-line value: every
 * user of the machine can read a process's arguments, and shells keep them in their history.
 */
import { readFileSync } from 'node:fs';
import type { Io } from './context.js';
import { CliError } from './output.js';

export const PASSPHRASE_ENV = 'PROVIDER_DESK_PASSPHRASE';

/** The file's content, without the one line break editors add at the end. */
function fromFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : 'unreadable';
    throw new CliError(`Cannot read the passphrase from ${file === '-' ? 'standard input' : file}: ${why}`, 2);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new CliError(`The passphrase ${file === '-' ? 'on standard input' : `file ${file}`} is empty`, 2);
  return passphrase;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error: CliError | null) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(null);
        if (char === '\u0003') return finish(new CliError('Cancelled', 130));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

export interface PassphraseSource {
  /** `--passphrase-file`, if given. */
  file: string | undefined;
  /** Ask twice (a new passphrase: a typo would lock the export away). */
  confirm: boolean;
  /** Standard input already holds something else (the document itself). */
  stdinTaken: boolean;
}

/**
 * The passphrase from the first source that has one, or undefined when there is none and no terminal to ask on.
 * `--passphrase-file` wins over the environment, which wins over the prompt.
 */
export async function readPassphrase(io: Io, source: PassphraseSource): Promise<string | undefined> {
  if (source.file !== undefined) {
    if (source.file === '-' && source.stdinTaken)
      throw new CliError('--passphrase-file - reads standard input, which already holds the config: put the passphrase in a file', 2);
    return fromFile(source.file);
  }
  const fromEnv = io.env[PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  if (source.stdinTaken || !process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const passphrase = await promptHidden('Passphrase: ');
  if (passphrase === '') throw new CliError('No passphrase given', 2);
  if (source.confirm && (await promptHidden('Passphrase again: ')) !== passphrase) throw new CliError('The passphrases do not match', 2);
  return passphrase;
}
