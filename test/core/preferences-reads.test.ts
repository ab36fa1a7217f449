import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confPreferences, PREFERENCE_DEFAULTS } from '../../src-main/core/preferences.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pd-prefs-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

// Reads parse preferences.json directly (conf is loaded for the first write): they must agree with what conf wrote.
describe('preferences read before any write', () => {
  it('are the defaults, and create no file, while there is no preferences.json', () => {
    const dir = dataDir();
    const preferences = confPreferences(dir);
    expect(preferences.get('checkIntervalMinutes')).toBe(PREFERENCE_DEFAULTS.checkIntervalMinutes);
    expect(preferences.get('theme')).toBe(PREFERENCE_DEFAULTS.theme);
    expect(existsSync(join(dir, 'preferences.json'))).toBe(false);
  });

  it('are what an earlier process wrote through conf, and follow the writes of this process', () => {
    const dir = dataDir();
    confPreferences(dir).set('checkIntervalMinutes', 15);
    const later = confPreferences(dir);
    expect(later.get('checkIntervalMinutes')).toBe(15);
    later.set('theme', 'dark');
    expect(later.get('theme')).toBe('dark');
    expect(later.get('checkIntervalMinutes')).toBe(15);
  });

  it('fall back to the defaults for a hand-broken file or value', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'preferences.json'), '{"theme": "neon", "apiPort": 4100');
    expect(confPreferences(dir).get('apiPort')).toBe(PREFERENCE_DEFAULTS.apiPort);
    writeFileSync(join(dir, 'preferences.json'), '{"theme": "neon", "apiPort": 4100}');
    expect(confPreferences(dir).get('theme')).toBe(PREFERENCE_DEFAULTS.theme);
    expect(confPreferences(dir).get('apiPort')).toBe(4100);
  });
});
