import { app, BrowserWindow, ipcMain, safeStorage, dialog, clipboard, Notification } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Desk } from '../core/desk.js';
import { startApiServer, type ApiServer } from '../core/http/server.js';
import {
  observablePreferences,
  PREFERENCE_DEFAULTS,
  PREFERENCES_FILE_MODE,
  type ObservablePreferences,
  type Preferences,
  type PreferencesData,
} from '../core/preferences.js';
import { CheckScheduler, followCheckInterval } from '../core/service/check-scheduler.js';
import { removeServerFile, writeServerFile } from '../core/server-file.js';
import { ensureDataDir } from '../core/data-dir.js';
import { isRealKeychain, keychainBackend, keychainWrapper } from './keychain-wrapper.js';
import { forwardEvents, registerIpc, trustedSender } from './ipc.js';
import { createMainWindow } from './window.js';
import { notifyKeyFailures } from './notifications.js';

export interface ShellDeps {
  app: typeof app;
  BrowserWindow: typeof BrowserWindow;
  ipcMain: typeof ipcMain;
  safeStorage: typeof safeStorage;
  dialog: typeof dialog;
  clipboard: typeof clipboard;
  Notification: typeof Notification;
  preferences: (cwd: string) => Preferences;
}

function electronStorePreferences(cwd: string): Preferences {
  const store = new Store<PreferencesData>({
    cwd,
    name: 'preferences',
    defaults: PREFERENCE_DEFAULTS,
    configFileMode: PREFERENCES_FILE_MODE,
  });
  return { get: (key) => store.get(key), set: (key, value) => store.set({ [key]: value } as Partial<PreferencesData>) };
}

export const electronDeps: ShellDeps = {
  app,
  BrowserWindow,
  ipcMain,
  safeStorage,
  dialog,
  clipboard,
  Notification,
  preferences: electronStorePreferences,
};

export interface RunningShell {
  desk: Desk;
  server: ApiServer | null;
  /** Scheduled checks, at the interval of the preference (Settings). */
  scheduler: CheckScheduler;
  window: BrowserWindow;
  quit(): Promise<void>;
}

/**
 * Starts the desktop app: one locked instance, the vault in the OS keychain slot (only there when the keychain is
 * real, unless the user allows command-line access), the loopback API, one secure window.
 */
export async function startShell(deps: ShellDeps = electronDeps): Promise<RunningShell | null> {
  if (!deps.app.requestSingleInstanceLock()) {
    deps.app.quit();
    return null;
  }
  await deps.app.whenReady();
  const dataDir = process.env.PROVIDER_DESK_DATA_DIR ?? deps.app.getPath('userData');
  const backend = keychainBackend(deps.safeStorage, process.platform);
  const wrappers = deps.safeStorage.isEncryptionAvailable() ? [keychainWrapper(deps.safeStorage, backend)] : [];
  let desk: Desk;
  let preferences: ObservablePreferences;
  try {
    // Made 0700 before electron-store writes preferences.json into it.
    ensureDataDir(dataDir);
    // Observed, so scheduled checks restart when the interval changes in Settings.
    preferences = observablePreferences(deps.preferences(dataDir));
    desk = new Desk({
      dataDir,
      wrappers,
      keychainOnly: isRealKeychain(deps.safeStorage, backend),
      keychainBackend: backend,
      preferences,
      clipboard: {
        writeText: (text) => deps.clipboard.writeText(text),
        readText: () => deps.clipboard.readText(),
        clear: () => deps.clipboard.clear(),
      },
    });
  } catch (error) {
    // An insecure data dir or a locked vault: say why (the message names the file and the fix) instead of dying silently.
    deps.dialog.showErrorBox('Provider Desk cannot open its data', error instanceof Error ? error.message : String(error));
    deps.app.quit();
    return null;
  }
  if (backend === 'basic_text') {
    desk.logger.warn('no OS keychain: safeStorage backend is basic_text');
  }

  let server: ApiServer | null = null;
  if (preferences.get('apiEnabled')) {
    try {
      server = await startApiServer(desk, { port: preferences.get('apiPort') });
      desk.token.ensureFile();
    } catch (error) {
      desk.logger.warn('local API not started', { error: error instanceof Error ? error.message : 'unknown' });
      deps.dialog.showErrorBox('Local API not started', error instanceof Error ? error.message : String(error));
    }
  }
  if (server) {
    try {
      // Tells the CLI where the app listens, for stores it cannot open itself (the key in the OS keychain only).
      writeServerFile(dataDir, { url: server.url, port: server.port, pid: process.pid });
    } catch (error) {
      desk.logger.warn('server.json not written', { error: error instanceof Error ? error.name : 'unknown' });
    }
  }

  const here = fileURLToPath(new URL('.', import.meta.url));
  const indexHtml = join(here, '../renderer/index.html');
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const window = createMainWindow(deps.BrowserWindow, { preloadPath: join(here, '../preload/index.cjs'), devUrl, indexHtml });
  const allowedUrl = (url: string) => (devUrl ? url.startsWith(devUrl) : url.startsWith('file://') && url.includes('/renderer/index.html'));
  const disposeIpc = registerIpc(deps.ipcMain, desk, trustedSender(allowedUrl));
  const disposeEvents = forwardEvents(desk, () => (window.isDestroyed() ? undefined : window.webContents));
  const scheduler = new CheckScheduler({
    providers: desk.providers,
    health: desk.health,
    transitions: desk.checkTransitions,
    logger: desk.logger,
  });
  const disposeNotifications = notifyKeyFailures(deps.Notification, scheduler, () => (window.isDestroyed() ? undefined : window));
  const unfollowInterval = followCheckInterval(preferences, scheduler);
  const quit = async () => {
    if (server) removeServerFile(dataDir);
    disposeIpc();
    disposeEvents();
    unfollowInterval();
    disposeNotifications();
    // A run in flight finishes (bounded) before the store closes under it.
    await scheduler.stop();
    await server?.close();
    await desk.close();
  };
  deps.app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  deps.app.on('window-all-closed', () => deps.app.quit());
  deps.app.on('will-quit', () => void quit());
  return { desk, server, scheduler, window, quit };
}
