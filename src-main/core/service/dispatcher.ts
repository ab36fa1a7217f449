import { DeskError, type Result } from '../contract/errors.js';
import { operations, type OperationName, type OperationOutput } from '../contract/operations.js';
import { issuesToFields } from '../contract/validate.js';
import { validationError } from '../contract/errors.js';
import type { CallContext, Handlers } from './handlers.js';
import type { Logger } from '../log/logger.js';
import { retryWhileBusy } from '../store/busy-retry.js';

export type Dispatch = <N extends OperationName>(name: N, input: unknown, ctx: CallContext) => Promise<Result<OperationOutput<N>>>;

/** The one entry point of every transport: checks the operation, validates input with its schema, runs it, returns errors as values. */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatch {
  return async (name, input, ctx) => {
    const operation = operations[name];
    if (!operation) return { ok: false, error: { code: 'not_found', message: `Unknown operation "${String(name)}"` } };
    const transports = operation.transports ?? ['http', 'ipc'];
    if (ctx.transport !== 'cli' && !transports.includes(ctx.transport)) {
      return { ok: false, error: { code: 'forbidden', message: `Operation "${name}" is not available over ${ctx.transport}` } };
    }
    const parsed = operation.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: validationError(issuesToFields(parsed.error.issues)).toBody() };
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      // A write that meets another process's lock is tried again later, with the event loop free meanwhile.
      const data = (await retryWhileBusy(() => handler(parsed.data, ctx))) as OperationOutput<typeof name>;
      return { ok: true, data };
    } catch (error) {
      if (error instanceof DeskError) return { ok: false, error: error.toBody() };
      logger.error('operation failed', { operation: name, error: error instanceof Error ? error.name : 'unknown' });
      return { ok: false, error: { code: 'internal', message: `Operation "${name}" failed unexpectedly; see the log` } };
    }
  };
}
