import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type Server } from 'node:net';
import { tempDir } from '../helpers/desk.js';
import { fakeElectron, ipcEvent, TRUSTED_PAGE, type FakeElectronOptions } from '../helpers/fake-electron.js';
import { Desk } from '../../src-main/core/desk.js';
import { silentLogger } from '../../src-main/core/log/logger.js';
import { startApiServer } from '../../src-main/core/http/server.js';
import { readServerFile, writeServerFile } from '../../src-main/core/server-file.js';
import { restoredBounds, SAVE_DELAY_MS } from '../../src-main/shell/window-state.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead.
vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule);
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { INVOKE_CHANNEL } = await import('../../src-main/shell/ipc.js');

type Fake = ReturnType<typeof fakeElectron>;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(options: FakeElectronOptions = {}): { dir: string; fake: Fake } {
  delete process.env.PROVIDER_DESK_DATA_DIR;
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return { dir: dir.path, fake: fakeElectron(dir.path, options) };
}

async function start(fake: Fake, options: { quitTimeoutMs?: number } = {}) {
  const running = (await startShell(fake.deps as never, options))!;
  expect(running).not.toBeNull();
  cleanups.push(() => running.quit());
  return running;
}

async function appInfo(fake: Fake): Promise<{ api: { url: string; port: number; enabled: boolean; note?: string } }> {
  const result = (await fake.handlers.get(INVOKE_CHANNEL)!(ipcEvent(TRUSTED_PAGE), 'app.info', {})) as { ok: true; data: any };
  expect(result.ok).toBe(true);
  return result.data;
}

function expectNoDialog(fake: Fake): void {
  expect(fake.deps.dialog.showMessageBox).not.toHaveBeenCalled();
  expect(fake.deps.dialog.showErrorBox).not.toHaveBeenCalled();
}

async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, server };
}

describe('quitting', () => {
  it('holds will-quit until the server and the store are closed, then exits', async () => {
    const { dir, fake } = setUp();
    const running = await start(fake);
    expect(readServerFile(dir)?.url).toBe(running.server!.url);

    const event = fake.emitApp('will-quit');
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.calls.at(-1)).toBe('exit:0'));
    expect(running.desk.db.open).toBe(false);
    await expect(fetch(`${running.server!.url}/api/v1/health`)).rejects.toThrow();
    expect(readServerFile(dir)).toBeUndefined();
    expect(fake.handlers.size).toBe(0);
    // The exit's own will-quit is let through.
    expect(fake.emitApp('will-quit').defaultPrevented).toBe(false);
  });

  it('exits after the deadline when closing hangs', async () => {
    const { fake } = setUp();
    const running = await start(fake, { quitTimeoutMs: 300 });
    let release = () => undefined as void;
    running.scheduler.stop = () => new Promise<void>((resolve) => (release = resolve));
    const started = Date.now();
    fake.emitApp('will-quit');
    await vi.waitFor(() => expect(fake.calls.at(-1)).toBe('exit:0'), { timeout: 3000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2000);
    // What was still closing goes on (in the real app the exit ends it).
    release();
  });
});

describe('the local API port', () => {
  it('uses the `provider-desk serve` that already runs on this data dir instead of failing, and says so in app.info', async () => {
    const { dir } = setUp();
    // `serve` on the same data dir: its own Desk and server, named in server.json.
    const serveDesk = new Desk({ dataDir: dir, logger: silentLogger });
    const serve = await startApiServer(serveDesk.http, { port: 0 });
    writeServerFile(dir, { url: serve.url, port: serve.port, pid: process.pid });
    cleanups.push(async () => {
      await serve.close();
      await serveDesk.close();
    });

    const fake = fakeElectron(dir, { apiPort: serve.port });
    const running = await start(fake);
    expect(running.api).toMatchObject({ kind: 'shared', url: serve.url, port: serve.port });
    expect(running.server).toBeNull();
    expectNoDialog(fake);
    const { api } = await appInfo(fake);
    expect(api).toMatchObject({ url: serve.url, port: serve.port, enabled: true });
    expect(api.note).toContain(`Served by another Provider Desk process on this data dir (pid ${process.pid}`);

    await running.quit();
    // server.json still names the serve, which keeps running.
    expect(readServerFile(dir)?.url).toBe(serve.url);
    expect((await fetch(`${serve.url}/api/v1/health`)).status).toBe(200);
  });

  it('takes the next free port when another program has the preferred one, and says so in app.info', async () => {
    const { port } = await occupiedPort();
    const { dir, fake } = setUp({ apiPort: port });
    const running = await start(fake);
    expectNoDialog(fake);
    expect(running.server!.port).toBeGreaterThan(port);
    expect(running.server!.port).toBeLessThanOrEqual(port + 20);
    expect(readServerFile(dir)?.port).toBe(running.server!.port);
    const { api } = await appInfo(fake);
    expect(api).toMatchObject({ url: running.server!.url, enabled: true });
    expect(api.note).toBe(`Port ${port} is taken by another program, so the local API listens on port ${running.server!.port} this time.`);
    expect((await fetch(`${running.server!.url}/api/v1/health`)).status).toBe(200);
  });

  it('does not take a stale server.json (a serve that is gone) for a running serve', async () => {
    const { port } = await occupiedPort();
    const { dir, fake } = setUp({ apiPort: port });
    writeServerFile(dir, { url: `http://127.0.0.1:${port}`, port, pid: 2 ** 22 + 12345 });
    const running = await start(fake);
    expect(running.api.kind).toBe('own');
    expect(running.server!.port).not.toBe(port);
  });

  it('has nothing to say when the preferred port was free', async () => {
    const { fake } = setUp();
    await start(fake);
    expect((await appInfo(fake)).api.note).toBeUndefined();
  });
});

describe('window bounds and maximised state', () => {
  it('opens where the window was last, maximised again if it was', async () => {
    const { fake } = setUp();
    fake.deps.preferences().set('windowBounds', { x: 200, y: 150, width: 1000, height: 700, maximized: true });
    await start(fake);
    const window = fake.windows[0]!;
    expect(window.options).toMatchObject({ x: 200, y: 150, width: 1000, height: 700 });
    expect(window.maximized).toBe(false);
    window.emit('ready-to-show');
    expect(window.maximized).toBe(true);
  });

  it('opens centred when the saved place is on no display any more', async () => {
    const { fake } = setUp({ displays: [{ x: 0, y: 0, width: 1920, height: 1040 }] });
    fake.deps.preferences().set('windowBounds', { x: 2400, y: 100, width: 1000, height: 700 });
    await start(fake);
    const options = fake.windows[0]!.options;
    expect(options).toMatchObject({ width: 1000, height: 700 });
    expect(options.x).toBeUndefined();
    expect(options.y).toBeUndefined();
    fake.windows[0]!.emit('ready-to-show');
    expect(fake.windows[0]!.maximized).toBe(false);
  });

  it('saves the bounds after moves and resizes settle, when maximised, and on close', async () => {
    const { fake } = setUp();
    await start(fake);
    const window = fake.windows[0]!;
    const saved = () => fake.deps.preferences().get('windowBounds');
    expect(saved()).toBeNull();

    window.bounds = { x: 300, y: 200, width: 1100, height: 760 };
    window.emit('move');
    window.emit('resize');
    expect(saved()).toBeNull(); // not on every event of a drag
    await vi.waitFor(() => expect(saved()).toEqual({ x: 300, y: 200, width: 1100, height: 760, maximized: false }), {
      timeout: SAVE_DELAY_MS * 4,
    });

    window.maximized = true;
    window.emit('maximize');
    expect(saved()).toEqual({ x: 300, y: 200, width: 1100, height: 760, maximized: true });

    window.maximized = false;
    window.bounds = { x: 10, y: 20, width: 900, height: 600 };
    window.emit('resize');
    window.emit('close');
    expect(saved()).toEqual({ x: 10, y: 20, width: 900, height: 600, maximized: false });
  });

  it('keeps a place that is reachable on any display, and only then', () => {
    const displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }, { workArea: { x: -1280, y: 0, width: 1280, height: 1000 } }];
    const saved = { width: 1000, height: 700 };
    expect(restoredBounds({ ...saved, x: -1200, y: 50 }, displays).bounds).toEqual({ ...saved, x: -1200, y: 50 });
    // Most of it off to the right, but its left edge still on the primary display.
    expect(restoredBounds({ ...saved, x: 1700, y: 50 }, displays).bounds).toEqual({ ...saved, x: 1700, y: 50 });
    // Only a sliver visible: cannot be grabbed.
    expect(restoredBounds({ ...saved, x: 1880, y: 50 }, displays).bounds).toEqual(saved);
    expect(restoredBounds({ ...saved, x: 100, y: 1030 }, displays).bounds).toEqual(saved);
    expect(restoredBounds({ ...saved, x: -3000, y: 50 }, displays).bounds).toEqual(saved);
    // Never smaller than the window's minimum; nothing saved yet: the default size.
    expect(restoredBounds({ width: 200, height: 100 }, displays).bounds).toEqual({ width: 880, height: 560 });
    expect(restoredBounds(null, displays)).toEqual({ bounds: { width: 1240, height: 820 }, maximized: false });
  });
});
