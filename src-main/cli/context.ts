import { Desk } from '../core/desk.js';
import { defaultDataDir } from '../core/data-dir.js';
import { DeskError, type ErrorBody } from '../core/contract/errors.js';
import type { OperationName, OperationOutput } from '../core/contract/operations.js';
import { CliError } from './output.js';

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

/** Opens the store for one command, and always closes it. */
export async function withDesk<T>(flags: CommonFlags, io: Io, work: (desk: Desk) => Promise<T> | T): Promise<T> {
  let desk: Desk;
  try {
    desk = new Desk({ dataDir: dataDirOf(flags, io), env: io.env });
  } catch (error) {
    if (error instanceof DeskError) throw new CliError(error.message);
    throw error;
  }
  try {
    return await work(desk);
  } finally {
    await desk.close();
  }
}

export function describeError(error: ErrorBody): string {
  const fields = error.fields?.map((f) => `  - ${f.path || '(input)'}: ${f.message}`).join('\n');
  return fields ? `${error.message}\n${fields}` : error.message;
}

/** Calls a contract operation through the dispatcher, as every transport does; errors become CliErrors. */
export async function call<N extends OperationName>(
  desk: Desk,
  name: N,
  input: unknown,
  onProgress?: Parameters<Desk['dispatch']>[2]['onProgress'],
): Promise<OperationOutput<N>> {
  const result = await desk.dispatch(name, input, { transport: 'cli', ...(onProgress ? { onProgress } : {}) });
  if (!result.ok) throw new CliError(describeError(result.error));
  return result.data;
}
