import type { FastifyRequest } from 'fastify';
import { DeskError } from '../../contract/errors.js';
import { revisionFromIfMatch } from '../native-routes.js';

/** What a compatible surface makes of a request's If-Match header; each surface words the failures in its own shape. */
export type IfMatch =
  | { kind: 'absent' }
  | { kind: 'revision'; revision: number }
  /** Not an ETag this API gives out (`"3"`, `W/"3"` or `3`): answered 400, as the native API does. */
  | { kind: 'malformed' };

export const IF_MATCH_MALFORMED = 'If-Match must be an ETag given by this API (the provider revision), e.g. "3"';
/** A create can never satisfy If-Match: the provider it would write has no revision yet. */
export const IF_MATCH_ON_CREATE = 'If-Match names a revision, but this request would create a new provider; send it without If-Match';

export function readIfMatch(request: FastifyRequest): IfMatch {
  const header = request.headers['if-match'];
  if (header === undefined) return { kind: 'absent' };
  const revision = revisionFromIfMatch(Array.isArray(header) ? header.join(',') : header);
  if (revision === undefined || Number.isNaN(revision)) return { kind: 'malformed' };
  return { kind: 'revision', revision };
}

/**
 * The service's 412 when the request was conditional, else null. Without If-Match a `precondition_failed` can only be
 * a write racing another one, which the surfaces keep answering as their conflict.
 */
export function staleIfMatch(request: FastifyRequest, error: unknown): DeskError | null {
  const stale = error instanceof DeskError && error.code === 'precondition_failed' && request.headers['if-match'] !== undefined;
  return stale ? error : null;
}
