import type { z } from 'zod';
import { appOperations } from './operations/app.js';
import { providersOperations } from './operations/providers.js';
import { checksOperations } from './operations/checks.js';
import { accessOperations } from './operations/access.js';
import { configOperations } from './operations/config.js';

export * from './operation-schemas.js';

/**
 * Every operation of Provider Desk, one module per area under `operations/`. IPC, the native HTTP API, the CLI, the
 * renderer's client and OpenAPI derive from this table (its order is the order routes and OpenAPI list them in).
 */
export const operations = {
  ...appOperations,
  ...providersOperations,
  ...checksOperations,
  ...accessOperations,
  ...configOperations,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Operations[N]['output']>;

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];
