import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, screenshot, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

let gui: Gui;
let browser: Browser;
let openai: FakeProvider;
let anthropic: FakeProvider;
let opened: OpenedPage;
let page: Page;

const rows = () => page.getByRole('listbox', { name: 'Providers' }).getByRole('option');
const rowNames = () =>
  page
    .getByRole('listbox', { name: 'Providers' })
    .locator('[data-name]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  openai = await startFakeProvider('openai', { keys: ['sk-good-1111111111'], delayMs: 150 });
  anthropic = await startFakeProvider('anthropic', { keys: ['sk-ant-good-2222222222'], delayMs: 150 });
  seedProviders(gui.desk, [
    {
      name: 'openai-work',
      type: 'openai',
      display_name: 'OpenAI (work)',
      base_url: openai.baseUrl,
      api_keys: [{ name: 'work', value: 'sk-good-1111111111' }],
    },
    {
      name: 'openai-personal',
      type: 'openai',
      display_name: 'OpenAI (personal)',
      base_url: openai.baseUrl,
      api_keys: [{ name: 'old', value: 'sk-expired-0000000000' }],
    },
    { name: 'anthropic', type: 'anthropic', base_url: anthropic.baseUrl, api_keys: [{ name: 'main', value: 'sk-ant-good-2222222222' }] },
    { name: 'groq', type: 'groq', base_url: 'http://127.0.0.1:9/openai/v1', api_keys: [{ name: 'main', value: 'gsk_0123456789abcdef' }] },
    { name: 'ollama-laptop', type: 'ollama', display_name: 'Ollama (laptop)', base_url: 'http://127.0.0.1:9' },
    { name: 'mistral', type: 'mistral', api_keys: [{ name: 'main', value: 'env.MISTRAL_API_KEY' }] },
    {
      name: 'azure-eu',
      type: 'azure',
      display_name: 'Azure OpenAI (EU)',
      settings: { endpoint: 'https://eu.openai.azure.com', api_version: '2024-10-21' },
      enabled: false,
    },
  ]);
  opened = await openPage(browser, gui);
  page = opened.page;
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await openai?.close();
  await anthropic?.close();
});

describe('the workspace', () => {
  it('tests all providers with a progress bar and a summary', async () => {
    await page.getByRole('button', { name: 'Test all' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test all providers' });
    const progress = dialog.getByRole('progressbar', { name: 'Test progress' });
    await progress.waitFor();
    await dialog.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await expect(progress.getAttribute('value')).resolves.toBe('6');
    // Counted by the health words the list filter uses: 2 ok, 2 error (a rejected key, an unset env.VAR), 2 offline.
    await expect(dialog.locator('.stat[data-health="ok"] .stat-value').textContent()).resolves.toBe('2');
    await expect(dialog.locator('.stat[data-health="error"] .stat-value').textContent()).resolves.toBe('2');
    await expect(dialog.locator('.stat[data-health="offline"] .stat-value').textContent()).resolves.toBe('2');
    await expect(dialog.getByRole('list', { name: 'Failed providers' }).textContent()).resolves.toMatch(/openai-personal.*Key rejected/);
    await screenshot(page, 'test-all.png');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('listbox', { name: 'Providers' }).locator('[data-health="ok"]').first().waitFor();
  });

  it('searches (Ctrl+K), filters by type and health, and sorts', async () => {
    await page.locator('body').click({ position: { x: 900, y: 600 } });
    await page.keyboard.press('Control+k');
    const search = page.getByLabel('Search providers');
    await expect(search.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('openai-');
    await expect.poll(rowNames).toEqual(['openai-personal', 'openai-work']);
    await page.getByText('2 providers').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await rowNames()).length).toBe(7);

    await page.getByLabel('Filter by type').selectOption('ollama');
    await expect.poll(rowNames).toEqual(['ollama-laptop']);
    await page.getByLabel('Filter by type').selectOption('');
    await page.getByLabel('Filter by health').selectOption('ok');
    await expect.poll(rowNames).toEqual(['anthropic', 'openai-work']);
    await expect(rows().first().locator('.health-label').textContent()).resolves.toBe('OK');
    await page.getByLabel('Filter by health').selectOption('untested');
    await expect.poll(rowNames).toEqual(['azure-eu']);
    await page.getByLabel('Filter by health').selectOption('');
    await page.getByLabel('Sort by').selectOption('name:desc');
    await expect.poll(async () => (await rowNames())[0]).toBe('openai-work');
    await page.getByLabel('Sort by').selectOption('name:asc');
    await page.getByLabel('Search providers').fill('zzz-nothing');
    await page.getByRole('heading', { name: 'No providers match' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await rowNames()).length).toBe(7);
    await expect(page.getByLabel('Search providers').inputValue()).resolves.toBe('');
  });

  it('moves through the list with the arrow keys and opens a provider', async () => {
    await page.getByRole('listbox', { name: 'Providers' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = () =>
      page.evaluate(() => {
        const id = document.activeElement?.getAttribute('aria-activedescendant');
        return id ? document.getElementById(id)?.dataset.name : undefined;
      });
    await expect.poll(active).toBe('groq');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'groq', level: 1 }).waitFor();
    await screenshot(page, 'list.png');
  });

  it('traps focus in dialogs, closes them with Escape and gives focus back', async () => {
    const opener = page.getByRole('button', { name: 'Add provider' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await dialog.waitFor();
    for (let i = 0; i < 50; i += 1) await page.keyboard.press('Tab');
    await expect(dialog.evaluate((el) => el.contains(document.activeElement))).resolves.toBe(true);
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.evaluate((el) => el.contains(document.activeElement))).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(opener.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });

  it('gives every control an accessible name', async () => {
    for (const view of ['#/providers', `#/providers/${gui.desk.providers.get('azure-eu').id}/network`, '#/settings']) {
      await page.goto(`${gui.url}/${view}`);
      await page.waitForLoadState('networkidle');
      const unnamed = await page.evaluate(() => {
        const controls = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, [role="tab"], [role="switch"]')];
        return controls
          .filter((el) => {
            if (el.closest('[aria-hidden="true"]') || (el as HTMLInputElement).type === 'hidden') return false;
            const labelled =
              el.getAttribute('aria-label') ||
              el.getAttribute('aria-labelledby') ||
              (el as HTMLInputElement).labels?.length ||
              (el.textContent ?? '').trim();
            return !labelled;
          })
          .map((el) => el.outerHTML.slice(0, 120));
      });
      expect(unnamed, view).toEqual([]);
    }
  });

  it('switches the theme at once, and keeps it', async () => {
    await page.goto(`${gui.url}/#/settings`);
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(14, 17, 22)');
    await screenshot(page, 'settings-dark.png');
    await page.goto(`${gui.url}/#/providers/${gui.desk.providers.get('openai-work').id}/keys`);
    await page.getByRole('list', { name: 'API keys' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByRole('region', { name: 'Test results' }).waitFor();
    await screenshot(page, 'detail-dark.png');
    await page.goto(`${gui.url}/#/settings`);
    await page.getByRole('radio', { name: 'Light' }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(gui.desk.preferences.get('theme')).toBe('light');
  });

  it('exports config.json with secrets redacted by default, and warns before plain secrets', async () => {
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export' });
    await expect(dialog.getByRole('tab', { name: 'Export' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(dialog.getByRole('radio', { name: /Without secrets/ }).isChecked()).resolves.toBe(true);
    await dialog.getByRole('radio', { name: /With plain secrets/ }).check();
    await dialog.getByRole('note').filter({ hasText: 'plain text' }).waitFor();
    await dialog.getByRole('radio', { name: /Encrypted/ }).check();
    await dialog.getByLabel('Passphrase', { exact: true }).waitFor();
    await dialog.getByRole('radio', { name: /Without secrets/ }).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download config.json' }).click(),
    ]);
    const document = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      providers: Record<string, { keys?: Array<{ value: string }> }>;
    };
    expect(download.suggestedFilename()).toMatch(/^provider-desk-config-.*\.json$/);
    expect(document.providers['openai-work']?.keys?.[0]?.value).toBe('<REDACTED>');
    expect(document.providers.mistral?.keys?.[0]?.value).toBe('env.MISTRAL_API_KEY');
    await dialog.waitFor({ state: 'detached' });
  });

  it('imports a config file after showing the dry-run diff', async () => {
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export' });
    const file = {
      providers: {
        cohere: { keys: [{ name: 'main', value: 'env.COHERE_API_KEY', models: [], weight: 1 }] },
        mistral: { keys: [{ name: 'main', value: 'env.MISTRAL_API_KEY', models: [], weight: 1 }], network_config: { max_retries: 3 } },
      },
    };
    await dialog
      .getByLabel('Config file')
      .setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    const preview = dialog.getByRole('region', { name: 'Import preview' });
    await preview.waitFor();
    await expect(preview.locator('.stat--ok .stat-value').textContent()).resolves.toBe('1');
    await expect(preview.textContent()).resolves.toMatch(/Added.*cohere/);
    expect(gui.desk.repo.findProvider('cohere')).toBeUndefined();
    await dialog.getByRole('button', { name: /^Import \d+ changes?$/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Providers' }).click();
    await expect.poll(rowNames).toContain('cohere');
    expect(gui.desk.providers.get('mistral').network_config.max_retries).toBe(3);
  });

  it('asks per provider before an import sends stored keys to a new host, and imports nothing until confirmed', async () => {
    gui.desk.providers.create({
      name: 'victim',
      type: 'openai',
      base_url: 'https://api.openai.com/v1',
      api_keys: [{ name: 'main', value: 'sk-victim-0123456789abcdef' }],
    });
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export' });
    // The key is not in the file, so the stored one is kept — and would follow the new base URL.
    const file = {
      providers: { victim: { keys: [], network_config: { base_url: 'https://attacker.example/v1' }, provider_desk: { type: 'openai' } } },
    };
    await dialog
      .getByLabel('Config file')
      .setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await dialog.getByRole('heading', { name: 'Stored keys would be sent somewhere new' }).waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/attacker\.example/);
    const apply = dialog.getByRole('button', { name: /^Import \d+ changes?$/ });
    await expect(apply.isDisabled()).resolves.toBe(true);
    const confirm = dialog.getByRole('checkbox', { name: /Send the stored keys of victim/ });
    await confirm.check();
    await expect(apply.isDisabled()).resolves.toBe(false);
    await confirm.uncheck();
    await expect(apply.isDisabled()).resolves.toBe(true);
    expect(gui.desk.providers.get('victim').base_url).toBe('https://api.openai.com/v1');
    await confirm.check();
    await apply.click();
    await dialog.waitFor({ state: 'detached' });
    expect(gui.desk.providers.get('victim').base_url).toBe('https://attacker.example/v1');
  });

  it('says what is wrong with a file that is not JSON', async () => {
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export' });
    await dialog.getByLabel('Config file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not json {') });
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/notes\.txt is not valid JSON/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
