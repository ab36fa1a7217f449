import { app, BrowserWindow, ipcMain, safeStorage, dialog, clipboard, Notification, shell, screen } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Desk } from '../core/desk.js';
import { UI_BUSY_TIMEOUT_MS } from '../core/store/busy-retry.js';
import type { ApiServer } from '../core/http/server.js';
import {
  observablePreferences,
  preferencesEngineOptions,
  preferencesOver,
  PREFERENCES_FILE_NAME,
  type ObservablePreferences,
  type Preferences,
  type PreferencesData,
} from '../core/preferences.js';
import { CheckScheduler, followCheckInterval } from '../core/service/check-scheduler.js';
import { removeServerFile } from '../core/server-file.js';
import { ensureDataDir } from '../core/data-dir.js';
import { isRealKeychain, keychainBackend, keychainWrapper } from './keychain-wrapper.js';
import { forwardEvents, registerIpc, trustedSender } from './ipc.js';
import { createMainWindow, DISCARD_QUESTION } from './window.js';
import { keepWindowBounds, restoredBounds } from './window-state.js';
import { notifyKeyFailures } from './notifications.js';
import { startLocalApi, type LocalApi } from './local-api.js';
import { showFailureAndExit, withDeadline } from './failure-dialog.js';
import { describeStartupFailure } from './startup-failure.js';

export interface ShellDeps {
  app: typeof app;
  BrowserWindow: typeof BrowserWindow;
  ipcMain: typeof ipcMain;
  safeStorage: typeof safeStorage;
  dialog: typeof dialog;
  clipboard: typeof clipboard;
  Notification: typeof Notification;
  shell: typeof shell;
  screen: typeof screen;
  preferences: (cwd: string) => Preferences;
}

/** electron-store in the app: the same schema, defaults and file as conf headless (core/preferences.ts). */
function electronStorePreferences(cwd: string): Preferences {
  return preferencesOver(() => new Store<PreferencesData>({ ...preferencesEngineOptions(cwd), name: PREFERENCES_FILE_NAME }));
}

export const electronDeps: ShellDeps = {
  app,
  BrowserWindow,
  ipcMain,
  safeStorage,
  dialog,
  clipboard,
  Notification,
  shell,
  screen,
  preferences: electronStorePreferences,
};

export interface ShellOptions {
  /** The longest quitting waits for the server and the store to close (default 5 s). */
  quitTimeoutMs?: number;
}

export const QUIT_TIMEOUT_MS = 5000;

export interface RunningShell {
  desk: Desk;
  /** This app's own server; null when the API is off, or served by a `provider-desk serve` on the same data dir. */
  server: ApiServer | null;
  api: LocalApi;
  /** Scheduled checks, at the interval of the preference (Settings). */
  scheduler: CheckScheduler;
  window: BrowserWindow;
  /** Closes everything (once; later calls get the same promise). */
  quit(): Promise<void>;
}

/** The data dir: PROVIDER_DESK_DATA_DIR, else Electron's userData. */
export function dataDirOf(deps: Pick<ShellDeps, 'app'>): string {
  return process.env.PROVIDER_DESK_DATA_DIR ?? deps.app.getPath('userData');
}

/** Whether safeStorage can encrypt now; false before `ready`, and with a locked or missing keychain. */
export function keychainAvailable(deps: Pick<ShellDeps, 'safeStorage'>): boolean {
  try {
    return deps.safeStorage.isEncryptionAvailable();
  } catch {
    return false;
  }
}

/**
 * Starts the desktop app: one locked instance, the vault in the OS keychain slot (only there when the keychain is
 * real, unless the user allows command-line access), the loopback API, one secure window. A failure to open the data
 * ends in a dialog that names the cause and the fix, and the app exits (resolving null).
 */
export async function startShell(deps: ShellDeps = electronDeps, options: ShellOptions = {}): Promise<RunningShell | null> {
  const dataDir = dataDirOf(deps);
  // Electron keys the single-instance lock (and Chromium's own files) on userData: one app per data dir.
  if (process.env.PROVIDER_DESK_DATA_DIR) deps.app.setPath('userData', dataDir);
  // First, before anything that can fail: a second launch hands over to this one and brings its window up.
  if (!deps.app.requestSingleInstanceLock()) {
    deps.app.quit();
    return null;
  }
  let window: BrowserWindow | undefined;
  deps.app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  await deps.app.whenReady();

  const backend = keychainBackend(deps.safeStorage, process.platform);
  let desk: Desk;
  let preferences: ObservablePreferences;
  try {
    // Made 0700 before electron-store writes preferences.json into it.
    ensureDataDir(dataDir);
    // Observed, so scheduled checks restart when the interval changes in Settings.
    preferences = observablePreferences(deps.preferences(dataDir));
    desk = new Desk({
      dataDir,
      wrappers: keychainAvailable(deps) ? [keychainWrapper(deps.safeStorage, backend)] : [],
      keychainOnly: isRealKeychain(deps.safeStorage, backend),
      keychainBackend: backend,
      preferences,
      // The window must not freeze while a CLI import holds the write lock: writes wait asynchronously instead.
      busyTimeoutMs: UI_BUSY_TIMEOUT_MS,
      longLived: true,
      clipboard: {
        writeText: (text) => deps.clipboard.writeText(text),
        readText: () => deps.clipboard.readText(),
        clear: () => deps.clipboard.clear(),
      },
    });
  } catch (error) {
    await showFailureAndExit(deps, describeStartupFailure(error, { dataDir, keychainAvailable: keychainAvailable(deps) }), dataDir);
    return null;
  }

  // What is open is closed in reverse order at quit, and also when the rest of the start fails.
  const closers: Array<() => void | Promise<void>> = [() => desk.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        desk.logger.warn('closing failed', { error: error instanceof Error ? error.message : 'unknown' });
      }
    }
  };
  let closing: Promise<void> | undefined;
  const quit = () => (closing ??= closeAll());

  try {
    if (backend === 'basic_text') desk.logger.warn('no OS keychain: safeStorage backend is basic_text');
    const api: LocalApi = preferences.get('apiEnabled')
      ? await startLocalApi(desk.http, dataDir, preferences.get('apiPort'))
      : { kind: 'none' };
    const server = api.kind === 'own' ? api.server : null;
    if (server) {
      closers.push(async () => {
        removeServerFile(dataDir);
        await server.close();
      });
    }

    const here = fileURLToPath(new URL('.', import.meta.url));
    const devUrl = process.env.ELECTRON_RENDERER_URL;
    const mainWindow = createMainWindow(deps.BrowserWindow, {
      preloadPath: join(here, '../preload/index.cjs'),
      devUrl,
      indexHtml: join(here, '../renderer/index.html'),
      restored: restoredBounds(preferences.get('windowBounds'), deps.screen.getAllDisplays()),
      confirmDiscard: (target) =>
        deps.dialog.showMessageBoxSync(target, { ...DISCARD_QUESTION, buttons: [...DISCARD_QUESTION.buttons] }) === 0,
    });
    window = mainWindow;
    closers.push(keepWindowBounds(mainWindow, preferences));
    const allowedUrl = (url: string) =>
      devUrl ? url.startsWith(devUrl) : url.startsWith('file://') && url.includes('/renderer/index.html');
    const scheduler = new CheckScheduler(
      { providers: desk.providers, health: desk.health, transitions: desk.checkTransitions, logger: desk.logger },
      // Stops before quitting's own deadline, so the store is not closed under a run in flight.
      { stopTimeoutMs: 3000 },
    );
    closers.push(() => scheduler.stop());
    closers.push(notifyKeyFailures(deps.Notification, scheduler, () => (mainWindow.isDestroyed() ? undefined : mainWindow)));
    closers.push(followCheckInterval(preferences, scheduler));
    closers.push(forwardEvents(desk.changes, () => (mainWindow.isDestroyed() ? undefined : mainWindow.webContents)));
    closers.push(registerIpc(deps.ipcMain, desk.dispatch, trustedSender(allowedUrl)));

    deps.app.on('window-all-closed', () => deps.app.quit());
    let exiting = false;
    deps.app.on('will-quit', (event) => {
      if (exiting) return;
      // Electron would exit as soon as this returns: held until the server and the store are closed (bounded).
      event.preventDefault();
      void withDeadline(quit(), options.quitTimeoutMs ?? QUIT_TIMEOUT_MS).then(() => {
        exiting = true;
        deps.app.exit(0);
      });
    });
    return { desk, server, api, scheduler, window: mainWindow, quit };
  } catch (error) {
    await showFailureAndExit(deps, describeStartupFailure(error, { dataDir, keychainAvailable: keychainAvailable(deps) }), dataDir, quit);
    return null;
  }
}
