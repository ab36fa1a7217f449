import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Conf from 'conf';
import { z } from 'zod';
import { PreferencesSchema, TEST_ALL_DEFAULT_TIMEOUT_MS } from './contract/operation-schemas.js';
import { formatPath, validationError } from './contract/errors.js';

/** The window's last place and size (the normal bounds while maximised), restored at the next start. */
export const WindowBoundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().optional(),
});

/**
 * UI preferences: not secrets, not in SQLite. What Settings edits (the contract's PreferencesSchema: theme, local API,
 * scheduled checks) and what only the app keeps (window bounds, last view). One schema for both engines.
 */
export const StoredPreferencesSchema = PreferencesSchema.extend({
  windowBounds: WindowBoundsSchema.nullable(),
  lastView: z.string().max(100),
});
export type PreferencesData = z.infer<typeof StoredPreferencesSchema>;

export const PREFERENCE_DEFAULTS: PreferencesData = {
  theme: 'system',
  apiPort: 3100,
  apiEnabled: true,
  windowBounds: null,
  lastView: 'providers',
  checkIntervalMinutes: 0,
  testTimeoutSeconds: TEST_ALL_DEFAULT_TIMEOUT_MS / 1000,
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

/** preferences.json, in the data dir. */
export const PREFERENCES_FILE_NAME = 'preferences';

/**
 * What stores the preferences: conf headless, electron-store in the app. electron-store is conf with Electron's
 * defaults, so both read and write the same preferences.json with the same defaults and mode.
 */
export interface PreferencesEngine {
  get(key: string): unknown;
  set(values: Partial<PreferencesData>): void;
}

/** The options both engines take (each names the file its own way: conf `configName`, electron-store `name`). */
export function preferencesEngineOptions(cwd: string): { cwd: string; defaults: PreferencesData; configFileMode: number } {
  return { cwd, defaults: PREFERENCE_DEFAULTS, configFileMode: PREFERENCES_FILE_MODE };
}

/**
 * The one Preferences over either engine, opened on first use. A value read that does not fit the schema (a
 * hand-edited preferences.json) counts as its default; a value written must fit it.
 */
export function preferencesOver(openEngine: () => PreferencesEngine): Preferences {
  let engine: PreferencesEngine | undefined;
  const open = () => (engine ??= openEngine());
  const shape = StoredPreferencesSchema.shape;
  return {
    get: (key) => {
      const parsed = shape[key].safeParse(open().get(key));
      return (parsed.success ? parsed.data : PREFERENCE_DEFAULTS[key]) as PreferencesData[typeof key];
    },
    set: (key, value) => {
      const parsed = shape[key].safeParse(value);
      if (!parsed.success) {
        throw validationError(parsed.error.issues.map((issue) => ({ path: formatPath([key, ...issue.path]), message: issue.message })));
      }
      open().set({ [key]: parsed.data } as Partial<PreferencesData>);
    },
  };
}

/** Preferences in plain Node, on electron-store's own engine (conf). The app uses electron-store over the same file. */
export function confPreferences(cwd: string): Preferences {
  // conf (with ajv) takes ~90 ms to load: it is loaded for the first write. Reads before that parse preferences.json
  // here, so `serve` and the CLI start without it.
  let conf: PreferencesEngine | undefined;
  const openConf = () =>
    (conf ??= new (createRequire(import.meta.url)('conf') as { default: typeof Conf }).default<PreferencesData>({
      ...preferencesEngineOptions(cwd),
      configName: PREFERENCES_FILE_NAME,
      projectName: 'provider-desk',
    }));
  return preferencesOver(() => ({
    get: (key) => (conf ? conf.get(key) : readPreferencesFile(cwd)[key]),
    set: (values) => openConf().set(values),
  }));
}

/** preferences.json as conf keeps it; empty (every value its default) while there is none or it does not parse. */
function readPreferencesFile(cwd: string): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(readFileSync(join(cwd, `${PREFERENCES_FILE_NAME}.json`), 'utf8'));
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
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
