import { randomBytes } from 'node:crypto';
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

export const SESSION_COOKIE = 'pd_session';

/** Browser sessions for the served GUI (token login, like Jupyter). Kept in memory: a restart or token rotation logs out. */
export class SessionStore {
  private readonly sessions = new Map<string, number>();
  constructor(private readonly ttlMs = 12 * 60 * 60 * 1000) {}

  create(): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, Date.now() + this.ttlMs);
    return id;
  }

  valid(id: string | undefined): boolean {
    if (!id) return false;
    const expires = this.sessions.get(id);
    if (expires === undefined) return false;
    if (expires < Date.now()) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  revoke(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
