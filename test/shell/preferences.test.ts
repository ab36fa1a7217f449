import { describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/desk.js';
import { confPreferences, PREFERENCE_DEFAULTS } from '../../src-main/core/preferences.js';

// The real electron-store (conf with Electron's defaults) runs without Electron when given an absolute cwd: only the
// electron module itself is a stand-in, with no app, so electron-store does not ask it for paths.
vi.mock('electron', async () => ({ ...(await import('../helpers/fake-electron.js')).electronModule, default: {} }));

const { electronDeps } = await import('../../src-main/shell/main.js');

describe('one preferences interface, two engines (electron-store in the app, conf headless)', () => {
  it('reads and writes the same preferences.json, owner-only', () => {
    const dir = tempDir();
    const app = electronDeps.preferences(dir.path);
    const headless = confPreferences(dir.path);
    expect(app.get('theme')).toBe(PREFERENCE_DEFAULTS.theme);

    app.set('theme', 'dark');
    app.set('windowBounds', { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(headless.get('theme')).toBe('dark');
    expect(headless.get('windowBounds')).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    headless.set('checkIntervalMinutes', 15);
    expect(app.get('checkIntervalMinutes')).toBe(15);

    const file = join(dir.path, 'preferences.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ theme: 'dark', checkIntervalMinutes: 15 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    dir.remove();
  });

  it('refuses to write a value the schema does not allow, in either engine, naming the field', () => {
    const dir = tempDir();
    for (const preferences of [electronDeps.preferences(dir.path), confPreferences(dir.path)]) {
      expect(() => preferences.set('apiPort', 80)).toThrow(
        expect.objectContaining({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'apiPort' })] }),
      );
      expect(() => preferences.set('windowBounds', { width: -5, height: 700 })).toThrow(
        expect.objectContaining({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'windowBounds.width' })] }),
      );
      expect(() => preferences.set('theme', 'neon' as never)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
    // Refused before the engine is even opened: nothing was written.
    expect(existsSync(join(dir.path, 'preferences.json'))).toBe(false);
    dir.remove();
  });

  it('reads a hand-edited value that does not fit as its default, in either engine', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir.path, 'preferences.json'),
      JSON.stringify({ theme: 'neon', apiPort: 'eighty', windowBounds: { x: 'left' }, checkIntervalMinutes: 999999, lastView: 'keys' }),
      { mode: 0o600 },
    );
    for (const preferences of [electronDeps.preferences(dir.path), confPreferences(dir.path)]) {
      expect(preferences.get('theme')).toBe(PREFERENCE_DEFAULTS.theme);
      expect(preferences.get('apiPort')).toBe(PREFERENCE_DEFAULTS.apiPort);
      expect(preferences.get('windowBounds')).toBeNull();
      expect(preferences.get('checkIntervalMinutes')).toBe(0);
      expect(preferences.get('lastView')).toBe('keys');
    }
    dir.remove();
  });
});
