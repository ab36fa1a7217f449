/** Stable error codes shared by every transport. HTTP status comes from one table. */
export const ERROR_CODES = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** A config import would send stored keys to a new host, proxy, CA or TLS setting without the caller confirming it. */
  destination_change_unconfirmed: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  upstream_failed: 502,
  vault_locked: 500,
  /** The data dir or one of its files could be read, replaced or planted by another account (StrictModes). */
  insecure_permissions: 500,
  /** The store was written by a newer Provider Desk (its schema version is ahead of this one's migrations). */
  store_too_new: 500,
  /** Another process (e.g. a CLI import) held the store's write lock for longer than a write may wait. */
  store_busy: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** Dotted path of the bad field, e.g. `api_keys[1].value`. */
  path: string;
  message: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
  details?: unknown;
}

/** An expected failure with a stable code. Messages must never contain secrets. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[] | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { fields?: FieldError[]; details?: unknown } = {}) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.fields = options.fields;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.fields) body.fields = this.fields;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export function validationError(fields: FieldError[], message?: string): DeskError {
  const summary = message ?? `Invalid input: ${fields.map((f) => `${f.path || '(body)'} ${f.message}`).join('; ')}`;
  return new DeskError('validation_failed', summary, { fields });
}

/** Renders a zod issue path as `a.b[0].c`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
