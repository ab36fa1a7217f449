import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadJsonError } from '../json-body.js';

/** The API whose error shape a request is answered in: the native one (also the GUI's and the session's) or a compatible surface's. */
export type SurfaceName = 'native' | 'ziri' | 'coder' | 'bifrost' | 'agentstack';

export interface ErrorShape {
  status: number;
  body: unknown;
  /** Headers the surface sends with this failure (Agent Stack's `www-authenticate` on a 401). */
  headers?: Record<string, string>;
}

/** Generic failures (auth, host, origin, body, routing) in each surface's own error shape. */
export type GenericFailure =
  | 'unauthorized'
  | 'forbidden_origin'
  | 'forbidden_host'
  /** A gateway token on a route that is not a gateway route. */
  | 'forbidden_scope'
  | 'invalid_json'
  | 'bad_request'
  | 'headers_too_large'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'timeout'
  | 'internal';

/** A surface's wording of a generic failure: `message` is already defaulted, `detail` adds context where it has a place. */
export type FailureShaper = (failure: GenericFailure, message: string, detail?: string) => ErrorShape;

export const FAILURE_STATUS: Record<GenericFailure, number> = {
  unauthorized: 401,
  forbidden_origin: 403,
  forbidden_host: 403,
  forbidden_scope: 403,
  invalid_json: 400,
  bad_request: 400,
  headers_too_large: 431,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  timeout: 408,
  internal: 500,
};

export const DEFAULT_MESSAGES: Record<GenericFailure, string> = {
  unauthorized: 'Authentication required',
  forbidden_origin: 'This Origin is not allowed to use the local API',
  forbidden_host: 'This Host is not allowed (the local API answers only on 127.0.0.1, localhost or [::1])',
  forbidden_scope: 'This token may call only the gateway routes',
  invalid_json: 'Request body must be valid JSON.',
  bad_request: 'Bad request',
  headers_too_large: 'Request headers are too large',
  payload_too_large: 'Request body is too large',
  unsupported_media_type: 'Request body must be JSON (Content-Type: application/json)',
  not_found: 'Not found',
  timeout: 'Request timed out',
  internal: 'Internal error',
};

const NATIVE_CODES: Record<GenericFailure, string> = {
  unauthorized: 'unauthorized',
  forbidden_origin: 'forbidden',
  forbidden_host: 'forbidden',
  forbidden_scope: 'forbidden',
  invalid_json: 'bad_request',
  bad_request: 'bad_request',
  headers_too_large: 'bad_request',
  payload_too_large: 'payload_too_large',
  unsupported_media_type: 'bad_request',
  not_found: 'not_found',
  timeout: 'timeout',
  internal: 'internal',
};

/** The native API's (and the GUI's) shape: `{error: {code, message}}`. */
export const nativeFailure: FailureShaper = (failure, message, detail) => ({
  status: FAILURE_STATUS[failure],
  body: { error: { code: NATIVE_CODES[failure], message: detail ? `${message}: ${detail}` : message } },
});

/** The plugin contexts of the compatible surfaces (their routes' and their 404 handlers'), by surface. */
const surfaceOfContext = new WeakMap<FastifyInstance, SurfaceName>();

/** Marks a plugin context as a surface's: whatever the router matches in it is answered in that surface's shape. */
export function markSurfaceContext(context: FastifyInstance, surface: SurfaceName): void {
  surfaceOfContext.set(context, surface);
}

/**
 * The surface whose shape a request is answered in, from what the router matched: a route or a 404 handler registered
 * in a surface's plugin context (request.server is that context), never the raw URL. Anything else is native.
 */
export function surfaceOfRoute(request: FastifyRequest): SurfaceName {
  return surfaceOfContext.get(request.server) ?? 'native';
}

/** A generic failure with the message and detail its answer carries. */
export interface Failure {
  failure: GenericFailure;
  message?: string | undefined;
  detail?: string | undefined;
}

/**
 * What Fastify itself throws on the way to a handler (the JSON body parser, the body limit, content types, timeouts)
 * as a generic failure; null for anything else (a bug: answered 500 by the caller).
 */
export function frameworkFailureOf(error: Error & { statusCode?: number; code?: string }): Failure | null {
  if (error instanceof BadJsonError) return { failure: 'invalid_json', detail: error.message };
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { failure: 'payload_too_large' };
  if (error.statusCode === 415) return { failure: 'unsupported_media_type' };
  if (error.statusCode === 408) return { failure: 'timeout' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return { failure: 'invalid_json', message: 'Bad request', detail: error.message };
  return null;
}
