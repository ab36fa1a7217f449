import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';

let gui: Gui;
let browser: Browser;
let opened: OpenedPage;
let page: Page;

const FILLERS = 60;
const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });
const field = (label: string) => page.getByLabel(label, { exact: true });
const list = () => page.getByRole('listbox', { name: 'Providers' });
const option = (name: string) => list().locator(`[role="option"][data-name="${name}"]`);
const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
const leaveDialog = (name: string) => page.getByRole('dialog', { name: `Save changes to “${name}”?` });
const id = (name: string) => gui.desk.providers.get(name).id;

/** The provider as a tool reads it: through the HTTP API. */
async function readBack(name: string): Promise<{ network_config: { default_request_timeout_in_seconds: number; max_retries: number } }> {
  const response = await fetch(`${gui.url}/api/v1/providers/${name}`, { headers: { authorization: `Bearer ${gui.token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

// Evaluated through the DevTools protocol: the app's CSP rightly blocks inline scripts.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type AxeWindow = Window & {
  axe?: {
    run(context: Document): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }>;
  };
};

/** axe-core's critical and serious findings on the page as it is now (the list box, the dialogs of this feature). */
async function seriousViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => Boolean((window as AxeWindow).axe)))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { violations } = await (window as AxeWindow).axe!.run(document);
    return violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The name of the list box's active row, when the list box has the focus. */
const activeRow = () =>
  page.evaluate(() => {
    const focused = document.activeElement;
    if (focused?.getAttribute('role') !== 'listbox') return null;
    const id = focused.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.dataset.name ?? null) : null;
  });

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  seedProviders(gui.desk, [
    { name: 'alpha', type: 'openai', base_url: 'http://127.0.0.1:9/v1' },
    { name: 'beta', type: 'openai', base_url: 'http://127.0.0.1:9/v1' },
    ...Array.from({ length: FILLERS }, (_, i) => ({ name: `p-${String(i).padStart(3, '0')}`, type: 'groq' })),
  ]);
  opened = await openPage(browser, gui, { path: `/#/providers/${id('alpha')}/network` });
  page = opened.page;
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
});

describe('never losing an edit', () => {
  it('keeps an unsaved Network edit across tab switches and Escape, and marks the tab', async () => {
    await heading('alpha').waitFor();
    const stored = (await readBack('alpha')).network_config.default_request_timeout_in_seconds;
    expect(stored).not.toBe(42);
    await field('Timeout (seconds)').fill('42');
    await expect(tab('Network').textContent()).resolves.toMatch(/unsaved changes/);
    await expect(tab('General').textContent()).resolves.not.toMatch(/unsaved changes/);

    await tab('General').click();
    await field('Display name').waitFor();
    await tab('Keys').click();
    await tab('Network').click();
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe('42');

    await field('Timeout (seconds)').focus();
    await page.keyboard.press('Escape');
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe('42');
    await page.getByText('Unsaved changes', { exact: true }).waitFor();
  });

  it('asks before leaving; Cancel stays with the edit (for another row and for Settings)', async () => {
    await option('beta').click();
    const dialog = leaveDialog('alpha');
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/Network has unsaved changes/);
    await expect(seriousViolations()).resolves.toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await heading('alpha').waitFor();
    // The list box with an active row, and the tab marked as unsaved.
    await expect(seriousViolations()).resolves.toEqual([]);
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe('42');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await heading('alpha').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/providers/${id('alpha')}/network`);
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe('42');
  });

  it('Discard drops the edit and goes on', async () => {
    const before = (await readBack('alpha')).network_config.default_request_timeout_in_seconds;
    await option('beta').click();
    await leaveDialog('alpha').getByRole('button', { name: 'Discard' }).click();
    await heading('beta').waitFor();
    await option('alpha').click();
    await heading('alpha').waitFor();
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe(String(before));
    expect((await readBack('alpha')).network_config.default_request_timeout_in_seconds).toBe(before);
  });

  it('Save saves the edit and goes on', async () => {
    await field('Timeout (seconds)').fill('43');
    await option('beta').click();
    await leaveDialog('alpha').getByRole('button', { name: 'Save' }).click();
    await heading('beta').waitFor();
    expect((await readBack('alpha')).network_config.default_request_timeout_in_seconds).toBe(43);
    await option('alpha').click();
    await heading('alpha').waitFor();
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe('43');
    await expect(tab('Network').textContent()).resolves.not.toMatch(/unsaved changes/);
  });

  it('Ctrl+S saves the current tab, taking the key from the browser', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { lastSaveKeyPrevented?: boolean };
      window.addEventListener('keydown', (e) => {
        if (e.key === 's' && e.ctrlKey) w.lastSaveKeyPrevented = e.defaultPrevented;
      });
    });
    await field('Max retries').fill('4');
    await field('Max retries').focus();
    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await readBack('alpha')).network_config.max_retries).toBe(4);
    await page.getByText('All changes saved').waitFor();
    await expect(page.evaluate(() => (window as unknown as { lastSaveKeyPrevented?: boolean }).lastSaveKeyPrevented)).resolves.toBe(true);
    await expect(tab('Network').textContent()).resolves.not.toMatch(/unsaved changes/);
  });

  it('refuses to overwrite a change made elsewhere, keeps the edit and says so; saving again applies it', async () => {
    await field('Max retries').fill('5');
    // Another process changes the provider while the edit is open.
    gui.desk.providers.update('alpha', { description: 'changed by another process' });
    await page.keyboard.press('Control+s');
    await page.getByRole('alert').filter({ hasText: 'This provider was changed elsewhere' }).waitFor();
    await expect(field('Max retries').inputValue()).resolves.toBe('5');
    expect((await readBack('alpha')).network_config.max_retries).toBe(4);

    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await readBack('alpha')).network_config.max_retries).toBe(5);
    await page.getByText('All changes saved').waitFor();
    expect(gui.desk.providers.get('alpha').description).toBe('changed by another process');
  });
});

describe('keyboard first', () => {
  it('walks from the search box through the list to a provider’s Keys tab in a few key presses', async () => {
    await page.goto(`${gui.url}/#/providers`);
    await option('alpha').waitFor();
    await page.keyboard.press('Control+k');
    await expect(page.getByLabel('Search providers').evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    await page.keyboard.press('ArrowDown');
    await expect.poll(activeRow).toBe('alpha');
    // The active row is drawn as focused.
    await expect(
      option('alpha')
        .locator('.provider-row')
        .evaluate((el) => getComputedStyle(el).outlineStyle),
    ).resolves.toBe('solid');
    await page.keyboard.press('ArrowDown');
    await expect.poll(activeRow).toBe('beta');
    await page.keyboard.press('End');
    await expect.poll(activeRow).toBe(`p-0${FILLERS - 1}`);
    await page.keyboard.press('PageUp');
    await expect.poll(activeRow).toBe(`p-0${FILLERS - 11}`);
    await page.keyboard.press('Home');
    await expect.poll(activeRow).toBe('alpha');
    await page.keyboard.type('p-01');
    await expect.poll(activeRow).toBe('p-010');
    await page.keyboard.press('PageDown');
    await expect.poll(activeRow).toBe('p-020');

    await page.keyboard.press('Enter');
    await heading('p-020').waitFor();
    await expect(option('p-020').getAttribute('aria-selected')).resolves.toBe('true');

    let presses = 0;
    const onGeneralTab = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab');
    while (!(await onGeneralTab())) {
      await page.keyboard.press('Tab');
      presses += 1;
      expect(presses, 'Tab presses from the list to the provider’s tabs').toBeLessThanOrEqual(10);
    }
    await expect(tab('General').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect(tab('Keys').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(tab('Keys').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(new URL(page.url()).hash).toBe(`#/providers/${id('p-020')}/keys`);

    // Back: Shift+Tab returns to the list in as few presses, not one per row.
    let back = 0;
    while ((await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'listbox') {
      await page.keyboard.press('Shift+Tab');
      back += 1;
      expect(back).toBeLessThanOrEqual(presses);
    }
    await expect.poll(activeRow).toBe('p-020');
  });

  it('↑ on the first row goes back to the search box', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    await expect(page.getByLabel('Search providers').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });

  it('lists the shortcuts with ? (not while typing) and with a button', async () => {
    await page.keyboard.type('?');
    await expect(page.getByLabel('Search providers').inputValue()).resolves.toBe('?');
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
    await page.getByLabel('Search providers').fill('');

    await list().focus();
    await page.keyboard.press('?');
    const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await overlay.waitFor();
    const text = await overlay.textContent();
    for (const words of ['Ctrl S', 'Ctrl K', 'Enter', 'Esc', 'Home', 'Page Down', 'Save the current tab']) expect(text).toContain(words);
    await expect(seriousViolations()).resolves.toEqual([]);
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'detached' });
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('listbox');

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await overlay.waitFor();
    await overlay.getByRole('button', { name: 'Done' }).click();
    await overlay.waitFor({ state: 'detached' });
  });
});
