import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const GOOD_KEY = 'sk-proj-timeline-0123456789abcdef';

let gui: Gui;
let browser: Browser;
let fake: FakeProvider;
let opened: OpenedPage;
let page: Page;

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  fake = await startFakeProvider('openai', { keys: [GOOD_KEY] });
  seedProviders(gui.desk, [
    { name: 'openai-timeline', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: GOOD_KEY }] },
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

describe('check history and scheduled checks in the GUI', () => {
  it("shows a key's latest checks as a timeline of marks, each with an accessible name and a tooltip", async () => {
    const id = gui.desk.providers.get('openai-timeline').id;
    // Let the app finish signing in before moving within the page (the first file of a run meets a cold browser).
    await page.getByRole('button', { name: 'Add provider' }).waitFor({ timeout: 30_000 });
    await page.goto(`${gui.url}/#/providers/${id}/keys`);
    const key = page.getByRole('list', { name: 'API keys' }).getByRole('listitem', { name: 'Key main' });
    await key.waitFor();
    const timeline = key.getByRole('list', { name: 'Recent checks of key main' });
    await expect(timeline.count()).resolves.toBe(0);

    const test = key.getByRole('button', { name: 'Test key main' });
    const testOnce = async (expected: number) => {
      await test.click();
      await expect.poll(() => timeline.getByRole('listitem').count()).toBe(expected);
      await expect.poll(() => test.isEnabled()).toBe(true);
    };
    await testOnce(1);
    await testOnce(2);
    // A late `check.started` event of a test that already ended is only watched, never sent again as a test.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fake.requests.filter((r) => r.path === '/v1/models')).toHaveLength(2);
    const marks = timeline.getByRole('img');
    await expect(marks.count()).resolves.toBe(2);
    for (const name of await marks.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))) {
      expect(name).toMatch(/^Works, just now, \d+ (ms|s)$/);
    }

    fake.keys.splice(0); // the provider revokes the key
    await testOnce(3);
    const last = marks.nth(2);
    await expect(last.getAttribute('aria-label')).resolves.toMatch(/^Key rejected, just now, .*: 401 from/);
    await expect(last.getAttribute('class')).resolves.toContain('check-mark--error');
    await last.focus();
    const tip = timeline.getByRole('listitem').nth(2).locator('.check-mark-tip');
    await expect(tip.isVisible()).resolves.toBe(true);
    await expect(tip.textContent()).resolves.toMatch(/Key rejected/);
  });

  it('stores the scheduled-check interval chosen in Settings, and shows it again after a reload', async () => {
    await page.goto(`${gui.url}/#/settings`);
    const select = page.getByLabel('Check providers', { exact: true });
    await select.waitFor();
    await expect(select.inputValue()).resolves.toBe('0');
    await expect(page.getByText('never run a deep test', { exact: false }).count()).resolves.toBe(1);
    const labels = await select.locator('option').allTextContents();
    expect(labels).toEqual(['Off', 'Every 5 minutes', 'Every 15 minutes', 'Every hour', 'Every 6 hours']);

    await select.selectOption({ label: 'Every 15 minutes' });
    await expect.poll(() => gui.desk.preferences.get('checkIntervalMinutes')).toBe(15);
    await page.reload();
    await expect.poll(() => page.getByLabel('Check providers', { exact: true }).inputValue()).toBe('15');

    await page.getByLabel('Check providers', { exact: true }).selectOption({ label: 'Off' });
    await expect.poll(() => gui.desk.preferences.get('checkIntervalMinutes')).toBe(0);
  });
});
