import Conf from 'conf';

/** UI preferences: not secrets, not in SQLite (theme, window bounds, local API port). */
export interface PreferencesData {
  theme: 'light' | 'dark' | 'system';
  apiPort: number;
  apiEnabled: boolean;
  windowBounds: { width: number; height: number; x?: number; y?: number } | null;
  lastView: string;
}

export const PREFERENCE_DEFAULTS: PreferencesData = {
  theme: 'system',
  apiPort: 3100,
  apiEnabled: true,
  windowBounds: null,
  lastView: 'providers',
};

export interface Preferences {
  get<K extends keyof PreferencesData>(key: K): PreferencesData[K];
  set<K extends keyof PreferencesData>(key: K, value: PreferencesData[K]): void;
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
