import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { launchChromium, openPage, startGui, type Gui, type OpenedPage } from './harness.js';

let gui: Gui;
let browser: Browser;
let opened: OpenedPage | undefined;

beforeAll(async () => {
  gui = await startGui();
  browser = await launchChromium();
});

afterEach(async () => {
  if (opened) {
    expect(opened.problems()).toEqual([]);
    await opened.context.close();
    opened = undefined;
  }
});

afterAll(async () => {
  await browser?.close();
  await gui?.close();
});

describe('signing in to the browser GUI', () => {
  it('signs in with /?token= and drops the token from the address', async () => {
    opened = await openPage(browser, gui, { path: '/?view=1' });
    const { page, context } = opened;
    await page.getByRole('button', { name: 'Add provider' }).waitFor();
    expect(page.url()).toBe(`${gui.url}/?view=1`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'pd_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(gui.token);
  });

  it('asks for the token without a session, rejects a wrong one, and signs in with the right one', async () => {
    opened = await openPage(browser, gui, { signIn: false });
    const { page } = opened;
    await page.getByRole('heading', { name: 'Sign in to Provider Desk' }).waitFor();
    const token = page.getByLabel('Token');
    await expect(token.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await token.fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/not valid/);

    await token.fill(gui.token);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Add provider' }).waitFor();
    expect(page.url()).not.toContain('token');
  });

  it('signs out, and stays signed out after a reload', async () => {
    opened = await openPage(browser, gui);
    const { page } = opened;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Provider Desk' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/signed out/);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Provider Desk' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/providers')).status);
    expect(status).toBe(401);
  });

  it('stays signed in after rotating the token from Settings, with the new token shown', async () => {
    opened = await openPage(browser, gui, { path: '/#/settings' });
    const { page } = opened;
    await page.getByRole('button', { name: 'Rotate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the local API token?' });
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    await dialog.waitFor({ state: 'detached' });
    const fresh = gui.desk.token.current();
    expect(fresh).not.toBe(gui.token);
    await expect(page.getByLabel('Local API token').textContent()).resolves.toBe(fresh);
    await expect(page.getByLabel('curl example').textContent()).resolves.toContain(`Bearer ${fresh}" ${gui.url}/api/v1/providers`);
    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    gui.token = fresh;
  });
});
