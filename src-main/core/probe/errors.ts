import type { ErrorClass } from '../contract/domain-schemas.js';

export interface ProbeFailure {
  errorClass: ErrorClass;
  httpStatus: number | null;
  /** What happened, e.g. "404 from /v1/models". Never contains a secret. */
  summary: string;
  /** What to do about it, e.g. "check the base URL". */
  hint: string | null;
}

/** A classified probe failure. Adapters throw it; the engine turns it into a failed CheckResult. */
export class ProbeError extends Error implements ProbeFailure {
  readonly errorClass: ErrorClass;
  readonly httpStatus: number | null;
  readonly summary: string;
  readonly hint: string | null;

  constructor(failure: ProbeFailure) {
    super(failure.hint ? `${failure.summary} — ${failure.hint}` : failure.summary);
    this.name = 'ProbeError';
    this.errorClass = failure.errorClass;
    this.httpStatus = failure.httpStatus;
    this.summary = failure.summary;
    this.hint = failure.hint;
  }
}

/** The answer's body did not have the shape the family documents. */
export function invalidResponse(path: string, expected: string, httpStatus: number | null = 200): ProbeError {
  return new ProbeError({
    errorClass: 'invalid_response',
    httpStatus,
    summary: `unexpected answer from ${path}: expected ${expected}`,
    hint: 'check that the base URL points at the provider’s API (not a web page or another service)',
  });
}

/** A required credential is absent (or unusable), so nothing was sent. */
export function missingCredentials(what: string, hint = `add the ${what} to this key or provider`): ProbeError {
  return new ProbeError({ errorClass: 'missing_credentials', httpStatus: null, summary: `no ${what} given`, hint });
}
