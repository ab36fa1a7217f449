/**
 * Accessibility and narrow layouts: axe-core, injected into the real GUI, finds no critical or serious violation
 * on any screen or dialog, in the light and the dark theme, at 1280×800 and at 900×700; at 900 px the key
 * controls are not cut off. A new screen or dialog is one more `await expectNoSeriousViolations(page, 'its name')` in `walkScreens`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

// Evaluated through the DevTools protocol rather than added as a <script>: the app's CSP (script-src 'self') rightly blocks inline scripts.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const GOOD_KEY = 'sk-a11y-good-0123456789abcdef';
const THEMES = ['light', 'dark'] as const;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 700 },
] as const;
/** Moderate findings about page structure that are kept at zero too (cheap to keep right, easy to break). */
const STRUCTURE_RULES = new Set([
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'heading-order',
  'page-has-heading-one',
  'landmark-unique',
]);

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}
type AxeWindow = Window & { axe?: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } };

let gui: Gui;
let emptyGui: Gui;
let browser: Browser;
let fast: FakeProvider;
let slow: FakeProvider;

beforeAll(async () => {
  [gui, emptyGui, browser, fast, slow] = await Promise.all([
    startGui(),
    startGui(),
    launchChromium(),
    startFakeProvider('openai', { keys: [GOOD_KEY] }),
    // Slow enough that the test-all dialog can be audited while it runs.
    startFakeProvider('anthropic', { keys: [GOOD_KEY], delayMs: 6_000 }),
  ]);
  seedProviders(gui.desk, [
    {
      name: 'openai-main',
      type: 'openai',
      display_name: 'OpenAI (main)',
      base_url: fast.baseUrl,
      api_keys: [
        { name: 'primary', value: GOOD_KEY },
        { name: 'revoked', value: 'sk-a11y-revoked-000000000000' },
      ],
    },
    { name: 'anthropic-slow', type: 'anthropic', base_url: slow.baseUrl, api_keys: [{ name: 'main', value: GOOD_KEY }] },
    { name: 'ollama-offline', type: 'ollama', display_name: 'Ollama (offline)', base_url: 'http://127.0.0.1:9' },
    { name: 'mistral', type: 'mistral', api_keys: [{ name: 'main', value: 'env.A11Y_UNSET_KEY' }] },
    {
      name: 'azure-off',
      type: 'azure',
      settings: { endpoint: 'https://eu.openai.azure.com', api_version: '2024-10-21' },
      enabled: false,
    },
  ]);
  // Health of every colour (ok, error, offline) and a key timeline with a pass and a failure, before any screen is seen.
  await gui.desk.health.test('openai-main');
  await gui.desk.health.test('openai-main');
  await gui.desk.health.test('ollama-offline');
  await gui.desk.health.test('mistral');
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([gui?.close(), emptyGui?.close(), fast?.close(), slow?.close()]);
});

/** Runs axe-core on the page as it is now; returns the critical and serious violations (and the structure ones), formatted. */
async function violationsOn(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => Boolean((window as AxeWindow).axe)))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (window as AxeWindow).axe!.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious' || STRUCTURE_RULES.has(v.id))
    .map(
      (v) =>
        `${v.impact} ${v.id} (${v.help}):\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`).join('\n'),
    );
}

/** Asserts that axe-core finds nothing critical or serious; keeps walking so that one run lists every screen's findings. */
async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  // Let transitions and pending renders settle so colours are read at their final values.
  await page.waitForTimeout(150);
  const found = await violationsOn(page);
  expect.soft(found.length, `axe-core on ${label}:\n${found.join('\n')}\n`).toBe(0);
}

/**
 * The element is inside the viewport and not clipped by any ancestor that hides its overflow; reaching it may take
 * scrolling down, never sideways; a select shows its chosen option's text in full.
 */
async function expectFullyVisible(locator: Locator, label: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const problem = await locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const inside = (outer: { left: number; top: number; right: number; bottom: number }) =>
      box.left >= outer.left - 1 && box.right <= outer.right + 1 && box.top >= outer.top - 1 && box.bottom <= outer.bottom + 1;
    if (box.width === 0 || box.height === 0) return 'has no size';
    if (!inside({ left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight }))
      return `is outside the viewport: ${JSON.stringify(box)} in ${window.innerWidth}×${window.innerHeight}`;
    for (let parent = el.parentElement; parent; parent = parent.parentElement) {
      if (parent.scrollLeft > 0) return `needs sideways scrolling in ${parent.tagName.toLowerCase()}.${parent.className}`;
      const style = getComputedStyle(parent);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      if (!inside(clip))
        return `is clipped by ${parent.tagName.toLowerCase()}.${parent.className}: ${JSON.stringify(box)} in ${JSON.stringify(clip)}`;
    }
    if (el instanceof HTMLSelectElement) {
      const style = getComputedStyle(el);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = style.font;
      const text = context.measureText(el.selectedOptions[0]?.text ?? '').width;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (text > room + 1) return `cuts its text off: ${Math.round(text)}px of text in ${Math.round(room)}px`;
    }
    return null;
  });
  expect.soft(problem, `${label} ${problem ?? ''}`).toBeNull();
}

async function expectNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect.soft(overflow, `${label}: the page scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

async function closeDialog(page: Page, dialog: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

/** Every screen and dialog of a signed-in window, audited; at narrow sizes the key controls are checked for fit. */
async function walkScreens(page: Page, narrow: boolean): Promise<void> {
  const id = (name: string) => gui.desk.providers.get(name).id;
  const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });
  const list = page.getByRole('listbox', { name: 'Providers' });

  await list.locator('[data-name="openai-main"]').waitFor();
  await expectNoSeriousViolations(page, 'the provider list');
  if (narrow) {
    for (const name of ['Search providers', 'Filter by type', 'Filter by health', 'Sort by'])
      await expectFullyVisible(page.getByLabel(name, { exact: true }), name);
    for (const name of ['Test all', 'Import', 'Export', 'Add provider', 'Sign out'])
      await expectFullyVisible(page.getByRole('banner').getByRole('button', { name }), `the top bar's ${name}`);
    for (const name of ['Providers', 'Settings'])
      await expectFullyVisible(page.getByRole('banner').getByRole('link', { name }), `the ${name} link`);
    await expectNoHorizontalScroll(page, 'the provider list');
  }

  await page.getByLabel('Search providers').fill('zzz-nothing');
  await page.getByRole('heading', { name: 'No providers match' }).waitFor();
  await expectNoSeriousViolations(page, 'the list with no match');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await list.locator('[data-name="openai-main"]').waitFor();

  await page.locator('.detail-pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  let dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  await expectNoSeriousViolations(page, 'the keyboard shortcuts');
  await closeDialog(page, dialog);

  const detailTabs: Array<[string, string, () => Promise<unknown>]> = [
    ['general', 'General', () => page.getByRole('heading', { name: 'OpenAI (main)', level: 1 }).waitFor()],
    ['keys', 'Keys', () => page.getByRole('list', { name: 'Recent checks of key primary' }).waitFor()],
    ['models', 'Models', () => page.getByRole('table').getByRole('cell', { name: 'gpt-4o-mini' }).first().waitFor()],
    ['network', 'Network', () => page.getByLabel('Timeout (seconds)').waitFor()],
    ['advanced', 'Advanced', () => page.getByRole('tabpanel').waitFor()],
    ['tools', 'Use from other tools', () => page.getByRole('tabpanel').waitFor()],
    ['usage', 'Usage', () => page.getByRole('tabpanel').waitFor()],
  ];
  for (const [route, label, ready] of detailTabs) {
    await page.goto(`${gui.url}/#/providers/${id('openai-main')}/${route}`);
    await expect.poll(() => tab(label).getAttribute('aria-selected')).toBe('true');
    await ready();
    await page
      .locator('.spinner')
      .first()
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => undefined);
    await expectNoSeriousViolations(page, `the ${label} tab`);
    if (narrow) {
      await expectFullyVisible(tab(label), `the ${label} tab`);
      await expectNoHorizontalScroll(page, `the ${label} tab`);
    }
  }
  if (narrow) for (const [, label] of detailTabs) await expectFullyVisible(tab(label), `the ${label} tab`);

  // Curating models: one switched off, a custom id added, a per-model check with its result.
  await page.goto(`${gui.url}/#/providers/${id('openai-main')}/models`);
  const dalle = page.getByRole('switch', { name: 'Enable model dall-e-3' });
  if (await dalle.isChecked()) await dalle.click(); // stored: an earlier walk may have switched it off already
  await expect.poll(() => dalle.isChecked()).toBe(false);
  const custom = `custom-${Date.now()}`;
  await page.getByLabel('Model id', { exact: true }).fill(custom);
  await page.getByRole('button', { name: 'Add model' }).click();
  await page.getByRole('row', { name: `Model ${custom}` }).waitFor();
  await page.getByRole('button', { name: 'Check model gpt-4o-mini' }).click();
  await page.getByRole('status', { name: /^Check of gpt-4o-mini/ }).waitFor();
  await expectNoSeriousViolations(page, 'curated models');
  if (narrow) await expectFullyVisible(page.getByRole('button', { name: 'Check model gpt-4o-mini' }), 'a model’s Check');

  // A provider in error and one offline, with the test results region.
  await page.goto(`${gui.url}/#/providers/${id('mistral')}/general`);
  await page.getByRole('heading', { name: 'mistral', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.getByRole('region', { name: 'Test results' }).waitFor();
  await expectNoSeriousViolations(page, 'a failed test');
  await page.goto(`${gui.url}/#/providers/${id('ollama-offline')}/keys`);
  await page.getByRole('heading', { name: 'Ollama (offline)', level: 1 }).waitFor();
  await expectNoSeriousViolations(page, 'an offline provider without keys');
  await page.goto(`${gui.url}/#/providers/${id('azure-off')}/general`);
  await page.getByRole('heading', { name: 'azure-off', level: 1 }).waitFor();
  await expectNoSeriousViolations(page, 'a disabled provider');

  // Editing keys: a value replaced in place, a key's model lists, several keys pasted at once.
  await page.goto(`${gui.url}/#/providers/${id('openai-main')}/keys`);
  const primary = page.getByRole('listitem', { name: 'Key primary' });
  await primary.getByRole('button', { name: 'Replace value of key primary' }).click();
  await page.getByRole('form', { name: 'Replace the value of key primary' }).waitFor();
  await expectNoSeriousViolations(page, 'the replace-key form');
  await primary.getByRole('button', { name: 'Model lists of key primary' }).click();
  await page.getByRole('region', { name: 'Model lists of key primary' }).waitFor();
  await expectNoSeriousViolations(page, 'a key’s model lists');
  await page.getByRole('button', { name: 'Paste several keys…' }).click();
  await page.getByRole('form', { name: 'Paste several keys' }).waitFor();
  await expectNoSeriousViolations(page, 'the paste-keys form');

  // Leaving an unsaved edit asks first.
  await page.goto(`${gui.url}/#/providers/${id('openai-main')}/network`);
  await page.getByLabel('Timeout (seconds)').fill('33');
  await list.locator('[data-name="mistral"]').click();
  dialog = page.getByRole('dialog', { name: /^Save changes to/ });
  await dialog.waitFor();
  await expectNoSeriousViolations(page, 'the unsaved-changes prompt');
  await dialog.getByRole('button', { name: 'Discard' }).click();
  await dialog.waitFor({ state: 'detached' });

  // Confirm dialogs.
  await page.goto(`${gui.url}/#/providers/${id('openai-main')}/keys`);
  await page.getByRole('button', { name: 'Delete key revoked' }).click();
  dialog = page.getByRole('dialog', { name: /Delete key/ });
  await dialog.waitFor();
  await expectNoSeriousViolations(page, 'the delete-key confirmation');
  await closeDialog(page, dialog);
  await tab('General').click();
  await page.getByRole('button', { name: 'Delete provider' }).click();
  dialog = page.getByRole('dialog', { name: /^Delete “/ });
  await dialog.waitFor();
  await expectNoSeriousViolations(page, 'the delete-provider confirmation');
  if (narrow) await expectFullyVisible(dialog.getByRole('button', { name: 'Delete provider' }), 'the confirmation button');
  await closeDialog(page, dialog);

  // The catalog and the new-provider form, empty and with errors.
  await page.getByRole('banner').getByRole('button', { name: 'Add provider' }).click();
  dialog = page.getByRole('dialog', { name: 'Add provider' });
  await dialog.getByRole('button', { name: 'OpenAI', exact: true }).waitFor();
  await expectNoSeriousViolations(page, 'the catalog');
  await dialog.getByRole('button', { name: 'OpenAI', exact: true }).click();
  dialog = page.getByRole('dialog', { name: 'Add OpenAI' });
  await dialog.getByLabel('API key', { exact: true }).waitFor();
  await expectNoSeriousViolations(page, 'the new-provider form');
  await dialog.getByLabel('Name', { exact: true }).fill('Not A Slug');
  await dialog.getByLabel('Base URL', { exact: true }).fill('ftp://nowhere');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('[aria-invalid="true"]').first().waitFor();
  await expectNoSeriousViolations(page, 'the new-provider form with errors');
  if (narrow) await expectFullyVisible(dialog.getByRole('button', { name: 'Save' }), 'the form’s Save');
  await dialog.getByLabel('Name', { exact: true }).fill('openai-check');
  await dialog.getByLabel('Base URL', { exact: true }).fill(fast.baseUrl);
  await dialog.getByLabel('API key', { exact: true }).fill('sk-a11y-wrong-0000000000');
  await dialog.getByRole('button', { name: 'Check' }).click();
  await dialog.getByRole('region', { name: 'Check result' }).waitFor();
  await expectNoSeriousViolations(page, 'the add form’s check');
  await closeDialog(page, dialog);

  // Import (empty, a preview, a bad file) and export (each format).
  await page.getByRole('banner').getByRole('button', { name: 'Import' }).click();
  dialog = page.getByRole('dialog', { name: 'Import and export' });
  await dialog.getByLabel('Config file').waitFor({ state: 'attached' });
  await expectNoSeriousViolations(page, 'the import pane');
  const file = {
    providers: {
      cohere: { keys: [{ name: 'main', value: 'env.COHERE_API_KEY', models: [], weight: 1 }] },
      mistral: { keys: [], network_config: { max_retries: 4 } },
    },
  };
  await dialog
    .getByLabel('Config file')
    .setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await dialog.getByRole('region', { name: 'Import preview' }).waitFor();
  await expectNoSeriousViolations(page, 'the import preview');
  if (narrow) await expectFullyVisible(dialog.getByRole('button', { name: /^Import \d+ changes?$/ }), 'the import button');
  await dialog.getByLabel('Config file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not json {') });
  await dialog.getByRole('alert').filter({ hasText: 'not valid JSON' }).waitFor();
  await expectNoSeriousViolations(page, 'the import error');
  const invalid = { providers: { broken: { keys: 'not a list', network_config: { max_retries: -3 } } } };
  await dialog
    .getByLabel('Config file')
    .setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(invalid)) });
  await dialog.getByRole('list', { name: 'Problems in the file' }).waitFor();
  await expectNoSeriousViolations(page, 'the import’s validation errors');
  await closeDialog(page, dialog);

  await page.getByRole('banner').getByRole('button', { name: 'Export' }).click();
  dialog = page.getByRole('dialog', { name: 'Import and export' });
  await dialog.getByRole('radio', { name: /Without secrets/ }).waitFor();
  await expectNoSeriousViolations(page, 'the export pane');
  await dialog.getByRole('radio', { name: /With plain secrets/ }).check();
  await dialog.getByRole('note').filter({ hasText: 'plain text' }).waitFor();
  await expectNoSeriousViolations(page, 'the export with plain secrets');
  await dialog.getByRole('radio', { name: /Encrypted/ }).check();
  await dialog.getByLabel('Passphrase', { exact: true }).waitFor();
  await expectNoSeriousViolations(page, 'the encrypted export');
  await closeDialog(page, dialog);

  // Test all, while it runs (the slow fake holds it) and when it is done.
  await page.getByRole('banner').getByRole('button', { name: 'Test all' }).click();
  dialog = page.getByRole('dialog', { name: 'Test all providers' });
  await dialog.getByRole('progressbar', { name: 'Test progress' }).waitFor();
  await expectNoSeriousViolations(page, 'test all, running');
  await closeDialog(page, dialog); // it keeps running in the background
  const indicator = page.getByRole('banner').getByRole('button', { name: /^Testing/ });
  await indicator.waitFor();
  await expectNoSeriousViolations(page, 'the top bar while testing');
  if (narrow) await expectFullyVisible(indicator, 'the test-all indicator');
  await indicator.click();
  await dialog.getByRole('button', { name: 'Done' }).waitFor({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'test all, done');
  if (narrow) await expectFullyVisible(dialog.getByRole('button', { name: 'Done' }), 'test all’s Done');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectNoSeriousViolations(page, 'the list after test all');

  // Settings: every section, with the token form open on "only these" and a token just created.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Data folder' }).waitFor();
  await expectNoSeriousViolations(page, 'settings');
  const tokenForm = page.getByRole('form', { name: 'Create a gateway token' });
  await tokenForm.getByLabel('Name', { exact: true }).fill(`a11y-${Date.now()}`);
  await tokenForm.getByRole('radio', { name: 'Only these:' }).check();
  await tokenForm.getByRole('checkbox', { name: 'openai-main' }).check();
  await tokenForm.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('button', { name: /Copy/ }).first().waitFor();
  await expectNoSeriousViolations(page, 'settings with a new token');
  if (narrow) {
    await expectFullyVisible(page.getByLabel('Check providers', { exact: true }), 'the check interval');
    await expectNoHorizontalScroll(page, 'settings');
  }
}

for (const theme of THEMES) {
  for (const size of SIZES) {
    const narrow = size.width < 1000;
    describe(`${theme} theme at ${size.width}×${size.height}`, () => {
      it('has no critical or serious axe-core violation on any screen or dialog', async () => {
        const opened = await openPage(browser, gui, { colorScheme: theme });
        const { page } = opened;
        await page.setViewportSize(size);
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await walkScreens(page, narrow).catch(async (error: unknown) => {
          // Where the walk stopped, for whoever reads the failure.
          await page.screenshot({ path: join(tmpdir(), `a11y-${theme}-${size.width}.png`) });
          throw error;
        });
        expect(opened.problems()).toEqual([]);
        await opened.context.close();
      });

      it('has none on the empty state and the sign-in page either', async () => {
        const opened = await openPage(browser, emptyGui, { colorScheme: theme });
        const { page } = opened;
        await page.setViewportSize(size);
        await page.getByRole('heading', { name: 'Add your first provider' }).waitFor();
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await expectNoSeriousViolations(page, 'the empty state');
        if (narrow) await expectFullyVisible(page.getByRole('button', { name: 'Add your first provider' }), 'the first-provider button');
        await opened.context.close();

        const signedOut = await openPage(browser, emptyGui, { colorScheme: theme, signIn: false });
        const login = signedOut.page;
        await login.setViewportSize(size);
        await login.getByRole('heading', { name: 'Sign in to Provider Desk' }).waitFor();
        await expectNoSeriousViolations(login, 'the sign-in page');
        await login.getByLabel('Token').fill('not-the-token');
        await login.getByRole('button', { name: 'Sign in' }).click();
        await login.getByRole('alert').waitFor();
        await expectNoSeriousViolations(login, 'the sign-in page with an error');
        if (narrow) await expectFullyVisible(login.getByRole('button', { name: 'Sign in' }), 'Sign in');
        await signedOut.context.close();
      });
    });
  }
}
