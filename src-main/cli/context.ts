import { Desk } from '../core/desk.js';
import { defaultDataDir } from '../core/data-dir.js';
import { DeskError, type ErrorBody } from '../core/contract/errors.js';
import type { OperationName, OperationOutput } from '../core/contract/operations.js';
import { isKeychainOnlyStore } from '../core/vault/cli-access.js';
import { CliError, terminalText } from './output.js';
import { connectToRunningApp, findStoreOwner } from './running-app.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface CommonFlags {
  'data-dir'?: string | undefined;
  json?: boolean | undefined;
}

export function dataDirOf(flags: CommonFlags, io: Io): string {
  return flags['data-dir'] ?? defaultDataDir(io.env);
}

/** What a command works with: the store opened in this process, or the running desktop app over its local API. */
export type DeskTarget = Pick<Desk, 'dispatch'>;

/**
 * Opens the store for one command, and always closes it. A store whose key is in the desktop app's OS keychain only
 * cannot be opened here: then the same operations go to the running app through its local API.
 */
export async function withDesk<T>(flags: CommonFlags, io: Io, work: (desk: DeskTarget) => Promise<T> | T): Promise<T> {
  const dataDir = dataDirOf(flags, io);
  let desk: Desk;
  try {
    desk = new Desk({ dataDir, env: io.env });
  } catch (error) {
    if (isKeychainOnlyStore(error)) return work(await connectToRunningApp(dataDir, io.env));
    if (error instanceof DeskError) throw new CliError(error.message);
    throw error;
  }
  try {
    return await work(desk);
  } finally {
    await desk.close();
  }
}

/**
 * For commands that resolve `env.VAR` keys (test, models): the process that owns the store (the app or `serve`, found
 * through server.json) when one runs, so that a key's health never depends on which process tested it and with whose
 * environment; the store opened here, with this shell's environment, only when no owner runs.
 */
export async function withStoreOwner<T>(flags: CommonFlags, io: Io, work: (desk: DeskTarget) => Promise<T> | T): Promise<T> {
  const owner = await findStoreOwner(dataDirOf(flags, io), io.env);
  if (owner.found) return work({ dispatch: owner.dispatch });
  if (owner.why) {
    io.err(
      terminalText(`provider-desk: the running Provider Desk cannot be used (${owner.why}); working here, with this shell's environment`),
    );
  }
  return withDesk(flags, io, work);
}

export function describeError(error: ErrorBody): string {
  const fields = error.fields?.map((f) => `  - ${f.path || '(input)'}: ${f.message}`).join('\n');
  return fields ? `${error.message}\n${fields}` : error.message;
}

/** Calls a contract operation through the dispatcher, as every transport does; errors become CliErrors. */
export async function call<N extends OperationName>(
  desk: DeskTarget,
  name: N,
  input: unknown,
  onProgress?: Parameters<Desk['dispatch']>[2]['onProgress'],
): Promise<OperationOutput<N>> {
  const result = await desk.dispatch(name, input, { transport: 'cli', ...(onProgress ? { onProgress } : {}) });
  if (!result.ok) throw new CliError(describeError(result.error));
  return result.data;
}
