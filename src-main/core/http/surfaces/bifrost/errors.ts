import type { FastifyRequest } from 'fastify';
import { DeskError, ERROR_CODES } from '../../../contract/errors.js';
import { FAILURE_STATUS, type ErrorShape, type FailureShaper } from '../registry.js';
import { staleIfMatch } from '../if-match.js';

/** A failure answered in Bifrost's error body; the message is what Bifrost itself would say where it has a message for it. */
export class BifrostError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BifrostError';
  }
}

/**
 * Bifrost's BifrostError as its management handlers send it: `extra_fields` is always there (a Go struct value whose
 * fields are all omitted when empty, so `{}`); `error.type`, `error.code`, `event_id` are left out.
 */
export function bifrostErrorBody(
  status: number,
  message: string,
): { is_bifrost_error: false; status_code: number; error: { message: string }; extra_fields: Record<string, never> } {
  return { is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} };
}

export const invalidPayload = (): BifrostError => new BifrostError(400, 'Invalid request payload');

/**
 * Maps a service error onto Bifrost's statuses. A stale If-Match is 412; a write racing another one without If-Match
 * (Bifrost's own clients send none) stays a conflict.
 */
function fromDeskError(request: FastifyRequest, error: DeskError): BifrostError {
  if (staleIfMatch(request, error)) return new BifrostError(412, error.message);
  if (error.code === 'precondition_failed') return new BifrostError(409, error.message);
  const status = ERROR_CODES[error.code] ?? 500;
  return new BifrostError(status >= 500 && error.code !== 'upstream_failed' ? 500 : status, error.message);
}

const shape = (error: BifrostError): ErrorShape => ({ status: error.status, body: bifrostErrorBody(error.status, error.message) });

/** Bifrost's own failures and the service's errors in Bifrost's body; null for anything else. */
export function bifrostAnswerError(error: unknown, request: FastifyRequest): ErrorShape | null {
  if (error instanceof BifrostError) return shape(error);
  if (error instanceof DeskError) return shape(fromDeskError(request, error));
  return null;
}

/** Generic failures (auth, body, routing) in Bifrost's body; a body that is not JSON gets its "Invalid request payload". */
export const bifrostGenericFailure: FailureShaper = (failure, message) =>
  shape(new BifrostError(FAILURE_STATUS[failure], failure === 'invalid_json' ? 'Invalid request payload' : message));

export const BIFROST_INTERNAL_ERROR = shape(new BifrostError(500, 'Internal error'));
