import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'pd_session';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

/** What a session is bound to: the API token generation it was opened with and the server port that issued it. */
export interface SessionBinding {
  generation: string;
  port: number;
}

interface Session extends SessionBinding {
  expiresAt: number;
  idleUntil: number;
}

/**
 * Browser sessions for the served GUI (token login, like Jupyter). A session dies with the token it was opened with
 * (its generation is compared on every request, so a rotation by any process ends it), when idle for 30 minutes,
 * after 12 hours, or on logout; and it is only good on the port that issued it. Kept in memory: a restart logs out.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleMs = SESSION_IDLE_MS,
    private readonly absoluteMs = SESSION_ABSOLUTE_MS,
  ) {}

  create(binding: SessionBinding): string {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.sessions.set(id, { ...binding, expiresAt: now + this.absoluteMs, idleUntil: now + this.idleMs });
    return id;
  }

  /** True when the session exists, is alive, and matches the current token generation and this port; refreshes its idle timer. */
  valid(id: string | undefined, current: SessionBinding): boolean {
    if (!id) return false;
    const session = this.sessions.get(id);
    if (!session) return false;
    const now = this.now();
    if (session.expiresAt <= now || session.idleUntil <= now || session.generation !== current.generation) {
      this.sessions.delete(id);
      return false;
    }
    if (session.port !== current.port) return false;
    session.idleUntil = Math.min(session.expiresAt, now + this.idleMs);
    return true;
  }

  revoke(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_ABSOLUTE_MS / 1000}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
