/**
 * The gateway answers its own failures the way OpenAI's API does (`{"error": {"message", "type", "code"}}`), since every
 * SDK pointed at it reads that shape; failures of the provider itself are passed through as the provider sent them.
 */

/** The `type` values OpenAI's API uses (and its SDKs map to exception classes). */
export type GatewayErrorType =
  'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error' | 'rate_limit_error' | 'api_error';

export interface GatewayErrorBody {
  error: { message: string; type: GatewayErrorType; code: string };
}

/** A failure the gateway answers itself, with its status, OpenAI error type and a stable code. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: GatewayErrorType,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  body(): GatewayErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code } };
  }
}

export function badRequest(code: string, message: string): GatewayError {
  return new GatewayError(400, 'invalid_request_error', code, message);
}

export function notFound(code: string, message: string): GatewayError {
  return new GatewayError(404, 'not_found_error', code, message);
}

export function forbidden(code: string, message: string): GatewayError {
  return new GatewayError(403, 'permission_error', code, message);
}

/** The provider could not be reached (or its credentials obtained); `code` is the error class (timeout, dns_failed …). */
export function upstreamFailed(code: string, message: string): GatewayError {
  return new GatewayError(code === 'timeout' ? 504 : 502, 'api_error', code, message);
}
