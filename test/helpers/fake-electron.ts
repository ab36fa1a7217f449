import { vi } from 'vitest';
import { confPreferences, type Preferences } from '../../src-main/core/preferences.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead. Each test file still
// mocks the `electron` and `electron-store` modules itself (vi.mock is hoisted per file) before importing the shell.

export type Handler = (event: unknown, ...args: unknown[]) => unknown;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeElectronOptions {
  /** What `safeStorage.getSelectedStorageBackend()` answers: `basic_text` (no real keychain) or e.g. `gnome_libsecret`. */
  backend?: string;
  /** The OS keychain: there (default), not available at all, or there but refusing to decrypt (locked). */
  keychain?: 'available' | 'unavailable' | 'locked';
  /** The port the local API preference names (default 0: any free port, which Settings itself would not accept). */
  apiPort?: number;
  /** The button the error dialog's user presses: 0 "Open data folder", 1 "Quit" (default). */
  dialogResponse?: number;
  /** The work areas of the displays `screen.getAllDisplays()` reports (default one 1920×1040 at 0,0). */
  displays?: Rect[];
}

interface WindowRecord {
  options: any;
  openHandler?: () => unknown;
  navigateListeners: Array<(e: { preventDefault(): void }) => void>;
  /** The page's refused unloads go here: `will-prevent-unload` listeners. */
  unloadListeners: Array<(e: { preventDefault(): void }) => void>;
  /** The filter and listener of `webRequest.onHeadersReceived`, when the shell set one. */
  headersReceived?: { filter: unknown; listener: (details: any, callback: (response: any) => void) => void };
  loaded?: string;
  shown?: number;
  maximized: boolean;
  bounds: Rect;
  listeners: Map<string, Array<() => void>>;
  /** Fires a window event ('move', 'resize', 'maximize', 'close', 'ready-to-show' …). */
  emit(name: string): void;
}

/** A stand-in for the parts of Electron the shell uses, over a real data dir. */
export function fakeElectron(dataDir: string, options: FakeElectronOptions = {}) {
  const handlers = new Map<string, Handler>();
  const windows: WindowRecord[] = [];
  /** What the shell did, in order: the single-instance lock, app event handlers, `ready`, opening the preferences. */
  const calls: string[] = [];
  const appListeners = new Map<string, Array<(...args: any[]) => void>>();
  let clipboardText = '';
  let ready = false;
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
    record: WindowRecord;
    webContents: any;
    private destroyed = false;
    constructor(options: any) {
      const listeners = new Map<string, Array<() => void>>();
      this.record = {
        options,
        navigateListeners: [],
        unloadListeners: [],
        maximized: false,
        bounds: { x: options.x ?? 100, y: options.y ?? 80, width: options.width, height: options.height },
        listeners,
        emit: (name) => [...(listeners.get(name) ?? [])].forEach((l) => l()),
      };
      windows.push(this.record);
      const record = this.record;
      this.webContents = {
        setWindowOpenHandler: (h: () => unknown) => (record.openHandler = h),
        on: (name: string, listener: (e: { preventDefault(): void }) => void) => {
          if (name === 'will-navigate') record.navigateListeners.push(listener);
          if (name === 'will-prevent-unload') record.unloadListeners.push(listener);
        },
        session: {
          webRequest: {
            onHeadersReceived: (filter: unknown, listener: (details: any, callback: (response: any) => void) => void) =>
              (record.headersReceived = { filter, listener }),
          },
        },
        send: () => undefined,
      };
    }
    on(name: string, listener: () => void) {
      this.record.listeners.set(name, [...(this.record.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: () => void) {
      return this.on(name, listener);
    }
    loadFile(path: string) {
      this.record.loaded = path;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
    isMinimized() {
      return false;
    }
    isMaximized() {
      return this.record.maximized;
    }
    maximize() {
      this.record.maximized = true;
      this.show();
    }
    getNormalBounds() {
      return { ...this.record.bounds };
    }
    restore() {}
    show() {
      this.record.shown = (this.record.shown ?? 0) + 1;
    }
    focus() {}
  }
  const stored = confPreferences(dataDir);
  const apiPort = options.apiPort ?? 0;
  const prefs: Preferences = {
    get: (key) => (key === 'apiPort' ? apiPort : stored.get(key)) as never,
    set: (key, value) => stored.set(key, value),
  };
  const keychain = options.keychain ?? 'available';
  return {
    handlers,
    windows,
    notifications,
    calls,
    clipboard: () => clipboardText,
    /** Fires an app event as Electron would, with an event whose preventDefault is recorded. */
    emitApp(name: string, ...args: unknown[]) {
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      (appListeners.get(name) ?? []).forEach((l) => l(event, ...args));
      return event;
    },
    deps: {
      app: {
        requestSingleInstanceLock: vi.fn(() => (calls.push('requestSingleInstanceLock'), true)),
        releaseSingleInstanceLock: vi.fn(() => calls.push('releaseSingleInstanceLock')),
        whenReady: () => (calls.push('whenReady'), (ready = true), Promise.resolve()),
        isReady: () => ready,
        getPath: () => dataDir,
        setPath: vi.fn(),
        quit: vi.fn(),
        exit: vi.fn((code?: number) => calls.push(`exit:${code ?? 0}`)),
        on: vi.fn((name: string, listener: (...args: any[]) => void) => {
          calls.push(`on:${name}`);
          appListeners.set(name, [...(appListeners.get(name) ?? []), listener]);
        }),
      },
      BrowserWindow: FakeWindow,
      ipcMain: {
        handle: (channel: string, h: Handler) => handlers.set(channel, h),
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      safeStorage: {
        isEncryptionAvailable: () => keychain !== 'unavailable',
        // A reversible stand-in for the OS keychain.
        encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
        decryptString: (buffer: Buffer) => {
          if (keychain === 'locked') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
          return Buffer.from(buffer).reverse().toString('utf8');
        },
        getSelectedStorageBackend: () => options.backend ?? 'basic_text',
      },
      dialog: {
        showErrorBox: vi.fn(),
        showMessageBox: vi.fn(async () => ({ response: options.dialogResponse ?? 1, checkboxChecked: false })),
        showMessageBoxSync: vi.fn(() => options.dialogResponse ?? 1),
      },
      shell: { openPath: vi.fn(async () => '') },
      screen: {
        getAllDisplays: () =>
          (options.displays ?? [{ x: 0, y: 0, width: 1920, height: 1040 }]).map((workArea) => ({ workArea, bounds: workArea })),
      },
      clipboard: { writeText: (t: string) => (clipboardText = t), readText: () => clipboardText, clear: () => (clipboardText = '') },
      Notification: FakeNotification,
      preferences: () => (calls.push('preferences'), prefs),
    },
  };
}

/** An IPC event as our own window's main frame (or another page) sends it. */
export function ipcEvent(url: string, parent: unknown = null) {
  return { senderFrame: { url, parent }, sender: { send: () => undefined } };
}

export const TRUSTED_PAGE = 'file:///app/out/renderer/index.html';

/**
 * What `vi.mock('electron', …)` gives the shell's modules at import: empty stand-ins (each test passes its own
 * `fakeElectron(...).deps`). `vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule)`.
 */
export const electronModule = {
  app: {},
  BrowserWindow: class {},
  ipcMain: {},
  safeStorage: {},
  dialog: {},
  clipboard: {},
  Notification: class {},
  shell: {},
  screen: {},
};
