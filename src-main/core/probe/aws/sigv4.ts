import aws4 from 'aws4';
import type { AwsCredentials } from './credentials.js';

export interface SignableRequest {
  method: 'GET' | 'POST';
  url: string;
  /** The signing name: `bedrock` (control plane and runtime) or `sts`. */
  service: string;
  region: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * SigV4 headers for a request, by aws4 (the well-kept signer): Authorization, X-Amz-Date, the session token for
 * temporary credentials, and the request's own headers. Host is left to the HTTP client, which sends the same value.
 */
export function signRequest(req: SignableRequest, credentials: AwsCredentials): Record<string, string> {
  const parsed = new URL(req.url);
  const signed = aws4.sign(
    {
      host: parsed.host,
      path: `${parsed.pathname}${parsed.search}`,
      method: req.method,
      service: req.service,
      region: req.region,
      headers: { ...req.headers },
      ...(req.body !== undefined ? { body: req.body } : {}),
    },
    // A full object always: aws4 falls back to this process's AWS_* variables when credentials are missing.
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (name.toLowerCase() !== 'host' && value !== undefined) headers[name] = String(value);
  }
  return headers;
}
