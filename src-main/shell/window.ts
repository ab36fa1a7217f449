import type { BrowserWindow as BrowserWindowType } from 'electron';

export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface WindowOptions {
  preloadPath: string;
  /** The dev server URL, or undefined to load the built file. */
  devUrl?: string | undefined;
  indexHtml: string;
}

/** The one window: isolated, sandboxed, no Node, no navigation, no new windows. */
export function createMainWindow(BrowserWindow: typeof BrowserWindowType, options: WindowOptions): BrowserWindowType {
  const window = new BrowserWindow({
    width: 1240,
    height: 820,
    minWidth: 880,
    minHeight: 560,
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
  window.webContents.session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  window.once('ready-to-show', () => window.show());
  if (options.devUrl) void window.loadURL(options.devUrl);
  else void window.loadFile(options.indexHtml);
  return window;
}
