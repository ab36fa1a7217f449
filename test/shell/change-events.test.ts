import { describe, expect, it, vi } from 'vitest';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { fakeElectron, ipcEvent, TRUSTED_PAGE } from '../helpers/fake-electron.js';

// The real Electron binary cannot run here; the shell is wired against this stand-in instead.
vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule);
vi.mock('electron-store', () => ({ default: class {} }));

const { startShell } = await import('../../src-main/shell/main.js');
const { EVENT_CHANNEL, INVOKE_CHANNEL } = await import('../../src-main/shell/ipc.js');

const KEY = 'sk-shell-events-secret-0123456789';

describe('change events in the desktop app (with a stand-in electron module)', () => {
  it("forwards the backend's change feed to the window on the event channel, another process's writes included", async () => {
    const dir = tempDir();
    const electron = fakeElectron(dir.path);
    delete process.env.PROVIDER_DESK_DATA_DIR;
    const running = (await startShell(electron.deps as never))!;
    const sent: Array<{ channel: string; payload: any }> = [];
    (running.window.webContents as unknown as { send: (channel: string, payload: unknown) => void }).send = (channel, payload) =>
      sent.push({ channel, payload });
    const changes = () => sent.filter((s) => s.channel === EVENT_CHANNEL && s.payload.type === 'changes').flatMap((s) => s.payload.events);
    const invoke = electron.handlers.get(INVOKE_CHANNEL)!;

    const created = (await invoke(ipcEvent(TRUSTED_PAGE), 'providers.create', {
      name: 'openai',
      type: 'openai',
      api_keys: [{ name: 'main', value: KEY }],
    })) as { ok: true; data: { id: string; api_keys: Array<{ id: string }> } };
    await expect.poll(() => changes()).toContainEqual({ id: expect.any(Number), type: 'provider.created', provider_id: created.data.id });
    await invoke(ipcEvent(TRUSTED_PAGE), 'keys.update', { idOrName: 'openai', keyId: created.data.api_keys[0]!.id, enabled: false });
    await expect
      .poll(() => changes())
      .toContainEqual({ id: expect.any(Number), type: 'key.changed', provider_id: created.data.id, key_id: created.data.api_keys[0]!.id });

    // The CLI writing to the same data dir (its own SQLite connection): found through data_version.
    const cli = openTestDesk({ dataDir: dir.path });
    cli.providers.create({ name: 'from-cli', type: 'ollama' });
    await cli.close();
    await expect.poll(() => changes().some((e) => e.type === 'store.changed'), { timeout: 2000 }).toBe(true);
    expect(JSON.stringify(sent)).not.toContain(KEY);

    await running.quit();
    expect(running.desk.changes.subscriberCount).toBe(0);
    dir.remove();
  });
});
