import { tmpdir } from 'node:os';
/**
 * The GUI test harness: the real backend (store, vault, HTTP server serving out/renderer) in this process,
 * Debian's Chromium through playwright, fake providers from test/fakes, and a console watcher.
 *
 *   const gui = await startGui();                // server over a fresh temp data dir
 *   const browser = await launchChromium();
 *   const { page, problems } = await openPage(browser, gui);   // signed in via /?token=
 *   ...
 *   expect(problems()).toEqual([]);              // no console errors, no uncaught exceptions
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import type { Desk } from '../../src-main/core/desk.js';
import { startApiServer, type ApiServer } from '../../src-main/core/http/server.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const UI_DIR = join(ROOT, 'out/renderer');
/** The README's screenshots are refreshed with `npm run screenshots`; ordinary runs write them to a temp dir, leaving the tree clean. */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'resources/screenshots') : join(tmpdir(), 'provider-desk-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Gui {
  desk: Desk;
  server: ApiServer;
  url: string;
  token: string;
  close(): Promise<void>;
}

export function assertBuilt(): void {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${UI_DIR}/index.html is missing). Run \`npm run build\` (or \`npx electron-vite build\`) before \`npm run test:e2e\`.`,
    );
  }
}

/** The real backend with the GUI, on an ephemeral loopback port over a fresh data dir. */
export async function startGui(): Promise<Gui> {
  assertBuilt();
  const dir = tempDir('pd-e2e-');
  const desk = openTestDesk({ dataDir: dir.path });
  const server = await startApiServer(desk.http, { port: 0, uiDir: UI_DIR });
  return {
    desk,
    server,
    url: server.url,
    token: desk.token.current(),
    async close() {
      await server.close();
      await desk.close();
      dir.remove();
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Responses the app expects and handles (a 401 before signing in, a 409 on a taken name, a 502 from a failing
 * upstream) still make Chromium log "Failed to load resource"; those are not app errors. Everything else is.
 */
const EXPECTED_HTTP = /Failed to load resource: the server responded with a status of (400|401|404|409|412|502)/;

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  problems(): string[];
}

export async function openPage(
  browser: Browser,
  gui: Gui,
  options: { signIn?: boolean; colorScheme?: 'light' | 'dark'; path?: string } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const seen: string[] = [];
  page.on('console', (message) => {
    if ((message.type() === 'error' || message.type() === 'warning') && !EXPECTED_HTTP.test(message.text()))
      seen.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.push(`pageerror: ${error.message}`));
  const [path = '/', hash = ''] = (options.path ?? '/').split('#');
  if (options.signIn !== false) {
    const separator = path.includes('?') ? '&' : '?';
    await page.goto(`${gui.url}${path}${separator}token=${encodeURIComponent(gui.token)}${hash ? `#${hash}` : ''}`);
  } else {
    await page.goto(`${gui.url}${path}${hash ? `#${hash}` : ''}`);
  }
  return { context, page, problems: () => [...seen] };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

/** Adds providers straight through the service (fast), in one transaction. */
export function seedProviders(desk: Desk, inputs: Array<Parameters<Desk['providers']['create']>[0]>): void {
  desk.repo.transaction(() => {
    for (const input of inputs) desk.providers.create(input);
  });
}
