import { describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { tempDir } from '../helpers/desk.js';
import { fakeElectron, ipcEvent as event } from '../helpers/fake-electron.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead.
vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule);
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { INVOKE_CHANNEL } = await import('../../src-main/shell/ipc.js');

describe('Electron shell wiring (with a stand-in electron module)', () => {
  it('opens one secure window, one IPC handler over the dispatcher, the keychain slot and the loopback API', async () => {
    const dir = tempDir();
    const fake = fakeElectron(dir.path);
    delete process.env.PROVIDER_DESK_DATA_DIR;
    const shell = await startShell(fake.deps as never);
    expect(shell).not.toBeNull();
    const running = shell!;

    const prefs = fake.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(fake.windows[0]!.openHandler!()).toEqual({ action: 'deny' });
    let prevented = false;
    fake.windows[0]!.navigateListeners[0]!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);

    expect([...fake.handlers.keys()]).toEqual([INVOKE_CHANNEL]);
    const invoke = fake.handlers.get(INVOKE_CHANNEL)!;
    const trusted = event('file:///app/out/renderer/index.html');
    const created = (await invoke(trusted, 'providers.create', {
      name: 'openai',
      type: 'openai',
      api_keys: [{ value: 'sk-shell-1234567890abcd' }],
    })) as any;
    expect(created.ok).toBe(true);
    expect(await invoke(event('https://evil.example/'), 'providers.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke(event('file:///app/out/renderer/index.html', {}), 'providers.list', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await invoke(trusted, 'no.such.op', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Copy key: decrypts in main, puts it on the clipboard; the page never sees it.
    const copied = (await invoke(trusted, 'keys.copy', { idOrName: 'openai', keyId: 'key-1' })) as any;
    expect(copied).toEqual({ ok: true, data: { copied: true, clears_in_seconds: 30 } });
    expect(fake.clipboard()).toBe('sk-shell-1234567890abcd');

    const info = (await invoke(trusted, 'app.info', {})) as any;
    expect(info.data.vault.slots).toEqual(expect.arrayContaining(['os-keychain', 'keyfile']));
    expect(info.data.vault.warning).toMatch(/no real keychain/);
    expect(info.data.api.enabled).toBe(true);
    const health = await fetch(`${running.server!.url}/api/v1/health`);
    expect(health.status).toBe(200);

    await running.quit();
    expect(fake.handlers.size).toBe(0);
    expect(existsSync(dir.path)).toBe(true);
    dir.remove();
  });

  it('asks before a window with unsaved edits closes: "Discard changes" lets it close, "Keep editing" keeps it', async () => {
    for (const [response, closes] of [
      [0, true],
      [1, false],
    ] as const) {
      const dir = tempDir();
      const fake = fakeElectron(dir.path, { dialogResponse: response });
      const running = (await startShell(fake.deps as never))!;
      const win = fake.windows[0]!;
      expect(win.unloadListeners).toHaveLength(1);
      let allowed = false;
      // Electron emits this when the page's beforeunload refused; preventDefault() lets the unload go on.
      win.unloadListeners[0]!({ preventDefault: () => (allowed = true) });
      expect(allowed).toBe(closes);
      expect(fake.deps.dialog.showMessageBoxSync).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ message: 'You have unsaved changes', buttons: ['Discard changes', 'Keep editing'], cancelId: 1 }),
      );
      await running.quit();
      dir.remove();
    }
  });
});
