import type { z } from 'zod';
import { formatPath, type FieldError } from './errors.js';

/** Turns zod issues into field errors whose paths name the field, with an optional prefix. */
export function issuesToFields(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = []): FieldError[] {
  return issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}
