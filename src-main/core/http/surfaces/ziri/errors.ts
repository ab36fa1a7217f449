import type { FastifyRequest } from 'fastify';
import { DeskError } from '../../../contract/errors.js';
import { FAILURE_STATUS, type ErrorShape, type FailureShaper, type GenericFailure } from '../registry.js';
import { staleIfMatch } from '../if-match.js';
import { NOT_FOUND, ZiriFailure } from './mapping.js';

/** ZIRI's error body: `{error, code}` with its upper-case codes. */
const shape = (failure: ZiriFailure): ErrorShape => ({ status: failure.status, body: { error: failure.message, code: failure.code } });

const ZIRI_CODES: Record<GenericFailure, string> = {
  unauthorized: 'UNAUTHORIZED',
  forbidden_origin: 'FORBIDDEN',
  forbidden_host: 'FORBIDDEN',
  forbidden_scope: 'FORBIDDEN',
  invalid_json: 'INVALID_JSON',
  bad_request: 'BAD_REQUEST',
  headers_too_large: 'HEADERS_TOO_LARGE',
  payload_too_large: 'PAYLOAD_TOO_LARGE',
  unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
  not_found: 'NOT_FOUND',
  timeout: 'REQUEST_TIMEOUT',
  internal: 'INTERNAL_ERROR',
};

export const ziriGenericFailure: FailureShaper = (failure, message) =>
  shape(new ZiriFailure(FAILURE_STATUS[failure], ZIRI_CODES[failure], failure === 'unauthorized' ? 'Authentication required' : message));

export const ZIRI_INTERNAL_ERROR = shape(new ZiriFailure(500, 'INTERNAL_ERROR', 'Internal error'));

/** ZIRI's own failures and the service's expected ones in ZIRI's shape; null for anything else. */
export function ziriAnswerError(error: unknown, request: FastifyRequest): ErrorShape | null {
  if (error instanceof ZiriFailure) return shape(error);
  const stale = staleIfMatch(request, error);
  if (stale) return shape(new ZiriFailure(412, 'PRECONDITION_FAILED', stale.message));
  if (!(error instanceof DeskError)) return null;
  if (error.code === 'not_found') return shape(NOT_FOUND);
  if (error.code === 'validation_failed' || error.code === 'bad_request')
    return shape(new ZiriFailure(400, 'VALIDATION_ERROR', error.message));
  if (error.code === 'conflict' || error.code === 'precondition_failed') return shape(new ZiriFailure(409, 'CONFLICT', error.message));
  return null;
}
