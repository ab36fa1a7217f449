/**
 * Secrets inside the network and proxy blocks: the proxy password, the userinfo of the proxy URL and the values of
 * secret-looking extra headers. They live in the provider's sealed secrets (next to settings secrets, by dotted path);
 * the stored blocks keep `<REDACTED>` in their place, so every view that shows a stored block is already masked.
 */
import { isSecretHeaderName, REDACTED } from './secret-fields.js';

export const PROXY_PASSWORD_PATH = 'proxy.password';
/** The secret part of the proxy URL's userinfo: the password of `user:pass@`, or the whole token of `token@`. */
export const PROXY_URL_SECRET_PATH = 'proxy.url_userinfo';
const HEADER_PATH_PREFIX = 'network.extra_headers.';

export function headerSecretPath(name: string): string {
  return `${HEADER_PATH_PREFIX}${name}`;
}

/** Paths of the sealed values that belong in the network and proxy blocks (the proxy password has its own field). */
export function isNetworkValuePath(path: string): boolean {
  return path === PROXY_URL_SECRET_PATH || path.startsWith(HEADER_PATH_PREFIX);
}

/** The sealed secrets without the header values and the proxy URL's userinfo: what settings and the proxy password keep. */
export function withoutNetworkValues(secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).filter(([path]) => !isNetworkValuePath(path)));
}

export function networkValuesOf(secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).filter(([path]) => isNetworkValuePath(path)));
}

// --- proxy URL userinfo ----------------------------------------------------------------------------------------

interface UserinfoParts {
  /** Everything before the secret: the scheme, and the username with its colon when there is one. */
  head: string;
  secret: string;
  /** `@` and everything after it. */
  tail: string;
}

/**
 * Splits a URL around the secret part of its userinfo, as written (percent-encoding kept, so joining is exact).
 * The userinfo ends at the last `@`: a password may hold an unencoded `@`, and a proxy URL has no path that could.
 */
function userinfoParts(url: string): UserinfoParts | null {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!scheme) return null;
  const at = url.lastIndexOf('@');
  if (at < scheme[0].length) return null;
  const userinfo = url.slice(scheme[0].length, at);
  const colon = userinfo.indexOf(':');
  const head = scheme[0] + (colon === -1 ? '' : userinfo.slice(0, colon + 1));
  return { head, secret: colon === -1 ? userinfo : userinfo.slice(colon + 1), tail: url.slice(at) };
}

/** `<REDACTED>` as sent back, raw or as a URL serializer percent-encodes it. */
function isRedactedText(text: string): boolean {
  return text === REDACTED || text.toUpperCase() === '%3CREDACTED%3E';
}

/** The URL with its userinfo secret shown as `<REDACTED>` (`http://user:<REDACTED>@host:port`). */
export function redactProxyUrl(url: string): string {
  const parts = userinfoParts(url);
  return parts && parts.secret !== '' ? `${parts.head}${REDACTED}${parts.tail}` : url;
}

/** Whether the URL's userinfo secret is `<REDACTED>`, i.e. asks to keep the stored one. */
export function proxyUrlKeepsSecret(url: string): boolean {
  const parts = userinfoParts(url);
  return parts !== null && isRedactedText(parts.secret);
}

/**
 * The proxy URL to store, its userinfo secret moved into `secrets` (replacing the one there). `<REDACTED>` keeps the
 * secret already in `secrets`; `missing` says there was none to keep.
 */
export function sealProxyUrl(url: string, secrets: Record<string, string>): { url: string; missing: boolean } {
  const kept = secrets[PROXY_URL_SECRET_PATH];
  delete secrets[PROXY_URL_SECRET_PATH];
  const parts = userinfoParts(url);
  if (!parts || parts.secret === '') return { url, missing: false };
  const stored = `${parts.head}${REDACTED}${parts.tail}`;
  if (!isRedactedText(parts.secret)) secrets[PROXY_URL_SECRET_PATH] = parts.secret;
  else if (kept !== undefined) secrets[PROXY_URL_SECRET_PATH] = kept;
  else return { url: stored, missing: true };
  return { url: stored, missing: false };
}

/** The stored proxy URL with its sealed userinfo secret put back (for probes and plain exports, in memory only). */
export function openProxyUrl(stored: string, secrets: Record<string, string>): string {
  const secret = secrets[PROXY_URL_SECRET_PATH];
  const parts = userinfoParts(stored);
  if (secret === undefined || !parts || !isRedactedText(parts.secret)) return stored;
  return `${parts.head}${secret}${parts.tail}`;
}

// --- extra headers ---------------------------------------------------------------------------------------------

/** The headers with every secret value shown as `<REDACTED>`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | null = null;
  for (const [name, value] of Object.entries(headers)) {
    if (value === '' || value === REDACTED || !isSecretHeaderName(name)) continue;
    out ??= { ...headers };
    out[name] = REDACTED;
  }
  return out ?? headers;
}

/** A sealed header value by name; header names are case-insensitive, so a client may send one back in other case. */
function sealedHeader(sealed: Record<string, string>, name: string): string | undefined {
  const exact = sealed[headerSecretPath(name)];
  if (exact !== undefined) return exact;
  const wanted = headerSecretPath(name).toLowerCase();
  return Object.entries(sealed).find(([path]) => path.toLowerCase() === wanted)?.[1];
}

/**
 * The headers to store, secret values moved into `secrets` (which loses the header values it held: a header left out
 * is removed). `<REDACTED>` keeps the value sealed for that header; `missing` names those with nothing to keep.
 */
export function sealHeaders(
  headers: Record<string, string>,
  secrets: Record<string, string>,
): { headers: Record<string, string>; missing: string[] } {
  const previous: Record<string, string> = {};
  for (const path of Object.keys(secrets)) {
    if (!path.startsWith(HEADER_PATH_PREFIX)) continue;
    previous[path] = secrets[path] as string;
    delete secrets[path];
  }
  const stored: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === '' || !isSecretHeaderName(name)) {
      stored[name] = value;
      continue;
    }
    const secret = value === REDACTED ? sealedHeader(previous, name) : value;
    if (secret === undefined) missing.push(name);
    else secrets[headerSecretPath(name)] = secret;
    stored[name] = REDACTED;
  }
  return { headers: stored, missing };
}

/** The stored headers with their sealed values put back (for probes and plain exports, in memory only). */
export function openHeaders(stored: Record<string, string>, secrets: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (value !== REDACTED || !isSecretHeaderName(name)) out[name] = value;
    else {
      const secret = secrets[headerSecretPath(name)];
      // A placeholder with nothing sealed behind it is not sent: the literal "<REDACTED>" would only mislead the upstream.
      if (secret !== undefined) out[name] = secret;
    }
  }
  return out;
}

/** Header names that are sent as `<REDACTED>` with nothing sealed to keep (for checks before any write). */
export function headersMissingSecrets(headers: Record<string, string>, secrets: Record<string, string>): string[] {
  return sealHeaders(headers, { ...secrets }).missing;
}

/**
 * The stored headers as the config hash sees them: each placeholder replaced by its sealed value's fingerprint, so a
 * new secret gives a new hash while neither the secret nor a plain hash of it is stored.
 */
export function fingerprintHeaders(stored: Record<string, string>, fingerprints: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | null = null;
  for (const [name, value] of Object.entries(stored)) {
    const print = fingerprints[headerSecretPath(name)];
    if (value !== REDACTED || print === undefined) continue;
    out ??= { ...stored };
    out[name] = print;
  }
  return out ?? stored;
}

/** The stored proxy URL as the config hash sees it: the userinfo placeholder replaced by its fingerprint. */
export function fingerprintProxyUrl(stored: string, fingerprints: Record<string, string>): string {
  const print = fingerprints[PROXY_URL_SECRET_PATH];
  return print === undefined ? stored : openProxyUrl(stored, { [PROXY_URL_SECRET_PATH]: print });
}
