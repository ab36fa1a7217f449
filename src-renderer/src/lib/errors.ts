import type { z } from 'zod';
import { formatPath } from '@contract/errors';
import { DeskClientError } from '../client/desk-client';

export type FieldErrors = Record<string, string>;

const FRIENDLY: Record<string, string> = {
  unauthorized: 'You are signed out. Sign in again with the local API token.',
  precondition_failed: 'This provider changed elsewhere — reloaded.',
  internal: 'Something went wrong inside Provider Desk; see the log for details.',
};

/** A message fit to show a person: the backend's own words, never a bare code or a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof DeskClientError) {
    if (error.code === 'precondition_failed') return FRIENDLY.precondition_failed!;
    return error.message || FRIENDLY[error.code] || 'The operation failed.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'The operation failed.';
}

/** The message above a form: a pointer to the marked fields for plain validation errors, else the backend's own words. */
export function formMessage(error: unknown): string {
  if (error instanceof DeskClientError && error.code === 'validation_failed' && error.fields.length > 0)
    return 'Please correct the fields marked below.';
  return errorMessage(error);
}

/** The server's field errors as a path → message map. */
export function serverFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof DeskClientError)) return {};
  return Object.fromEntries(error.fields.map((f) => [f.path, f.message]));
}

/** Validates with a contract schema in the page, so mistakes show before a round trip. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; data: z.output<S> } | { ok: false; fields: FieldErrors } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = formatPath(issue.path);
    fields[path] ??= issue.message;
  }
  return { ok: false, fields };
}

/** Field errors under a prefix, re-keyed without it (`network_config.max_retries` → `max_retries`). */
export function fieldsUnder(fields: FieldErrors, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] = message;
  }
  return out;
}

/** Sentence-cases a field message for display next to its field ("is required" → "Is required."). */
export function sentence(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
