import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const OLD = 'sk-e2e-keys-old-0123456789aaaa';
const NEW = 'sk-e2e-keys-new-0123456789zyxw';
const PASTED = ['sk-e2e-keys-paste-01234567-p1p1', 'sk-e2e-keys-paste-01234567-p2p2', 'sk-e2e-keys-paste-01234567-p3p3'];
const BAD = 'sk-e2e-keys-bad-98765432100000';

let gui: Gui;
let browser: Browser;
let fake: FakeProvider;
/** The same upstream answering slowly, so "Testing…" after Save is there to be seen. */
let slow: FakeProvider;
let opened: OpenedPage;
let page: Page;

const keyRow = (name: string) => page.getByRole('listitem', { name: `Key ${name}` });
const stored = (name: string) => gui.desk.providers.get(name);

async function openKeys(name: string): Promise<void> {
  await page.goto(`${gui.url}/#/providers/${stored(name).id}/keys`);
  await page.getByRole('list', { name: 'API keys' }).waitFor();
}

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  fake = await startFakeProvider('openai', { keys: [OLD, NEW, ...PASTED] });
  slow = await startFakeProvider('openai', { keys: [NEW], delayMs: 700 });
  seedProviders(gui.desk, [
    { name: 'openai', type: 'openai', display_name: 'Taken name', base_url: fake.baseUrl, api_keys: [{ name: 'default', value: OLD }] },
    {
      name: 'rotating',
      type: 'openai',
      display_name: 'Rotating',
      base_url: fake.baseUrl,
      api_keys: [{ name: 'work', value: OLD, weight: 3 }],
    },
  ]);
  await gui.desk.health.test('rotating');
  opened = await openPage(browser, gui);
  page = opened.page;
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await fake?.close();
  await slow?.close();
});

describe('keys you can rotate', () => {
  it("replaces a key's value keeping its id, name, weight and history; the old value is never shown", async () => {
    const before = stored('rotating').api_keys[0]!;
    expect(before.health).toBe('ok');
    await openKeys('rotating');
    await keyRow('work').getByRole('button', { name: 'Replace value of key work' }).click();
    const field = page.getByLabel('New value for key work');
    await expect(field.getAttribute('type')).resolves.toBe('password');
    await expect(field.inputValue()).resolves.toBe('');
    await field.fill(NEW);
    await page.getByRole('button', { name: 'Replace value', exact: true }).click();
    await expect.poll(() => keyRow('work').getByLabel('Masked value of work').textContent()).toContain(NEW.slice(-4));
    const after = stored('rotating').api_keys;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, name: 'work', weight: 3, health: 'untested' });
    expect(after[0]!.masked.endsWith(NEW.slice(-4))).toBe(true);
    expect(gui.desk.providers.revealKey('rotating', before.id).value).toBe(NEW);
    expect(gui.desk.health.history('rotating').checks.some((c) => c.key_id === before.id)).toBe(true);
    await expect(keyRow('work').textContent()).resolves.toMatch(/Not tested/);
    expect(await page.content()).not.toContain(OLD);
  });

  it('pastes three keys at once (one per line, blanks and spaces ignored) as key-2, key-3, key-4', async () => {
    await openKeys('rotating');
    await page.getByRole('button', { name: 'Paste several keys…' }).click();
    const paste = page.getByRole('form', { name: 'Paste several keys' });
    await paste.getByLabel('Keys, one per line').fill(`  ${PASTED[0]}  \n\n${PASTED[1]}\n\t${PASTED[2]}\n`);
    await paste.getByRole('button', { name: 'Add 3 keys' }).click();
    for (const name of ['key-2', 'key-3', 'key-4']) await keyRow(name).waitFor();
    const keys = stored('rotating').api_keys;
    expect(keys.map((k) => k.name)).toEqual(['work', 'key-2', 'key-3', 'key-4']);
    expect(keys.slice(1).map((k) => k.masked.slice(-4))).toEqual(['p1p1', 'p2p2', 'p3p3']);
  });

  it('reports a key pasted twice, or one already stored, by line, and adds none of the batch', async () => {
    await page.getByRole('button', { name: 'Paste several keys…' }).click();
    const paste = page.getByRole('form', { name: 'Paste several keys' });
    const lines = paste.getByLabel('Keys, one per line');
    await lines.fill(`${BAD}\nsk-e2e-other-000000000000\n${BAD}`);
    await paste.getByRole('button', { name: 'Add 2 keys' }).click();
    await paste.getByText(/Line 3 repeats line 1/).waitFor();
    await lines.fill(`${BAD}\n${PASTED[1]}`);
    await paste.getByRole('button', { name: 'Add 2 keys' }).click();
    await paste.getByText(/Line 2 is already stored as key "key-3"/).waitFor();
    expect(stored('rotating').api_keys).toHaveLength(4);
    await paste.getByRole('button', { name: 'Cancel' }).click();
  });

  it("edits a key's allowed and blocked models with suggestions from the provider's models; the lists persist", async () => {
    await keyRow('work').getByRole('button', { name: 'Model lists of key work' }).click();
    const panel = page.getByRole('region', { name: 'Model lists of key work' });
    const allowed = panel.getByLabel('Model id to add to allowed models');
    // Suggested from models.list of the provider (the fake serves gpt-4o-mini).
    await expect
      .poll(() => allowed.evaluate((input) => [...((input as HTMLInputElement).list?.options ?? [])].map((o) => o.value)))
      .toContain('gpt-4o-mini');
    await allowed.fill('gpt-4o-mini');
    await allowed.press('Enter');
    await panel.getByLabel('Model id to add to blocked models').fill('gpt-4o');
    await panel.getByRole('button', { name: 'Add to blocked models' }).click();
    await panel.getByRole('button', { name: 'Remove gpt-4o from blocked models' }).waitFor();
    await panel.getByRole('button', { name: 'Save model lists' }).click();
    await panel.waitFor({ state: 'detached' });
    const work = stored('rotating').api_keys.find((k) => k.name === 'work')!;
    expect(work.models).toEqual(['gpt-4o-mini']);
    expect(work.blacklisted_models).toEqual(['gpt-4o']);
    await page.reload();
    await expect(keyRow('work').locator('.key-lists-summary').textContent()).resolves.toBe('Only gpt-4o-miniBlocked gpt-4o');
  });

  it('shows each key with its health and last check time after a test', async () => {
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => keyRow('work').locator('[data-health]').first().getAttribute('data-health')).toBe('ok');
    await expect(keyRow('work').textContent()).resolves.toMatch(/Checked/);
  });
});

describe('a faster first success', () => {
  it('slugs the name as it is typed, explains the rule in words, and starts from a free default', async () => {
    await page.keyboard.press('Control+n');
    await page.getByRole('dialog', { name: 'Add provider' }).getByRole('button', { name: 'OpenAI', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Add OpenAI' });
    const name = form.getByLabel('Name', { exact: true });
    // "openai" exists, so the default is already the next free name.
    await expect.poll(() => name.inputValue()).toBe('openai-2');
    await form.getByText('Lowercase letters, digits, dashes and underscores; tools use it in URLs like /proxy/openai-2.').waitFor();
    await name.fill('');
    await name.pressSequentially('Bad Name');
    await expect(name.inputValue()).resolves.toBe('bad-name');
    await expect(form.textContent()).resolves.not.toMatch(/\^\[a-z|\$\)/);
  });

  it('offers openai-2 when the typed name openai is taken', async () => {
    const form = page.getByRole('dialog', { name: 'Add OpenAI' });
    const name = form.getByLabel('Name', { exact: true });
    await name.fill('openai');
    await form.getByRole('button', { name: 'Use openai-2' }).click();
    await expect(name.inputValue()).resolves.toBe('openai-2');
  });

  it('checks the entered key before saving: refuses a bad one, proves a good one, stores nothing', async () => {
    const form = page.getByRole('dialog', { name: 'Add OpenAI' });
    const count = gui.desk.providers.list({}).total;
    await form.getByLabel('Base URL', { exact: true }).fill(slow.baseUrl);
    await form.getByLabel('API key', { exact: true }).fill(BAD);
    await form.getByRole('button', { name: 'Check', exact: true }).click();
    const result = form.getByRole('region', { name: 'Check result' });
    await expect.poll(() => result.getAttribute('data-health')).toBe('error');
    await expect(result.textContent()).resolves.toMatch(/Key rejected/);
    await form.getByLabel('API key', { exact: true }).fill(NEW);
    await form.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => result.getAttribute('data-health')).toBe('ok');
    await expect(result.textContent()).resolves.toMatch(/The key works — \d+ models listed/);
    expect(gui.desk.providers.list({}).total).toBe(count);
  });

  it('tests the provider right after Save: Testing…, then the verdict', async () => {
    const form = page.getByRole('dialog', { name: 'Add OpenAI' });
    await form.getByLabel('Display name', { exact: true }).fill('Second OpenAI');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Second OpenAI', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Testing…' }).waitFor();
    await page.locator('.detail-header [data-health="ok"]').waitFor();
    expect(stored('openai-2').health).toBe('ok');
  });

  it('adds a provider with several pasted keys in the add form', async () => {
    await page.keyboard.press('Control+n');
    await page.getByRole('dialog', { name: 'Add provider' }).getByRole('button', { name: 'OpenAI', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Add OpenAI' });
    await expect.poll(() => form.getByLabel('Name', { exact: true }).inputValue()).toBe('openai-3');
    await form.getByLabel('Base URL', { exact: true }).fill(fake.baseUrl);
    await form.getByRole('button', { name: 'Paste several keys…' }).click();
    await form.getByLabel('API keys, one per line').fill(`${PASTED[0]}\n\n${PASTED[1]}\n`);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => gui.desk.providers.findByName('openai-3')?.api_keys.map((k) => k.name)).toEqual(['default', 'key-2']);
  });
});
