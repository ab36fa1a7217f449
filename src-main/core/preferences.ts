import { EventEmitter } from 'node:events';
import Conf from 'conf';
import { PreferencesSchema } from './contract/operation-schemas.js';

/** UI preferences: not secrets, not in SQLite (theme, window bounds, local API port, scheduled checks). */
export interface PreferencesData {
  theme: 'light' | 'dark' | 'system';
  apiPort: number;
  apiEnabled: boolean;
  windowBounds: { width: number; height: number; x?: number; y?: number } | null;
  lastView: string;
  /** Scheduled checks: minutes between background re-tests of every enabled provider; 0 = off. */
  checkIntervalMinutes: number;
}

export const PREFERENCE_DEFAULTS: PreferencesData = {
  theme: 'system',
  apiPort: 3100,
  apiEnabled: true,
  windowBounds: null,
  lastView: 'providers',
  checkIntervalMinutes: 0,
};

export interface Preferences {
  get<K extends keyof PreferencesData>(key: K): PreferencesData[K];
  set<K extends keyof PreferencesData>(key: K, value: PreferencesData[K]): void;
}

/** Preferences that say when one of them changes (the shell and `serve` restart scheduled checks on it). */
export interface ObservablePreferences extends Preferences {
  onChange(listener: (key: keyof PreferencesData) => void): () => void;
}

/** Like everything in the data dir, preferences.json is readable by its owner only. */
export const PREFERENCES_FILE_MODE = 0o600;

/** Preferences in plain Node, on electron-store's own engine (conf). The app uses electron-store over the same file. */
export function confPreferences(cwd: string): Preferences {
  const store = new Conf<PreferencesData>({
    cwd,
    configName: 'preferences',
    defaults: PREFERENCE_DEFAULTS,
    projectName: 'provider-desk',
    configFileMode: PREFERENCES_FILE_MODE,
  });
  return { get: (key) => store.get(key), set: (key, value) => store.set({ [key]: value } as Partial<PreferencesData>) };
}

/** Wraps a preferences store so that every `set` is announced to listeners. */
export function observablePreferences(base: Preferences): ObservablePreferences {
  const events = new EventEmitter<{ change: [keyof PreferencesData] }>();
  return {
    get: (key) => base.get(key),
    set: (key, value) => {
      base.set(key, value);
      events.emit('change', key);
    },
    onChange: (listener) => {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
  };
}

/** The scheduled-check interval in minutes; a hand-edited preferences.json with a value out of range counts as off. */
export function checkIntervalMinutesOf(preferences: Preferences): number {
  const parsed = PreferencesSchema.shape.checkIntervalMinutes.safeParse(preferences.get('checkIntervalMinutes'));
  return parsed.success ? parsed.data : 0;
}
