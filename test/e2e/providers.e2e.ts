import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, screenshot, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const GOOD_KEY = 'sk-proj-good-0123456789abcdef';

let gui: Gui;
let browser: Browser;
let fake: FakeProvider;
let opened: OpenedPage;
let page: Page;

const tab = (name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });
const field = (label: string) => page.getByLabel(label, { exact: true });

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  fake = await startFakeProvider('openai', { keys: [GOOD_KEY] });
  opened = await openPage(browser, gui);
  page = opened.page;
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await fake?.close();
});

describe('a provider from the catalog to its models', () => {
  it('starts with an empty state that leads to the first provider', async () => {
    await page.getByRole('heading', { name: 'Add your first provider' }).waitFor();
    await page.getByRole('button', { name: 'Add your first provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await dialog.getByRole('button', { name: 'Anthropic' }).waitFor();
    await screenshot(page, 'catalog.png');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('adds a provider from the catalog, with client-side and server-side errors inline', async () => {
    await page.keyboard.press('Control+n');
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    const search = dialog.getByLabel('Search provider types');
    await expect(search.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await search.fill('olla');
    expect(await dialog.getByRole('listitem').count()).toBe(1);
    await search.fill('openai');
    await dialog.getByRole('button', { name: 'OpenAI', exact: true }).click();

    const form = page.getByRole('dialog', { name: 'Add OpenAI' });
    await expect(form.getByLabel('Base URL', { exact: true }).inputValue()).resolves.toBe('https://api.openai.com/v1');
    await expect(form.getByLabel('API key', { exact: true }).getAttribute('type')).resolves.toBe('password');
    // A name is slugged as it is typed; an empty one is the error left to show.
    await form.getByLabel('Name', { exact: true }).fill('Not A Slug');
    await expect(form.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('not-a-slug');
    await form.getByLabel('Name', { exact: true }).fill('');
    await form.getByLabel('Base URL', { exact: true }).fill('ftp://nowhere');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await form.getByText('Is required.', { exact: true }).waitFor();
    await expect(form.getByText(/Must be an absolute http\(s\) URL/).count()).resolves.toBe(1);
    await expect(form.getByText('Is required for OpenAI.').count()).resolves.toBe(1);

    await form.getByLabel('Name', { exact: true }).fill('openai-fake');
    await form.getByLabel('Display name', { exact: true }).fill('OpenAI (fake)');
    await form.getByLabel('Base URL', { exact: true }).fill(fake.baseUrl);
    await form.getByLabel('API key', { exact: true }).fill(GOOD_KEY);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });

    await page.getByRole('heading', { name: 'OpenAI (fake)', level: 1 }).waitFor();
    await page
      .getByRole('listbox', { name: 'Providers' })
      .getByRole('option', { name: /OpenAI \(fake\)/ })
      .waitFor();

    // The server has the last word: a taken name comes back as that field's error.
    await page.keyboard.press('Control+n');
    await page.getByRole('dialog', { name: 'Add provider' }).getByRole('button', { name: 'OpenAI', exact: true }).click();
    const again = page.getByRole('dialog', { name: 'Add OpenAI' });
    await again.getByLabel('Name', { exact: true }).fill('openai-fake');
    await again.getByLabel('API key', { exact: true }).fill(GOOD_KEY);
    await again.getByRole('button', { name: 'Save' }).click();
    await again.getByRole('alert').filter({ hasText: 'A provider named "openai-fake" already exists' }).waitFor();
    await again.getByText('Is already used.').waitFor();
    await expect(again.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
  });

  it('tests the provider and shows the verdict with its latency', async () => {
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const results = page.getByRole('region', { name: 'Test results' });
    await results.waitFor();
    await expect(results.textContent()).resolves.toMatch(/Test passed.*default.*Works.*\d+ ms/);
    await page.locator('.detail-header [data-health="ok"]').waitFor();
    await page.getByRole('listbox', { name: 'Providers' }).locator('[data-health="ok"]').waitFor();
    await screenshot(page, 'detail-test.png');
  });

  it('lists the models with capability chips, searchable, reached with the arrow keys', async () => {
    await tab('General').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(tab('Models').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(tab('Models').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const table = page.getByRole('table');
    await table.getByRole('row', { name: 'Model gpt-4o-mini', exact: true }).waitFor();
    expect(await table.getByRole('row').count()).toBe(6);
    await page.getByRole('button', { name: 'embedding', exact: true }).click();
    expect(await table.getByRole('row').count()).toBe(2);
    await page.getByRole('button', { name: 'embedding', exact: true }).click();
    await page.getByLabel('Search models').fill('mini');
    expect(await table.getByRole('row').count()).toBe(2);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await table.getByRole('row', { name: 'Model gpt-4o-mini', exact: true }).waitFor();
  });

  it('shows a failed model listing as the error and its hint, not as an empty list', async () => {
    seedProviders(gui.desk, [
      { name: 'openai-broken', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'old', value: 'sk-revoked-000000000000' }] },
    ]);
    const id = gui.desk.providers.get('openai-broken').id;
    await page.goto(`${gui.url}/#/providers/${id}/models`);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be fetched' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/401.*check it or create a new one/);
    expect(await page.getByRole('table').count()).toBe(0);
  });

  it('adds, tests, renames, disables and deletes a key (after a confirmation); no key copy in the browser', async () => {
    const id = gui.desk.providers.get('openai-fake').id;
    await page.goto(`${gui.url}/#/providers/${id}/keys`);
    const keys = page.getByRole('list', { name: 'API keys' });
    await keys.getByRole('listitem', { name: 'Key default' }).waitFor();
    await field('Key name').fill('backup');
    await field('Key value').fill('sk-backup-9876543210zyxw');
    await page.getByRole('button', { name: 'Add key' }).click();
    const backup = keys.getByRole('listitem', { name: 'Key backup' });
    await backup.waitFor();
    await expect(backup.getByLabel('Masked value of backup').textContent()).resolves.not.toContain('9876543210');
    expect(await page.getByRole('button', { name: /Copy key/ }).count()).toBe(0);

    await backup.getByRole('button', { name: 'Test key backup' }).click();
    // The key's verdict (the timeline's marks carry the same words in their tooltips).
    await backup.getByText('Key rejected').first().waitFor();
    await backup.getByRole('button', { name: 'Rename key backup' }).click();
    await backup.getByLabel('New name for key backup').fill('spare');
    await backup.getByRole('button', { name: 'Save name' }).click();
    const spare = keys.getByRole('listitem', { name: 'Key spare' });
    await spare.waitFor();
    await spare.getByRole('switch', { name: 'Enable key spare' }).uncheck();
    await expect.poll(() => gui.desk.providers.get('openai-fake').api_keys.find((k) => k.name === 'spare')?.enabled).toBe(false);

    await spare.getByRole('button', { name: 'Delete key spare' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete key “spare”?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await spare.getByRole('button', { name: 'Delete key spare' }).click();
    await page.getByRole('dialog', { name: 'Delete key “spare”?' }).getByRole('button', { name: 'Delete key' }).click();
    await spare.waitFor({ state: 'detached' });
    expect(gui.desk.providers.get('openai-fake').api_keys.map((k) => k.name)).toEqual(['default']);
  });

  it('edits network settings that persist after a reload', async () => {
    await tab('Network').click();
    await field('Max retries').fill('-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Too small/).waitFor();

    await field('Timeout (seconds)').fill('45');
    await field('Max retries').fill('2');
    await page.getByRole('button', { name: 'Add header' }).click();
    await field('Header name 1').fill('X-Team');
    await field('Header value 1').fill('ml-platform');
    await field('Proxy type').selectOption('http');
    await field('Proxy URL').fill('http://127.0.0.1:3128');
    await page.getByRole('switch', { name: 'Skip TLS certificate verification' }).check();
    await page.getByRole('note').filter({ hasText: 'Anyone on the network path' }).waitFor();
    await page.getByRole('switch', { name: 'Skip TLS certificate verification' }).uncheck();
    await page.getByRole('switch', { name: 'Allow private network addresses' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('All changes saved').waitFor();

    await page.reload();
    await expect(tab('Network').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(field('Timeout (seconds)').inputValue()).resolves.toBe('45');
    await expect(field('Max retries').inputValue()).resolves.toBe('2');
    await expect(field('Header name 1').inputValue()).resolves.toBe('X-Team');
    await expect(field('Header value 1').inputValue()).resolves.toBe('ml-platform');
    await expect(field('Proxy URL').inputValue()).resolves.toBe('http://127.0.0.1:3128');
    await expect(page.getByRole('switch', { name: 'Allow private network addresses' }).isChecked()).resolves.toBe(true);
    const stored = gui.desk.providers.get('openai-fake');
    expect(stored.network_config).toMatchObject({
      default_request_timeout_in_seconds: 45,
      max_retries: 2,
      extra_headers: { 'X-Team': 'ml-platform' },
      allow_private_network: true,
    });
  });

  it('keeps the edit and says so when the provider changed elsewhere before a save', async () => {
    await tab('General').click();
    await field('Display name').fill('My edit');
    gui.desk.providers.update('openai-fake', { display_name: 'Renamed elsewhere' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'This provider was changed elsewhere' }).waitFor();
    await expect(field('Display name').inputValue()).resolves.toBe('My edit');
    expect(gui.desk.providers.get('openai-fake').display_name).toBe('Renamed elsewhere');
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => field('Display name').inputValue()).toBe('Renamed elsewhere');
    await field('Display name').fill('OpenAI (fake)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'OpenAI (fake)', level: 1 }).waitFor();
  });

  it('deletes a provider after a confirmation', async () => {
    const id = gui.desk.providers.get('openai-broken').id;
    await page.goto(`${gui.url}/#/providers/${id}/general`);
    await page.getByRole('button', { name: 'Delete provider' }).click();
    await page
      .getByRole('dialog', { name: /Delete “openai-broken”/ })
      .getByRole('button', { name: 'Delete provider' })
      .click();
    await page.getByText('Select a provider to see its keys').waitFor();
    expect(gui.desk.repo.findProvider('openai-broken')).toBeUndefined();
    // The list refreshes after the delete answers; wait for it rather than reading it once.
    await expect.poll(() => page.getByRole('listbox', { name: 'Providers' }).getByRole('option').count()).toBe(1);
  });
});
