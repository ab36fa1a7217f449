import type { z } from 'zod';
import type { ErrorCode } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Transport = 'http' | 'ipc';

/** One operation of the app, defined once: every transport (IPC, HTTP, CLI, renderer client, OpenAPI) derives from it. */
export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  method: HttpMethod;
  /** Native HTTP path with `{param}` segments; path params, query and JSON body merge into the input. */
  path: string;
  input: I;
  output: O;
  errors: readonly ErrorCode[];
  /** HTTP status on success (default 200). */
  status?: number;
  /** Health is the only operation without auth. */
  public?: boolean;
  /** Where the operation is offered (default both). Revealing a key is IPC only. */
  transports?: readonly Transport[];
  /** Sends progress events while it runs (HTTP: NDJSON or SSE; IPC: events). */
  streams?: boolean;
  /** Body limit in bytes when larger than the default 1 MiB. */
  bodyLimit?: number;
  /** Input fields accepted only in the JSON body over HTTP (secrets: a query string ends up in logs and history). */
  bodyOnly?: readonly string[];
  /** Which input field carries the If-Match revision. */
  revisionField?: string;
  tag: string;
  example?: { input?: unknown; output?: unknown };
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}
