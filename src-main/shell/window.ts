import type { BrowserWindow as BrowserWindowType } from 'electron';
import { RENDERER_CSP } from '../core/http/csp.js';
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, type RestoredBounds } from './window-state.js';

export interface WindowOptions {
  preloadPath: string;
  /** The dev server URL, or undefined to load the built file. */
  devUrl?: string | undefined;
  indexHtml: string;
  /** Where the window was last (window-state.ts); the default size, centred, without. */
  restored?: RestoredBounds | undefined;
  /**
   * Asked (synchronously) when the page refuses to unload — it has unsaved edits — because the window is closing or
   * the app quitting: true lets it go and the edits are lost, false keeps the window open. Without it, it stays open.
   */
  confirmDiscard?: (window: BrowserWindowType) => boolean;
}

/** The question asked before a window with unsaved edits closes: "Discard" (0) or "Keep editing" (1, the default). */
export const DISCARD_QUESTION = {
  type: 'question',
  buttons: ['Discard changes', 'Keep editing'],
  defaultId: 1,
  cancelId: 1,
  title: 'Unsaved changes',
  message: 'You have unsaved changes',
  detail: 'Closing Provider Desk now discards the edits you have not saved.',
  noLink: true,
} as const;

/** The one window: isolated, sandboxed, no Node, no navigation, no new windows. */
export function createMainWindow(BrowserWindow: typeof BrowserWindowType, options: WindowOptions): BrowserWindowType {
  const bounds = options.restored?.bounds ?? DEFAULT_WINDOW_SIZE;
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Provider Desk',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  // The renderer refuses to unload while it holds unsaved edits (use-draft-guards.ts); here the user decides.
  window.webContents.on('will-prevent-unload', (event) => {
    if (options.confirmDiscard?.(window)) event.preventDefault();
  });
  if (!options.devUrl) {
    // The built page carries the policy in its <meta>; the header adds what a <meta> cannot say (frame-ancestors).
    // Not in dev: the dev server's page carries the dev policy, which allows its refresh preamble.
    window.webContents.session.webRequest.onHeadersReceived({ urls: ['file://*/*'] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
    });
  }
  // maximize() shows the window too: only once its page is ready, so no blank frame flashes.
  window.once('ready-to-show', () => (options.restored?.maximized ? window.maximize() : window.show()));
  if (options.devUrl) void window.loadURL(options.devUrl);
  else void window.loadFile(options.indexHtml);
  return window;
}
