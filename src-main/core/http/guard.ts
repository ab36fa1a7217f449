import type { IncomingHttpHeaders } from 'node:http';

/** Loopback names with the server's port; anything else in Host is a DNS-rebinding attempt. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (port === 80) allowed.push('127.0.0.1', 'localhost', '[::1]');
  return allowed.includes(host.toLowerCase());
}

/** Origins that may call the API from a browser: the server's own pages, plus any the user lists. */
export function allowedOrigins(port: number, extra: readonly string[]): Set<string> {
  return new Set([
    `http://127.0.0.1:${port}`,
    `http://localhost:${port}`,
    `http://[::1]:${port}`,
    ...extra.map((o) => o.replace(/\/+$/, '')),
  ]);
}

/** The token a request carries: Bearer, Coder-Session-Token, Basic (any user, token as password), or none. */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const coder = headers['coder-session-token'];
  if (typeof coder === 'string' && coder) return coder;
  const auth = headers.authorization;
  if (!auth) return undefined;
  const [scheme, ...rest] = auth.trim().split(/\s+/);
  const value = rest.join(' ');
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Browser origins as a browser sends them (`scheme://host[:port]`, http or https), normalised (lower case, default
 * port dropped). Throws an error naming `source` for anything else: `null` (the origin of every sandboxed or file
 * page), wildcards, other schemes, user info, paths, queries and fragments, so the API never allows `null` or `*`.
 */
export function parseOrigins(values: readonly string[], source: string): string[] {
  return values.map((value) => {
    const text = value.trim();
    const refuse = (why: string) => new Error(`${source} "${value}" is not an allowed origin: ${why}`);
    const form = 'write it as scheme://host[:port], e.g. http://localhost:5173';
    if (text.toLowerCase() === 'null') throw refuse('"null" is shared by every sandboxed iframe and file:// page');
    if (text.includes('*')) throw refuse('wildcards are not allowed; list each origin');
    if (/[\s\p{Cc}]/u.test(text)) throw refuse('it contains spaces or control characters');
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw refuse(`it is not a URL; ${form}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('only http and https origins are allowed');
    if (url.username || url.password || text.includes('@')) throw refuse('it must not contain a user name or password');
    if (!/^https?:\/\/[^/?#\\]+\/?$/i.test(text)) throw refuse(`it must not have a path, query or fragment; ${form}`);
    return url.origin;
  });
}
