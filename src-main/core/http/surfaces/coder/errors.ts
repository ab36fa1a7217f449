import type { FastifyRequest } from 'fastify';
import { DeskError } from '../../../contract/errors.js';
import { FAILURE_STATUS, type ErrorShape, type FailureShaper } from '../registry.js';
import { staleIfMatch } from '../if-match.js';
import { CoderFailure, invalidRequest } from './decode.js';

export const NOT_FOUND = new CoderFailure(404, { message: 'Resource not found or you do not have access to this resource' });

export const preconditionFailed = (detail: string): CoderFailure =>
  new CoderFailure(412, { message: 'The AI provider was changed since the revision in If-Match.', detail });

const shape = (failure: CoderFailure): ErrorShape => ({ status: failure.status, body: failure.body });

/** Generic failures in Coder's `{message, detail?}`, in its own wording (coderd/httpmw SignedOutErrorMessage, httpapi.ResourceNotFound). */
export const coderGenericFailure: FailureShaper = (failure, message, detail) => {
  const status = FAILURE_STATUS[failure];
  if (failure === 'unauthorized') {
    return {
      status,
      body: {
        message: 'You are signed out or your session has expired. Please sign in again to continue.',
        detail: 'Send the local API token as the Coder-Session-Token header (or Authorization: Bearer).',
      },
    };
  }
  const coderMessage = failure === 'not_found' ? NOT_FOUND.body.message : message;
  return { status, body: detail ? { message: coderMessage, detail } : { message: coderMessage } };
};

export const CODER_INTERNAL_ERROR = shape(
  new CoderFailure(500, { message: 'An internal error occurred. Please try again or contact the system administrator.' }),
);

/** Coder's own failures and the service's expected ones in Coder's shape; null for anything else. */
export function coderAnswerError(error: unknown, request: FastifyRequest): ErrorShape | null {
  if (error instanceof CoderFailure) return shape(error);
  const stale = staleIfMatch(request, error);
  if (stale) return shape(preconditionFailed(stale.message));
  if (!(error instanceof DeskError)) return null;
  if (error.code === 'not_found') return shape(NOT_FOUND);
  if (error.code === 'validation_failed' || error.code === 'bad_request') {
    return shape(
      invalidRequest((error.fields ?? [{ path: '', message: error.message }]).map((f) => ({ field: f.path, detail: f.message }))),
    );
  }
  if (error.code === 'conflict' || error.code === 'precondition_failed') return shape(new CoderFailure(409, { message: error.message }));
  return null;
}
