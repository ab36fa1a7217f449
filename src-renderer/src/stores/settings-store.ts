import { createStore } from 'zustand/vanilla';
import type { OperationOutput } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export type Preferences = OperationOutput<'preferences.get'>;
export type AppInfo = OperationOutput<'app.info'>;
export type Theme = Preferences['theme'];

export interface SettingsState {
  preferences: Preferences | null;
  info: AppInfo | null;
  token: string | null;
  tokenFile: string | null;
  error: string | null;
  load(): Promise<void>;
  loadToken(): Promise<string>;
  /** Changes preferences; the theme applies at once, port and on/off at the next start. */
  update(patch: Partial<Preferences>): Promise<void>;
  rotateToken(): Promise<string>;
}

/** Preferences, app info and the local API token. */
export function createSettingsStore(client: DeskClient) {
  return createStore<SettingsState>()((set, get) => ({
    preferences: null,
    info: null,
    token: null,
    tokenFile: null,
    error: null,
    async load() {
      try {
        const [preferences, info] = await Promise.all([client.call('preferences.get', {}), client.call('app.info', {})]);
        set({ preferences, info, error: null });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    async loadToken() {
      const result = await client.call('token.get', {});
      set({ token: result.token, tokenFile: result.file });
      return result.token;
    },
    async update(patch) {
      const previous = get().preferences;
      if (previous) set({ preferences: { ...previous, ...patch } });
      try {
        set({ preferences: await client.call('preferences.update', patch) });
      } catch (error) {
        set({ preferences: previous });
        throw error;
      }
    },
    async rotateToken() {
      const { token } = await client.call('token.rotate', {});
      set({ token });
      return token;
    },
  }));
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
