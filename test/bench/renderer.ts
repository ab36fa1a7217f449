/**
 * renderer_10k_vs_100_ratio: time from navigation (token login at `/?token=`) until the provider list shows its first
 * row, the search box is there, and a typed search has filtered the list, with 10,000 providers stored versus 100.
 * Chromium from Debian through playwright; the GUI served by the real server from out/renderer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright';
import { startApiServer, type ApiServer } from '../../src-main/core/http/server.js';
import type { Desk } from '../../src-main/core/desk.js';
import { benchProviderInput, log, openBenchDesk, percentile, seedProviders, tempDir, type Figure } from './lib.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Present in both stores (index 42 < 100) and matched by nothing else. */
const PROBE_INDEX = 42;

/** `electron-vite build`, so the figure measures the GUI as it is in the work tree. */
export function buildRenderer(): void {
  const bin = fileURLToPath(new URL('../../node_modules/.bin/electron-vite', import.meta.url));
  const result = spawnSync(bin, ['build'], { cwd: ROOT, encoding: 'utf8', env: process.env });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}

interface Store {
  desk: Desk;
  server: ApiServer;
  token: string;
  close(): Promise<void>;
}

async function openStore(providers: number): Promise<Store> {
  const dir = tempDir();
  const desk = openBenchDesk(dir.path);
  seedProviders(desk, providers);
  const server = await startApiServer(desk.http, { port: 0, uiDir: UI_DIR });
  return {
    desk,
    server,
    token: desk.token.current(),
    async close() {
      await server.close();
      await desk.close();
      dir.remove();
    },
  };
}

/** One cold load in a fresh browser context: ms from navigation until the list is rendered, searchable and filtered. */
async function timeToInteractive(browser: Browser, store: Store): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const probe = benchProviderInput(PROBE_INDEX);
    const started = performance.now();
    await page.goto(`${store.server.url}/?token=${encodeURIComponent(store.token)}`);
    const list = page.getByRole('listbox', { name: 'Providers' });
    const rows = list.getByRole('option');
    // A real row has text; a placeholder for a page still loading has none.
    await rows.first().filter({ hasText: /\S/ }).waitFor({ timeout: 60_000 });
    const search = page.getByLabel('Search providers');
    await search.waitFor({ timeout: 60_000 });
    await search.pressSequentially(probe.name, { delay: 0 });
    await page.waitForFunction(
      ({ name, display }) => {
        const items = [...document.querySelectorAll('[role="listbox"][aria-label="Providers"] [role="option"]')];
        return items.length === 1 && (items[0]?.textContent ?? '').match(new RegExp(`${name}|${display}`)) !== null;
      },
      { name: probe.name, display: probe.display_name ?? probe.name },
      { timeout: 60_000, polling: 'raf' },
    );
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

export async function renderer10kVs100(options: { build: boolean; rounds?: number }): Promise<Figure> {
  if (options.build) {
    log('renderer: electron-vite build…');
    buildRenderer();
  }
  if (!existsSync(`${UI_DIR}/index.html`)) throw new Error('out/renderer is missing: run `npx electron-vite build`');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const rounds = options.rounds ?? 5;
  const small = await openStore(100);
  const large = await openStore(10_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    // Warm-up: the browser process, the server's JIT and the page's assets in the OS cache.
    await timeToInteractive(browser, small);
    await timeToInteractive(browser, large);
    const smallTimes: number[] = [];
    const largeTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      smallTimes.push(await timeToInteractive(browser, small));
      largeTimes.push(await timeToInteractive(browser, large));
    }
    const ours = percentile(
      largeTimes.sort((a, b) => a - b),
      50,
    );
    const baseline = percentile(
      smallTimes.sort((a, b) => a - b),
      50,
    );
    return {
      key: 'renderer_10k_vs_100_ratio',
      label: 'GUI list interactive, 10k vs 100 (ms)',
      ours,
      baseline,
      unit: 'ms',
      value: ours / baseline,
      target: { op: '<=', value: 3 },
      note: `median of ${rounds} cold loads each (fresh context): navigation → first row + search box → typed search filtered to 1 row`,
    };
  } finally {
    await browser.close();
    await small.close();
    await large.close();
  }
}
