import type { IncomingHttpHeaders } from 'node:http';

/** Headers about one connection (RFC 9110 §7.6.1), or framing the HTTP client recomputes for the upstream request. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'host',
  'content-length',
  'expect',
]);

/**
 * Every header a client may use to present a Provider Desk credential (or a browser session), plus a previous AWS
 * signature: none of them is meant for the provider, which gets its own credential instead. Browser context headers
 * (Origin, Referer, Sec-Fetch-*) describe the page's relation to Provider Desk, not to the provider.
 */
const CLIENT_ONLY = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'xi-api-key',
  'rits_api_key',
  'coder-session-token',
  'cookie',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'origin',
  'referer',
]);

/** Response headers that belong to the upstream connection or origin, not to the loopback origin the client talks to. */
const UPSTREAM_ONLY = new Set(['set-cookie', 'alt-svc', 'strict-transport-security']);

function namedInConnection(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    text
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The client's headers as the provider should see them: without hop-by-hop headers and without our credential. */
export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const dropped = namedInConnection(headers.connection);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CLIENT_ONLY.has(name) || dropped.has(name) || name.startsWith('sec-fetch-'))
      continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The provider's response headers as the client should see them (framing is redone by our server). */
export function forwardedResponseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const dropped = namedInConnection(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'content-length' || HOP_BY_HOP.has(name) || UPSTREAM_ONLY.has(name) || dropped.has(name)) continue;
    out[name] = value;
  }
  // The body is piped byte for byte, so the provider's length (when it sent one) stays true.
  if (typeof headers['content-length'] === 'string' && headers['transfer-encoding'] === undefined)
    out['content-length'] = headers['content-length'];
  return out;
}

/** One header's value as a single string ('' when absent). */
export function headerText(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
