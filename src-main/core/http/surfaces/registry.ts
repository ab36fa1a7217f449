/** Each API surface answers errors in its own body shape; the guard and the error handler pick the surface by path. */
export type SurfaceName = 'native' | 'ziri' | 'coder' | 'bifrost' | 'agentstack' | 'ui';

export interface ErrorShape {
  status: number;
  body: unknown;
}

export function surfaceOf(path: string): SurfaceName {
  if (path === '/api/providers' || path.startsWith('/api/providers/') || path.startsWith('/api/providers?')) return 'ziri';
  if (path.startsWith('/api/v2/')) return 'coder';
  if (path.startsWith('/bifrost/') || path === '/bifrost') return 'bifrost';
  if (path.startsWith('/api/v1/model_providers')) return 'agentstack';
  if (path.startsWith('/api/')) return 'native';
  return 'ui';
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

const DEFAULT_MESSAGES: Record<GenericFailure, string> = {
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

/** Shapes a failure for the surface that owns `path`. `detail` adds context where the surface has a place for it. */
export function failureBody(
  surface: SurfaceName,
  failure: GenericFailure,
  message = DEFAULT_MESSAGES[failure],
  detail?: string,
): ErrorShape {
  const status = FAILURE_STATUS[failure];
  switch (surface) {
    case 'ziri':
      return { status, body: { error: failure === 'unauthorized' ? 'Authentication required' : message, code: ZIRI_CODES[failure] } };
    case 'coder': {
      // Coder's own wording (coderd/httpmw SignedOutErrorMessage, httpapi.ResourceNotFound).
      if (failure === 'unauthorized') {
        return {
          status,
          body: {
            message: 'You are signed out or your session has expired. Please sign in again to continue.',
            detail: 'Send the local API token as the Coder-Session-Token header (or Authorization: Bearer).',
          },
        };
      }
      const coderMessage = failure === 'not_found' ? 'Resource not found or you do not have access to this resource' : message;
      return { status, body: detail ? { message: coderMessage, detail } : { message: coderMessage } };
    }
    case 'bifrost':
      return {
        status,
        body: {
          is_bifrost_error: false,
          status_code: status,
          error: { message: failure === 'invalid_json' ? 'Invalid request payload' : message },
          extra_fields: {},
        },
      };
    case 'agentstack':
      // FastAPI's issue-list shape for a body that is not JSON, with the 400 every surface gives malformed JSON.
      if (failure === 'invalid_json')
        return { status, body: { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error' }] } };
      if (failure === 'not_found') return { status, body: { detail: 'Not Found' } };
      return { status, body: { detail: failure === 'unauthorized' ? 'Not authenticated' : message } };
    default:
      return { status, body: { error: { code: NATIVE_CODES[failure], message: detail ? `${message}: ${detail}` : message } } };
  }
}
