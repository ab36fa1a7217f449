import { vi } from 'vitest';
import { confPreferences } from '../../src-main/core/preferences.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead. Each test file still
// mocks the `electron` and `electron-store` modules itself (vi.mock is hoisted per file) before importing the shell.

export type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface FakeElectronOptions {
  /** What `safeStorage.getSelectedStorageBackend()` answers: `basic_text` (no real keychain) or e.g. `gnome_libsecret`. */
  backend?: string;
}

/** A stand-in for the parts of Electron the shell uses, over a real data dir. */
export function fakeElectron(dataDir: string, options: FakeElectronOptions = {}) {
  const handlers = new Map<string, Handler>();
  const windows: Array<{
    options: any;
    openHandler?: () => unknown;
    navigateListeners: Array<(e: { preventDefault(): void }) => void>;
    loaded?: string;
    shown?: number;
  }> = [];
  let clipboardText = '';
  /** Every desktop notification the shell showed, with a way to click it. */
  const notifications: Array<{ title: string; body: string; click(): void }> = [];
  class FakeNotification {
    static isSupported() {
      return true;
    }
    private readonly clickListeners: Array<() => void> = [];
    constructor(private readonly options: { title: string; body: string }) {}
    on(name: string, listener: () => void) {
      if (name === 'click') this.clickListeners.push(listener);
      return this;
    }
    show() {
      notifications.push({ title: this.options.title, body: this.options.body, click: () => this.clickListeners.forEach((l) => l()) });
    }
  }
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
    isMinimized() {
      return false;
    }
    restore() {}
    show() {
      this.record.shown = (this.record.shown ?? 0) + 1;
    }
    focus() {}
  }
  const prefs = confPreferences(dataDir);
  prefs.set('apiPort', 0);
  return {
    handlers,
    windows,
    notifications,
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
        getSelectedStorageBackend: () => options.backend ?? 'basic_text',
      },
      dialog: { showErrorBox: vi.fn() },
      clipboard: { writeText: (t: string) => (clipboardText = t), readText: () => clipboardText, clear: () => (clipboardText = '') },
      Notification: FakeNotification,
      preferences: () => prefs,
    },
  };
}

/** An IPC event as our own window's main frame (or another page) sends it. */
export function ipcEvent(url: string, parent: unknown = null) {
  return { senderFrame: { url, parent }, sender: { send: () => undefined } };
}

export const TRUSTED_PAGE = 'file:///app/out/renderer/index.html';
