import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const GOOD = 'sk-e2e-health-good-0123456789';
const BAD = 'sk-e2e-health-bad-9876543210';

let gui: Gui;
let browser: Browser;
let fake: FakeProvider;
let opened: OpenedPage;
let page: Page;

const list = () => page.getByRole('listbox', { name: 'Providers' });
const row = (name: string) => list().locator(`[data-name="${name}"]`);
const rowNames = () =>
  list()
    .locator('[data-name]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  fake = await startFakeProvider('openai', { keys: [GOOD] });
  seedProviders(gui.desk, [
    {
      name: 'mixed',
      type: 'openai',
      display_name: 'Mixed keys',
      base_url: fake.baseUrl,
      api_keys: [
        { name: 'good', value: GOOD },
        { name: 'bad', value: BAD },
      ],
    },
    { name: 'fine', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: GOOD }] },
  ]);
  opened = await openPage(browser, gui);
  page = opened.page;
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await fake?.close();
});

describe('one health model in the GUI', () => {
  it('counts a provider with one working and one rejected key as degraded in the test-all summary, and lists them', async () => {
    await page.getByRole('button', { name: 'Test all' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test all providers' });
    const degraded = dialog.locator('.stat[data-health="degraded"]');
    await degraded.waitFor();
    await expect(degraded.locator('.stat-value').textContent()).resolves.toBe('1');
    await expect(dialog.locator('.stat[data-health="ok"] .stat-value').textContent()).resolves.toBe('1');
    await degraded.getByRole('button', { name: 'Show degraded' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(rowNames).toEqual(['mixed']);
    await expect(page.getByLabel('Filter by health').inputValue()).resolves.toBe('degraded');
  });

  it('shows "Degraded" in the list and in the detail view, with each key\'s own health', async () => {
    await expect(row('mixed').locator('.health-label').textContent()).resolves.toBe('Degraded');
    await row('mixed').click();
    await page.getByRole('heading', { name: 'Mixed keys', level: 1 }).waitFor();
    await expect(page.locator('.detail-header .health-label').textContent()).resolves.toBe('Degraded');
    await page.getByRole('tab', { name: /^Keys/ }).click();
    const key = (name: string) => page.getByRole('listitem', { name: `Key ${name}` });
    await expect(key('good').locator('[data-health]').getAttribute('data-health')).resolves.toBe('ok');
    await expect(key('bad').locator('[data-health]').getAttribute('data-health')).resolves.toBe('error');
    await expect(key('bad').textContent()).resolves.toMatch(/Key rejected/);
  });

  it("clears the failing key's verdict when it is turned off, and the provider is OK at once", async () => {
    await page.getByRole('switch', { name: 'Enable key bad' }).click();
    await expect.poll(() => page.locator('.detail-header .health-label').textContent()).toBe('OK');
    const bad = page.getByRole('listitem', { name: 'Key bad' });
    await expect.poll(() => bad.locator('[data-health]').getAttribute('data-health')).toBe('untested');
    await page.getByLabel('Filter by health').selectOption('ok');
    await expect.poll(rowNames).toEqual(['fine', 'mixed']);
  });
});
