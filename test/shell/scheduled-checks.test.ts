import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/desk.js';
import { fakeElectron, ipcEvent, TRUSTED_PAGE } from '../helpers/fake-electron.js';
import { startFakeProvider } from '../fakes/providers.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead.
vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule);
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { INVOKE_CHANNEL } = await import('../../src-main/shell/ipc.js');

const GOOD_KEY = 'sk-proj-shell-scheduled-0123456789abcdef';

describe('scheduled checks in the desktop app (with a stand-in electron module)', () => {
  it('follows the Settings preference, shows a desktop notification when a key starts failing, and stops on quit', async () => {
    const fake = await startFakeProvider('openai', { keys: [GOOD_KEY] });
    const dir = tempDir();
    const electron = fakeElectron(dir.path);
    delete process.env.PROVIDER_DESK_DATA_DIR;
    const preferences = electron.deps.preferences();
    preferences.set('checkIntervalMinutes', 5);
    const running = (await startShell(electron.deps as never))!;
    const invoke = electron.handlers.get(INVOKE_CHANNEL)!;
    const trusted = ipcEvent(TRUSTED_PAGE);

    // Started from the preference, restarted when Settings change it.
    expect(running.scheduler.interval).toBe(5 * 60_000);
    expect(await invoke(trusted, 'preferences.update', { checkIntervalMinutes: 60 })).toMatchObject({
      ok: true,
      data: { checkIntervalMinutes: 60 },
    });
    expect(running.scheduler.interval).toBe(60 * 60_000);
    await invoke(trusted, 'preferences.update', { checkIntervalMinutes: 0 });
    expect(running.scheduler.interval).toBe(0);

    const created = (await invoke(trusted, 'providers.create', {
      name: 'openai',
      type: 'openai',
      base_url: fake.baseUrl,
      api_keys: [{ name: 'main', value: GOOD_KEY }],
    })) as { ok: boolean };
    expect(created.ok).toBe(true);
    await running.scheduler.runNow();
    expect(electron.notifications).toEqual([]);

    fake.keys.splice(0); // the provider revokes the key
    await running.scheduler.runNow();
    await running.scheduler.runNow();
    expect(electron.notifications.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Provider Desk', body: "Key 'main' of openai stopped working: 401 — the key was rejected" },
    ]);
    electron.notifications[0]!.click();
    expect(electron.windows[0]!.shown).toBe(1);

    // A recovery is no desktop notification.
    fake.keys.push(GOOD_KEY);
    await running.scheduler.runNow();
    expect(electron.notifications).toHaveLength(1);

    await running.quit();
    // Stopped and no longer following the preference.
    await Promise.resolve(invoke(trusted, 'preferences.update', { checkIntervalMinutes: 15 })).catch(() => undefined);
    expect(running.scheduler.interval).toBe(0);
    await fake.close();
    dir.remove();
  });
});
