import { describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { tempDir } from '../helpers/desk.js';
import { confPreferences } from '../../src-main/core/preferences.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead.
vi.mock('electron', () => ({ app: {}, BrowserWindow: class {}, ipcMain: {}, safeStorage: {}, dialog: {}, clipboard: {} }));
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { INVOKE_CHANNEL } = await import('../../src-main/shell/ipc.js');

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function fakeElectron(dataDir: string) {
  const handlers = new Map<string, Handler>();
  const windows: Array<{
    options: any;
    openHandler?: () => unknown;
    navigateListeners: Array<(e: { preventDefault(): void }) => void>;
    loaded?: string;
  }> = [];
  let clipboardText = '';
  class FakeWindow {
    record: (typeof windows)[number];
    webContents: any;
    constructor(options: unknown) {
      this.record = { options, navigateListeners: [] };
      windows.push(this.record);
      const record = this.record;
      this.webContents = {
        setWindowOpenHandler: (h: () => unknown) => (record.openHandler = h),
        on: (name: string, listener: (e: { preventDefault(): void }) => void) =>
          name === 'will-navigate' && record.navigateListeners.push(listener),
        session: { webRequest: { onHeadersReceived: () => undefined } },
        send: () => undefined,
      };
    }
    once() {}
    loadFile(path: string) {
      this.record.loaded = path;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
  }
  const prefs = confPreferences(dataDir);
  prefs.set('apiPort', 0);
  return {
    handlers,
    windows,
    clipboard: () => clipboardText,
    deps: {
      app: {
        requestSingleInstanceLock: () => true,
        whenReady: () => Promise.resolve(),
        getPath: () => dataDir,
        quit: vi.fn(),
        on: vi.fn(),
      },
      BrowserWindow: FakeWindow,
      ipcMain: {
        handle: (channel: string, h: Handler) => handlers.set(channel, h),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      safeStorage: {
        isEncryptionAvailable: () => true,
        // A reversible stand-in for the OS keychain.
        encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
        decryptString: (buffer: Buffer) => Buffer.from(buffer).reverse().toString('utf8'),
        getSelectedStorageBackend: () => 'basic_text',
      },
      dialog: { showErrorBox: vi.fn() },
      clipboard: { writeText: (t: string) => (clipboardText = t), readText: () => clipboardText, clear: () => (clipboardText = '') },
      preferences: () => prefs,
    },
  };
}

function event(url: string, parent: unknown = null) {
  return { senderFrame: { url, parent }, sender: { send: () => undefined } };
}

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

  it('quits when another instance holds the lock', async () => {
    const dir = tempDir();
    const fake = fakeElectron(dir.path);
    fake.deps.app.requestSingleInstanceLock = () => false;
    expect(await startShell(fake.deps as never)).toBeNull();
    expect(fake.deps.app.quit).toHaveBeenCalled();
    dir.remove();
  });
});
