import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const KEY = 'sk-proj-models-0123456789abcdef';

let gui: Gui;
let browser: Browser;
let fake: FakeProvider;
let opened: OpenedPage;
let page: Page;
let tab: Locator;

/** The config.json export, read through the API as a tool would. */
async function exportedKeys(): Promise<Array<{ name: string; models: string[] }>> {
  const res = await fetch(`${gui.url}/api/v1/config/export`, { headers: { authorization: `Bearer ${gui.token}` } });
  const doc = (await res.json()) as { providers: Record<string, { keys: Array<{ name: string; models: string[] }> }> };
  return doc.providers['openai-models']?.keys ?? [];
}

const row = (id: string) => tab.getByRole('row', { name: `Model ${id}`, exact: true });
const count = () => tab.getByTestId('models-count').textContent();

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  fake = await startFakeProvider('openai', { keys: [KEY], models: ['gpt-4o', 'gpt-4o-mini', 'whisper-1'] });
  seedProviders(gui.desk, [{ name: 'openai-models', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: KEY }] }]);
  opened = await openPage(browser, gui);
  page = opened.page;
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gui.url });
  await page.getByRole('button', { name: 'Add provider' }).waitFor({ timeout: 30_000 });
  const id = gui.desk.providers.get('openai-models').id;
  await page.goto(`${gui.url}/#/providers/${id}/models`);
  tab = page.locator('.models-tab');
  await row('gpt-4o-mini').waitFor();
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await fake?.close();
});

describe('curating models in the GUI', () => {
  it("disables a model and the Bifrost export's key `models` leaves it out", async () => {
    await expect(count()).resolves.toMatch(/^3 of 3 models enabled/);
    expect((await exportedKeys())[0]?.models).toEqual([]); // nothing disabled: every model allowed

    const toggle = row('gpt-4o-mini').getByRole('switch', { name: 'Enable model gpt-4o-mini' });
    await expect(toggle.isChecked()).resolves.toBe(true);
    await toggle.click();
    await expect.poll(count).toMatch(/^2 of 3 models enabled/);
    await expect(toggle.isChecked()).resolves.toBe(false);

    const [key] = await exportedKeys();
    expect(key?.models).toEqual(['gpt-4o', 'whisper-1']);
    expect(key?.models).not.toContain('gpt-4o-mini');
  });

  it('adds a custom model id, which is marked custom and exported as allowed', async () => {
    await tab.getByLabel('Model id', { exact: true }).fill('ft:gpt-4o:acme::e2e');
    await tab.getByLabel('Display name (optional)').fill('Support bot');
    await tab.getByRole('button', { name: 'Add model' }).click();
    await row('ft:gpt-4o:acme::e2e').waitFor();
    await expect(row('ft:gpt-4o:acme::e2e').getByText('custom', { exact: true }).count()).resolves.toBe(1);
    await expect(row('ft:gpt-4o:acme::e2e').getByText('Support bot').count()).resolves.toBe(1);
    await expect.poll(count).toMatch(/^3 of 4 models enabled/);
    expect((await exportedKeys())[0]?.models).toContain('ft:gpt-4o:acme::e2e');

    // The same id again is refused with the reason, next to the field.
    await tab.getByLabel('Model id', { exact: true }).fill('gpt-4o');
    await tab.getByRole('button', { name: 'Add model' }).click();
    await expect(tab.getByRole('alert').textContent()).resolves.toMatch(/already/);
  });

  it('copies a model id to the clipboard and says so', async () => {
    const copy = row('gpt-4o').getByRole('button', { name: 'Copy model id gpt-4o' });
    await copy.click();
    await row('gpt-4o').getByRole('button', { name: 'Copied gpt-4o' }).waitFor();
    await expect(row('gpt-4o').getByText('Copied').count()).resolves.toBe(1);
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('gpt-4o');
  });

  it('checks one model with a one-token request, showing latency and the billed mark', async () => {
    const before = fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
    await row('gpt-4o').getByRole('button', { name: 'Check model gpt-4o' }).click();
    const status = row('gpt-4o').getByRole('status', { name: 'Check of gpt-4o: Answered' });
    await status.waitFor();
    await expect(status.textContent()).resolves.toMatch(/Answered · \d+ (ms|s).*billed/);
    expect(fake.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(before + 1);
  });

  it('marks a model the provider stopped listing as gone after a refresh, until it is dismissed', async () => {
    fake.setModels(['gpt-4o', 'whisper-1']);
    await tab.getByRole('button', { name: 'Refresh' }).click();
    await row('gpt-4o-mini').getByText('gone', { exact: true }).waitFor();
    await expect.poll(count).toMatch(/1 gone/);
    // Still disabled: a refresh keeps the user's choice.
    await expect(row('gpt-4o-mini').getByRole('switch').isChecked()).resolves.toBe(false);
    // The custom id is not gone: it was never the provider's to list.
    await expect(row('ft:gpt-4o:acme::e2e').getByText('gone', { exact: true }).count()).resolves.toBe(0);

    await row('gpt-4o-mini').getByRole('button', { name: 'Dismiss gone model gpt-4o-mini' }).click();
    await expect.poll(() => row('gpt-4o-mini').count()).toBe(0);
    await expect.poll(count).toMatch(/^3 of 3 models enabled/);
  });

  it('disables and enables every model of the filtered view at once', async () => {
    await tab.getByRole('searchbox', { name: 'Search models' }).fill('gpt-4o');
    await expect.poll(count).toMatch(/^3 of 3 models enabled · 2 shown/);
    await tab.getByRole('button', { name: 'Disable all shown' }).click();
    await expect.poll(count).toMatch(/^1 of 3 models enabled/);
    expect((await exportedKeys())[0]?.models).toEqual(['whisper-1']);
    await tab.getByRole('button', { name: 'Enable all shown' }).click();
    await expect.poll(count).toMatch(/^3 of 3 models enabled/);
    await tab.getByRole('searchbox', { name: 'Search models' }).fill('');
  });
});
