import type { z } from 'zod';
import { formatPath, validationError, type FieldError } from './errors.js';

/** Turns zod issues into field errors whose paths name the field, with an optional prefix. */
export function issuesToFields(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = []): FieldError[] {
  return issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

/** Parses unknown input with a schema or throws a validation_failed DeskError naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix: ReadonlyArray<PropertyKey> = []): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError(issuesToFields(parsed.error.issues, prefix));
}
