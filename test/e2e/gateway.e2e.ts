import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromium, openPage, seedProviders, startGui, type Gui, type OpenedPage } from './harness.js';
import { startLlmUpstream, type LlmUpstream } from '../fakes/llm-upstreams.js';

const REAL_KEY = 'sk-proj-gateway-gui-0123456789abcdef';

let gui: Gui;
let browser: Browser;
let upstream: LlmUpstream;
let opened: OpenedPage;
let page: Page;
let id: string;

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
  upstream = await startLlmUpstream({ dialect: 'openai', keys: [REAL_KEY] });
  seedProviders(gui.desk, [
    { name: 'openai-gw', type: 'openai', base_url: `${upstream.url}/v1`, api_keys: [{ name: 'main', value: REAL_KEY }] },
  ]);
  id = gui.desk.providers.get('openai-gw').id;
  opened = await openPage(browser, gui);
  page = opened.page;
  await page.getByRole('button', { name: 'Add provider' }).waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  expect(opened?.problems()).toEqual([]);
  await browser?.close();
  await gui?.close();
  await upstream?.close();
});

describe('the gateway in the GUI', () => {
  it('"Use from other tools" shows snippets with the gateway base URL and never the key; a token made there is shown once', async () => {
    await page.goto(`${gui.url}/#/providers/${id}/tools`);
    const panel = page.getByRole('region', { name: 'Use from other tools' });
    await panel.locator('pre[data-snippet="curl"]').waitFor();
    const texts = await panel.locator('pre').allTextContents();
    expect(texts.length).toBeGreaterThanOrEqual(4);
    expect(texts.join('\n')).toContain(`${gui.url}/proxy/openai-gw/v1/chat/completions`);
    expect(texts.join('\n')).toContain(`${gui.url}/v1`);
    expect(texts.join('\n')).toContain('$PROVIDER_DESK_GATEWAY_TOKEN');
    expect(await page.content()).not.toContain(REAL_KEY);

    await panel.getByRole('button', { name: 'Create a token for this provider' }).click();
    const token = (await page.getByLabel('New gateway token for openai-gw').textContent())?.trim() ?? '';
    expect(token).toMatch(/^pdg_/);
    expect((await panel.locator('pre[data-snippet="curl"]').textContent()) ?? '').toContain(token);
    const created = gui.desk.tokens.list().find((t) => t.providers?.includes('openai-gw'));
    expect(created?.providers).toEqual(['openai-gw']);
    expect(await page.content()).not.toContain(REAL_KEY);
  });

  it('the Usage tab shows the counts after a request through the gateway', async () => {
    const res = await fetch(`${gui.url}/proxy/openai-gw/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gui.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await expect.poll(() => gui.desk.usage.byProvider('openai-gw').totals.requests).toBe(1);

    await page.goto(`${gui.url}/#/providers/${id}/usage`);
    const byKey = page.getByRole('table', { name: 'Usage by key' });
    await byKey.waitFor();
    const row = byKey.getByRole('row', { name: /main/ });
    await expect.poll(async () => (await row.allTextContents()).join(' ')).toMatch(/main\s*1\s*0\s*12\s*5/);
    const total = page.getByRole('table', { name: 'Usage in total' });
    expect((await total.textContent()) ?? '').toContain('All requests');
  });
});
