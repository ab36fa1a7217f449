import { createStore } from 'zustand/vanilla';
import { DeskClientError, type DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export type SessionStatus = 'checking' | 'signed-in' | 'signed-out' | 'unreachable';

export interface SessionState {
  status: SessionStatus;
  message: string | null;
  /** Browser mode only: the desktop app is always signed in. */
  canSignOut: boolean;
  check(): Promise<void>;
  login(token: string): Promise<boolean>;
  logout(): Promise<void>;
  /** The server stopped accepting the session (logged out elsewhere, token rotated, server restarted). */
  expired(): void;
}

/** Whether the page may talk to the backend: the token login of browser mode. */
export function createSessionStore(client: DeskClient) {
  const control = client.transport.session;
  return createStore<SessionState>()((set, get) => ({
    status: control ? 'checking' : 'signed-in',
    message: null,
    canSignOut: control !== undefined,
    async check() {
      try {
        await client.call('app.info', {});
        set({ status: 'signed-in', message: null });
      } catch (error) {
        const signedOut = error instanceof DeskClientError && error.code === 'unauthorized';
        set({ status: signedOut ? 'signed-out' : 'unreachable', message: signedOut ? null : errorMessage(error) });
      }
    },
    async login(token) {
      if (!control) return true;
      const result = await control.login(token.trim());
      if (!result.ok) {
        set({ message: result.error.message });
        return false;
      }
      set({ status: 'signed-in', message: null });
      return true;
    },
    async logout() {
      await control?.logout();
      set({ status: 'signed-out', message: 'You signed out.' });
    },
    expired() {
      if (control && get().status === 'signed-in')
        set({ status: 'signed-out', message: 'Your session ended (the token may have been rotated). Sign in again.' });
    },
  }));
}

export type SessionStore = ReturnType<typeof createSessionStore>;
