import { ProbeError } from './errors.js';
import { bodyExcerpt, upstreamMessage, type SecretScrubber } from './scrub.js';

/** What the failed request was for; it changes the hint ("check the base URL" vs "check the model name"). */
export type RequestPurpose = 'list' | 'check' | 'deep' | 'token';

export interface HttpFailureInput {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The request's path without the query, e.g. /v1/models. */
  path: string;
  purpose: RequestPurpose;
  scrubber: SecretScrubber;
}

const QUOTA = /insufficient_quota|credit balance|quota|billing|insufficient credits|payment required|out of credits/i;
/** Google's way of saying the key itself is wrong (it answers 400, not 401). */
const GOOGLE_BAD_KEY = /API_KEY_INVALID|API key not valid|API key expired/i;
/**
 * A 403 that says authentication (not authorization) failed is a wrong key: 3scale API gateways (RITS) answer a bad
 * key with a plain "Authentication failed", Bedrock a bad API key with "Authentication failed: … API Key is valid".
 */
const AUTHENTICATION_FAILED = /Authentication failed/i;
/** xAI answers a wrong key with 400 and a string `error`: "Incorrect API key provided: xa***23. …". */
const XAI_BAD_KEY = /Incorrect API key provided/i;
/** AWS answers 403 for credentials it does not know or a signature that does not match. */
const AWS_BAD_CREDENTIALS =
  /UnrecognizedClientException|InvalidSignatureException|security token included in the request is invalid|IncompleteSignature|signature we calculated does not match|ExpiredToken/i;
/** IBM IAM (BXNIM…) and OAuth token endpoints answer 400 for a bad key or assertion. */
const TOKEN_REJECTED =
  /BXNIM0415E|BXNIM0109E|BXNIM0418E|invalid_grant|invalid_client|unauthorized_client|could not be found|invalid api ?key/i;

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function header(headers: Record<string, string>, name: string): string {
  return headers[name.toLowerCase()] ?? '';
}

/** ElevenLabs answers 401 `{detail: {status: "missing_permissions"}}` to a key it knows but has restricted. */
function missingPermission(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const detail = (body as { detail?: unknown }).detail;
  return Boolean(detail && typeof detail === 'object' && (detail as { status?: unknown }).status === 'missing_permissions');
}

/** Maps a non-2xx answer to an error class, a message and a hint. */
export function classifyHttpFailure(input: HttpFailureInput): ProbeError {
  const { status, path, purpose, scrubber } = input;
  const excerpt = bodyExcerpt(input.text, scrubber);
  const parsed = parse(input.text);
  const haystack = `${input.text} ${header(input.headers, 'x-amzn-errortype')}`;
  const summary = `${status} from ${path}${excerpt ? `: ${excerpt}` : ''}`;
  const make = (errorClass: ProbeError['errorClass'], hint: string | null) =>
    new ProbeError({ errorClass, httpStatus: status, summary, hint });

  const keyRejected = 'the key was rejected; check it or create a new one';
  if (status === 401 && missingPermission(parsed))
    return make('forbidden', 'the key is valid but not allowed to do this; give it the missing permission in the provider’s key settings');
  if (status === 401)
    return make(
      'auth_failed',
      purpose === 'token' ? 'the credentials were rejected by the token service; check them or create new ones' : keyRejected,
    );
  if (status === 407) return make('proxy_failed', 'proxy authentication failed; check the proxy username and password');
  if (status === 402) return make('quota_exceeded', 'the account is out of credit or quota; check billing with the provider');
  if (status === 403) {
    if (AWS_BAD_CREDENTIALS.test(haystack))
      return make('auth_failed', 'AWS did not accept these credentials; check the access key, secret and session token');
    if (GOOGLE_BAD_KEY.test(haystack) || AUTHENTICATION_FAILED.test(input.text)) return make('auth_failed', keyRejected);
    if (QUOTA.test(haystack) && !/permission/i.test(upstreamMessage(parsed) ?? ''))
      return make('quota_exceeded', 'the account is out of credit or quota; check billing with the provider');
    return make('forbidden', 'the key is valid but not allowed to do this; check its permissions, project, region or model access');
  }
  if (status === 404) {
    if (purpose === 'deep') return make('not_found', 'check the model name');
    if (purpose === 'token') return make('not_found', 'check the token service URL');
    return make('not_found', 'check the base URL');
  }
  if (status === 408) return make('timeout', 'the provider timed out; try again or raise the request timeout');
  if (status === 429) {
    if (QUOTA.test(haystack)) return make('quota_exceeded', 'the account is out of credit or quota; check billing with the provider');
    return make('rate_limited', 'too many requests; wait a moment, or raise max_retries in the network settings');
  }
  if (status >= 500) return make('server_error', 'the provider had a problem; try again later');
  if (status >= 300 && status < 400) {
    const location = header(input.headers, 'location');
    return make(
      'invalid_response',
      location
        ? `the server redirects to ${scrubber.scrub(location)}; use that address as the base URL`
        : 'the server answered with a redirect; check the base URL',
    );
  }
  // Remaining 4xx: Google, xAI and token services encode "bad key" and "no credit" in a 400.
  if (GOOGLE_BAD_KEY.test(haystack) || XAI_BAD_KEY.test(haystack)) return make('auth_failed', keyRejected);
  if (purpose === 'token' && TOKEN_REJECTED.test(haystack))
    return make('auth_failed', 'the credentials were rejected by the token service; check them or create new ones');
  if (QUOTA.test(haystack)) return make('quota_exceeded', 'the account is out of credit or quota; check billing with the provider');
  if (purpose === 'deep')
    return make('invalid_response', 'the provider refused the test request; check the model name and that it supports chat');
  return make('invalid_response', 'the provider refused the request; check the base URL and the provider settings');
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
  errors?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
}

/** The error and everything it wraps (cause chains, AggregateError from happy eyeballs). */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 20) {
    const next = queue.shift();
    if (!next || typeof next !== 'object') continue;
    const e = next as ErrorLike;
    out.push(e);
    if (e.cause) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...(e.errors as unknown[]));
  }
  return out;
}

const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server uses a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed (private) CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is signed by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is signed by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate is signed by an unknown CA',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not match the host name (hostname mismatch)',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the clock)',
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port (http vs https?)',
};

export interface NetworkFailureContext {
  /** host:port of the target, for messages. */
  target: string;
  /** host and port of the configured proxy, if any. */
  proxy: { host: string; port: number; type: string } | null;
  /** The request was aborted because the per-request timeout fired. */
  timedOut: boolean;
  timeoutMs: number;
  /** The caller cancelled. */
  cancelled: boolean;
  scrubber: SecretScrubber;
}

export const BLOCKED_ADDRESS_CODE = 'EPROVIDERDESK_BLOCKED';

function code(e: ErrorLike): string {
  return typeof e.code === 'string' ? e.code : '';
}
function message(e: ErrorLike): string {
  return typeof e.message === 'string' ? e.message : '';
}

/** Maps an undici / Node error to an error class, a message and a hint. */
export function classifyNetworkError(error: unknown, ctx: NetworkFailureContext): ProbeError {
  if (error instanceof ProbeError) return error;
  const all = chain(error);
  const make = (errorClass: ProbeError['errorClass'], summary: string, hint: string | null) =>
    new ProbeError({ errorClass, httpStatus: null, summary: ctx.scrubber.scrub(summary), hint });

  const blocked = all.find((e) => code(e) === BLOCKED_ADDRESS_CODE);
  if (blocked)
    return make(
      'blocked_private_network',
      message(blocked),
      'private and link-local addresses are blocked; enable allow_private_network in the network settings if this server is yours (link-local and 0.0.0.0 are never allowed)',
    );
  if (ctx.cancelled) return make('timeout', 'the check was cancelled', null);
  if (ctx.timedOut)
    return make(
      'timeout',
      `no answer from ${ctx.target} within ${Math.round(ctx.timeoutMs / 100) / 10} s`,
      'the provider is slow or unreachable; check the base URL or raise the request timeout',
    );

  const proxyAnswer = all.map((e) => /Proxy response \((\d+)\)|Proxy Authentication Required \((\d+)\)/.exec(message(e))).find(Boolean);
  if (proxyAnswer) {
    const status = Number(proxyAnswer[1] ?? proxyAnswer[2]);
    if (status === 407) return make('proxy_failed', 'proxy authentication failed (407)', 'check the proxy username and password');
    return make(
      'proxy_failed',
      `the proxy refused the connection (${status})`,
      'check the proxy settings, or whether the proxy allows this host',
    );
  }
  const socks = all.find((e) => /socks/i.test(`${message(e)} ${String(e.name ?? '')}`));
  if (socks) {
    const text = message(socks);
    if (/auth/i.test(text)) return make('proxy_failed', 'SOCKS5 proxy authentication failed', 'check the proxy username and password');
    return make('proxy_failed', `SOCKS5 proxy error: ${text}`, 'check the proxy settings');
  }
  if (ctx.proxy) {
    const proxy = ctx.proxy;
    const atProxy = all.find((e) => {
      if (e.hostname === proxy.host && ['ENOTFOUND', 'EAI_AGAIN'].includes(code(e))) return true;
      return Number(e.port) === proxy.port && (e.address === proxy.host || e.hostname === proxy.host || message(e).includes(proxy.host));
    });
    if (
      atProxy ||
      all.some(
        (e) =>
          ['UND_ERR_PRX_TLS', 'UND_ERR_PRX_CONN'].includes(code(e)) ||
          e.name === 'ProxyConnectionError' ||
          e.name === 'SecureProxyConnectionError',
      )
    ) {
      return make(
        'proxy_failed',
        `could not use the proxy at ${proxy.host}:${proxy.port}${atProxy && code(atProxy) ? ` (${code(atProxy)})` : ''}`,
        'check that the proxy is running and its URL is right',
      );
    }
  }

  for (const e of all) {
    const c = code(e);
    if (c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME' || c === 'EAI_FAIL' || c === 'EAI_NODATA') {
      const host = typeof e.hostname === 'string' ? e.hostname : ctx.target;
      return make(
        'dns_failed',
        `could not resolve ${host} (${c})`,
        'check the host name in the base URL, or your DNS / network connection',
      );
    }
    if (c === 'ECONNREFUSED')
      return make(
        'connection_refused',
        `connection refused by ${ctx.target}`,
        'nothing is listening there; is the server running, and is the port right?',
      );
    if (c === 'UND_ERR_CONNECT_TIMEOUT' || c === 'ETIMEDOUT' || c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT') {
      return make(
        'timeout',
        `no answer from ${ctx.target} in time (${c})`,
        'the provider is slow or unreachable; check the base URL, a firewall, or raise the request timeout',
      );
    }
    const tls = TLS_PROBLEMS[c];
    if (tls)
      return make(
        'tls_failed',
        `TLS failed: ${tls}`,
        'add the server’s CA certificate (PEM) in the network settings; only for testing, enable insecure_skip_verify',
      );
    if (c.startsWith('ERR_SSL_') || c === 'EPROTO' || c.startsWith('ERR_TLS_') || /certificate|SSL routines|TLS/i.test(message(e))) {
      return make(
        'tls_failed',
        `TLS failed: ${message(e) || c}`,
        'check that the base URL uses the right scheme (https vs http) and that the certificate is trusted',
      );
    }
  }
  for (const e of all) {
    const c = code(e);
    if (c === 'ECONNRESET' || c === 'EPIPE' || c === 'UND_ERR_SOCKET' || c === 'ECONNABORTED') {
      return make(
        'connection_refused',
        `the connection to ${ctx.target} was closed unexpectedly (${c})`,
        'check the base URL (http vs https, port) and any firewall or proxy in between',
      );
    }
    if (c === 'EHOSTUNREACH' || c === 'ENETUNREACH' || c === 'EADDRNOTAVAIL') {
      return make('connection_refused', `${ctx.target} is unreachable (${c})`, 'check your network connection and the base URL');
    }
  }
  const first = all[0];
  const text = first ? `${code(first) ? `${code(first)}: ` : ''}${message(first)}` : String(error);
  return make('connection_refused', `could not connect to ${ctx.target}: ${text}`, 'check the base URL and your network connection');
}

/** Connection-level failures worth retrying (the request never reached the provider's logic). */
export function isRetryableNetworkFailure(error: ProbeError): boolean {
  if (error.errorClass === 'connection_refused') return true;
  return error.errorClass === 'dns_failed' && /EAI_AGAIN/.test(error.summary);
}
