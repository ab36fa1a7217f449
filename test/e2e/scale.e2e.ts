import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { launchChromium, openPage, screenshot, startGui, type Gui, type OpenedPage } from './harness.js';

const COUNT = 10_000;

let gui: Gui;
let browser: Browser;
let opened: OpenedPage | undefined;

beforeAll(async () => {
  gui = await startGui();
  const types = ['openai', 'anthropic', 'groq', 'mistral', 'ollama', 'deepseek', 'together', 'gemini'];
  gui.desk.repo.transaction(() => {
    for (let i = 0; i < COUNT; i += 1) {
      const type = types[i % types.length]!;
      gui.desk.providers.create({ name: `${type}-${String(i).padStart(5, '0')}`, type, display_name: `${type} #${i}` });
    }
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  if (opened) expect(opened.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
});

describe('10,000 providers', () => {
  it('keeps only a window of rows in the DOM and scrolls to the end', async () => {
    opened = await openPage(browser, gui);
    const { page } = opened;
    const list = page.getByRole('listbox', { name: 'Providers' });
    await page.getByText('10,000 providers').waitFor();
    await list.locator('[data-name]').first().waitFor();
    const countRows = () => list.locator('.provider-list-item').count();
    expect(await countRows()).toBeLessThan(60);
    await expect(list.getByRole('option').first().getAttribute('aria-setsize')).resolves.toBe(String(COUNT));

    const scroller = page.locator('.provider-scroller');
    for (const fraction of [0.25, 0.5, 0.75]) {
      await scroller.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), fraction);
      const index = Math.floor(COUNT * fraction);
      await list.locator(`[data-index="${index + 2}"]`).waitFor();
      expect(await countRows()).toBeLessThan(60);
    }
    // Scroll like a person with the wheel: rows keep coming, the DOM stays small.
    await scroller.hover();
    const started = Date.now();
    for (let i = 0; i < 20; i += 1) await page.mouse.wheel(0, 1200);
    expect(Date.now() - started).toBeLessThan(10_000);
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await list.locator(`[data-index="${COUNT - 1}"][data-name]`).waitFor();
    expect(await countRows()).toBeLessThan(60);

    const inDom = await page.evaluate(() => document.querySelectorAll('.provider-row').length);
    expect(inDom).toBeLessThan(60);
    await screenshot(page, 'list-10k.png');

    await page.getByLabel('Search providers').fill('groq-0999');
    await expect
      .poll(() => list.locator('[data-name]').evaluateAll((els) => els.map((el) => el.getAttribute('data-name'))))
      .toEqual(['groq-09994']);
  });
});
