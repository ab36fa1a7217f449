import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { runCli } from '../helpers/cli.js';

const KEY = 'sk-proj-live-0123456789abcdef';

let gui: Gui;
let browser: Browser;
let fast: FakeProvider;
/** Answers after 4 s: a test-all that includes it lasts that long. */
let slow: FakeProvider;
/** Answers after 3 s, and only ever sees the navigation test's probes. */
let joined: FakeProvider;
let opened: OpenedPage;
let page: Page;

const row = (name: string) => page.getByRole('listbox', { name: 'Providers' }).locator(`[data-name="${name}"]`);

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  fast = await startFakeProvider('openai', { keys: [KEY] });
  slow = await startFakeProvider('openai', { keys: [KEY], delayMs: 4000 });
  joined = await startFakeProvider('openai', { keys: [KEY], delayMs: 3000 });
  seedProviders(gui.desk, [
    { name: 'fast-one', type: 'openai', base_url: fast.baseUrl, api_keys: [{ name: 'main', value: KEY }] },
    { name: 'slow-one', type: 'openai', base_url: slow.baseUrl, api_keys: [{ name: 'main', value: KEY }] },
    // Disabled: test-all skips it, so its fake sees only the probes the navigation test starts.
    { name: 'waited-on', type: 'openai', base_url: joined.baseUrl, enabled: false, api_keys: [{ name: 'main', value: KEY }] },
  ]);
  opened = await openPage(browser, gui);
  page = opened.page;
  await row('fast-one').waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await fast?.close();
  await slow?.close();
  await joined?.close();
});

describe('live updates in an open window', () => {
  it('shows a provider created through the HTTP API, and one created by the CLI in another process, within 2 s', async () => {
    const created = await fetch(`${gui.url}/api/v1/providers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gui.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'made-by-api', type: 'ollama' }),
    });
    expect(created.status).toBe(201);
    await row('made-by-api').waitFor({ timeout: 2000 });

    // The CLI opens the same data dir itself (no server.json: the GUI's server is in this process): data_version.
    const cli = await runCli([
      'call',
      'providers.create',
      JSON.stringify({ name: 'made-by-cli', type: 'ollama' }),
      '--data-dir',
      gui.desk.options.dataDir,
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    await row('made-by-cli').waitFor({ timeout: 2000 });
  });

  it('flips each row as its test-all result arrives, while the run is still going', async () => {
    await expect(row('fast-one').locator('[data-health="untested"]').count()).resolves.toBe(1);
    let ended = false;
    const run = gui.desk.health.testAll({}).then(() => (ended = true));
    await row('fast-one').locator('[data-health="ok"]').waitFor({ timeout: 3000 });
    // The slow provider answers after 4 s: the run is still going, and its row still untested.
    expect(ended).toBe(false);
    await expect(row('slow-one').locator('[data-health="untested"]').count()).resolves.toBe(1);
    await run;
    await row('slow-one').locator('[data-health="ok"]').waitFor({ timeout: 3000 });
  });

  it('keeps a test running while the user looks elsewhere, shows it running on return, and probes once', async () => {
    await row('waited-on').click();
    const testButton = page.locator('.detail-header').getByRole('button', { name: 'Test', exact: true });
    const busyButton = page.locator('.detail-header').getByRole('button', { name: 'Testing…', exact: true });
    await testButton.click();
    await busyButton.waitFor();
    await expect.poll(() => joined.requests.length).toBe(1);

    await row('fast-one').click();
    await page.locator('.detail-header').getByText('fast-one').first().waitFor();
    await testButton.waitFor();

    await row('waited-on').click();
    // Shown as running again, and not clickable: the backend still owns the test.
    await busyButton.waitFor({ timeout: 2000 });
    await expect(busyButton.isDisabled()).resolves.toBe(true);
    const results = page.getByRole('region', { name: 'Test results' });
    await results.waitFor({ timeout: 6000 });
    await expect(results.textContent()).resolves.toMatch(/Test passed/);
    await testButton.waitFor();
    await row('waited-on').locator('[data-health="ok"]').waitFor();
    expect(joined.requests.length).toBe(1);
  });
});
