// Test all that respects your time, in the GUI: Cancel stops a run held by slow providers with a partial summary; the
// run goes on with its dialog closed while the top bar shows its progress; failures are grouped by cause and "Retest
// failed" reruns only those; the time cap comes from Settings → Checks. And an import with several errors lists every
// one with its JSON path, shows per provider what changes, and keeps its confirm button in view on a big diff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import type { Browser, Locator, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { createHttpServer, type TestServer } from '../fakes/http-server.js';

const GOOD_KEY = 'sk-proj-testall-0123456789abcdef';
const SLOW = 4;

let gui: Gui;
let browser: Browser;
let good: FakeProvider;
let slow: TestServer;
/** `hang`: the slow upstream takes each request and never answers; `ok`: it answers like OpenAI's model list. */
let slowMode: 'hang' | 'ok' = 'hang';
const held = new Set<ServerResponse>();
let abandoned = 0;
let opened: OpenedPage;
let page: Page;

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  good = await startFakeProvider('openai', { keys: [GOOD_KEY] });
  slow = await createHttpServer((_req, res) => {
    if (slowMode === 'ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'slow-model', object: 'model', owned_by: 'slow' }] }));
      return;
    }
    held.add(res);
    res.on('close', () => {
      if (held.delete(res)) abandoned += 1;
    });
  });
  seedProviders(gui.desk, [
    { name: 'fast-1', type: 'openai', base_url: good.baseUrl, api_keys: [{ name: 'main', value: GOOD_KEY }] },
    { name: 'fast-2', type: 'openai', base_url: good.baseUrl, api_keys: [{ name: 'main', value: GOOD_KEY }] },
    ...Array.from({ length: SLOW }, (_, i) => ({
      name: `slow-${i + 1}`,
      type: 'openai',
      base_url: `${slow.url}/v1`,
      api_keys: [{ name: 'main', value: `sk-slow-${i}-0123456789abcdef` }],
    })),
  ]);
  opened = await openPage(browser, gui);
  page = opened.page;
  await page.getByRole('button', { name: 'Add provider' }).waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await good?.close();
  for (const res of held) res.destroy();
  await slow?.close();
});

const testAllDialog = () => page.getByRole('dialog', { name: /^(Test all providers|Retest failed providers)$/ });
const topBar = () => page.getByRole('banner');

/** Whether `locator` is wholly within the visible part of `within` (a scrolled-away or clipped element is not). */
async function shownWithin(locator: Locator, within: Locator): Promise<boolean> {
  const [box, frame] = await Promise.all([locator.boundingBox(), within.boundingBox()]);
  return box !== null && frame !== null && box.y >= frame.y && box.y + box.height <= frame.y + frame.height;
}

describe('test all in the GUI', () => {
  it('cancels a run held by slow providers, and shows a partial summary that leaves them as they were', async () => {
    await topBar().getByRole('button', { name: 'Test all' }).click();
    const dialog = testAllDialog();
    await expect.poll(() => held.size).toBe(SLOW);
    await dialog.getByText('Tested 2 of 6').waitFor();
    await dialog.getByRole('button', { name: 'Cancel test' }).click();
    const cancelled = dialog.locator('.test-all-cancelled');
    await cancelled.waitFor({ timeout: 5000 });
    await expect(cancelled.textContent()).resolves.toMatch(
      /Cancelled after 2 providers of 6\. 4 not tested; they keep their previous results\./,
    );
    await expect(dialog.locator('.stat[data-health="ok"] .stat-value').textContent()).resolves.toBe('2');
    // The slow providers' requests were aborted, and nothing marked them failed.
    await expect.poll(() => held.size).toBe(0);
    expect(abandoned).toBe(SLOW);
    for (let i = 1; i <= SLOW; i++) expect(gui.desk.providers.get(`slow-${i}`).health).toBe('untested');
    await expect(dialog.getByRole('button', { name: /^Retest failed/ }).count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('takes its time cap from Settings → Checks', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const cap = page.getByLabel('Time cap per provider in Test all', { exact: true });
    await expect(cap.inputValue()).resolves.toBe('20');
    await cap.selectOption({ label: '10 seconds' });
    await expect.poll(() => gui.desk.preferences.get('testTimeoutSeconds')).toBe(10);
    await page.getByRole('link', { name: 'Providers' }).click();
  });

  it('runs on with its dialog closed, shows progress in the top bar, and groups the failures by cause', async () => {
    abandoned = 0;
    await topBar().getByRole('button', { name: 'Test all' }).click();
    let dialog = testAllDialog();
    await dialog.getByText('Tested 2 of 6').waitFor();
    await dialog.getByRole('button', { name: 'Run in background' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The top bar says it is still running, and reopens the dialog on click.
    const indicator = topBar().getByRole('button', { name: 'Testing 2/6' });
    await indicator.waitFor();
    await indicator.click();
    dialog = testAllDialog();
    await dialog.getByText('Tested 2 of 6').waitFor();
    await dialog.getByRole('button', { name: 'Run in background' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The 10 s cap ends the slow providers as timed out; the top bar then says how it went.
    const outcome = topBar().getByRole('button', { name: 'Tested: 4 failed' });
    await outcome.waitFor({ timeout: 20_000 });
    await page.getByText(/Test all finished: 6 providers tested, 4 failed/).waitFor();
    expect(abandoned).toBe(SLOW);
    await outcome.click();
    dialog = testAllDialog();
    const groups = dialog.getByRole('list', { name: 'Failed providers' });
    await groups.waitFor();
    const timedOut = dialog.locator('.cause-group[data-cause="timeout"]');
    await expect(timedOut.locator('.cause-count').textContent()).resolves.toBe('4');
    const names = await timedOut.getByRole('list', { name: 'Timed out: providers' }).getByRole('button').allTextContents();
    expect(names.sort()).toEqual(['slow-1', 'slow-2', 'slow-3', 'slow-4']);
    await expect(timedOut.textContent()).resolves.toMatch(/no answer within 10 s/);
    expect(gui.desk.providers.get('slow-1').health).toBe('offline');
  });

  it('retests only the failed providers', async () => {
    slowMode = 'ok';
    const fastRequests = good.requests.length;
    const dialog = testAllDialog();
    await dialog.getByRole('button', { name: 'Retest failed (4)' }).click();
    await page.getByRole('dialog', { name: 'Retest failed providers' }).waitFor();
    await dialog.locator('.stat[data-health="ok"] .stat-value').filter({ hasText: '4' }).waitFor();
    await expect(dialog.locator('.stat[data-health="offline"] .stat-value').textContent()).resolves.toBe('0');
    await expect(dialog.getByRole('list', { name: 'Failed providers' }).count()).resolves.toBe(0);
    // The providers that passed before were not tested again.
    expect(good.requests.length).toBe(fastRequests);
    for (let i = 1; i <= SLOW; i++) expect(gui.desk.providers.get(`slow-${i}`).health).toBe('ok');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(topBar().locator('.test-all-indicator').count()).resolves.toBe(0);
  });
});

describe('import in the GUI', () => {
  const pick = (dialog: Locator, document: unknown) =>
    dialog
      .getByLabel('Config file')
      .setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(document)) });

  it('lists every validation error of a file with its JSON path', async () => {
    await topBar().getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export' });
    await pick(dialog, {
      providers: {
        openai: { keys: [{ name: 'main', value: 'sk-valid-0123456789', weight: 'heavy' }], network_config: { max_retries: -1 } },
        groq: { keys: [{ name: 'kept', value: '<REDACTED>' }] },
        'Bad Name': { keys: [] },
      },
    });
    const problems = dialog.getByRole('list', { name: 'Problems in the file' });
    await problems.waitFor();
    const items = await problems.getByRole('listitem').allTextContents();
    expect(items.length).toBeGreaterThanOrEqual(4);
    await expect(dialog.getByRole('heading', { name: `${items.length} problems in this file; nothing was changed` }).count()).resolves.toBe(
      1,
    );
    for (const path of [
      'providers.openai.keys[0].weight',
      'providers.openai.network_config.max_retries',
      'providers."Bad Name"',
      'providers.groq.keys[0].value',
    ]) {
      expect(items.some((item) => item.startsWith(`${path} `))).toBe(true);
    }
    await expect(dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows per provider what changes, and keeps the confirm button in view on a big diff', async () => {
    const added = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [
        `imported-${String(i).padStart(3, '0')}`,
        { keys: [{ name: 'main', value: `env.IMPORTED_${i}` }], provider_desk: { type: 'openai' } },
      ]),
    );
    await topBar().getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export' });
    // Five stored providers change three fields each (their keys kept as stored, their base URLs unchanged).
    const changed = Object.fromEntries(
      ['fast-1', 'fast-2', 'slow-1', 'slow-2', 'slow-3'].map((name) => [
        name,
        {
          keys: [{ name: 'main', value: '<REDACTED>', weight: 3 }],
          network_config: { base_url: gui.desk.providers.get(name).base_url, max_retries: 2 },
          provider_desk: { type: 'openai', description: 'changed by import' },
        },
      ]),
    );
    await pick(dialog, { providers: { ...added, ...changed } });
    const changes = dialog.getByRole('list', { name: 'Changes to fast-1' });
    await changes.waitFor();
    const fields = await changes.getByRole('listitem').allTextContents();
    expect(fields).toEqual(expect.arrayContaining(['provider_desk.description', 'network_config.max_retries', 'keys.main.weight']));
    await expect(dialog.getByRole('list', { name: 'Changes to slow-3' }).getByRole('listitem').count()).resolves.toBe(fields.length);
    // A preview longer than the dialog: without the sticky row, its button would sit below the fold.
    const body = dialog.locator('.dialog-body');
    expect(await body.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(100);
    const apply = dialog.getByRole('button', { name: 'Import 125 changes' });
    await expect.poll(() => shownWithin(apply, dialog)).toBe(true);
    // Still in view at the bottom of the long preview.
    await body.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect.poll(() => shownWithin(apply, dialog)).toBe(true);
    await apply.click();
    await dialog.waitFor({ state: 'detached' });
    expect(gui.desk.providers.get('slow-3').description).toBe('changed by import');
    expect(gui.desk.repo.findProvider('imported-119')).toBeDefined();
  });
});
