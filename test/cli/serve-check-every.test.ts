import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startServe, waitForExit } from '../helpers/cli.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { startFakeProvider } from '../fakes/providers.js';
import { LOG_FILE } from '../../src-main/core/log/logger.js';

const GOOD_KEY = 'sk-proj-serve-scheduled-0123456789abcdef';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('provider-desk serve --check-every', () => {
  it('re-tests in the background and reports a key that starts failing on stderr and in the log, by name only', async () => {
    const fake = await startFakeProvider('openai', { keys: [GOOD_KEY] });
    cleanups.push(() => fake.close());
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const seed = openTestDesk({ dataDir: dir.path });
    seed.providers.create({ name: 'openai', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: GOOD_KEY }] });
    await seed.close();

    const { child, url, output } = await startServe(['--port', '0', '--data-dir', dir.path, '--check-every', '1s']);
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await until(() => (output().includes('Scheduled checks: every 1s') ? true : undefined), 'the schedule line');
    const token = readFileSync(join(dir.path, 'api-token'), 'utf8').trim();

    // The first scheduled run finds the key working (untested → ok is no news).
    await until(async () => {
      const response = await fetch(`${url}/api/v1/providers/openai`, { headers: { authorization: `Bearer ${token}` } });
      const provider = (await response.json()) as { api_keys: Array<{ last_check: { ok: boolean } | null }> };
      return provider.api_keys[0]?.last_check?.ok === true ? true : undefined;
    }, 'a first scheduled check');
    expect(stderr).not.toContain('stopped working');

    fake.keys.splice(0); // the provider revokes the key
    const line = "provider-desk: Key 'main' of openai stopped working: 401 — the key was rejected";
    await until(() => (stderr.includes(line) ? true : undefined), 'the stderr line');

    const recent = await fetch(`${url}/api/v1/checks/recent`, { headers: { authorization: `Bearer ${token}` } });
    expect(await recent.json()).toMatchObject({ events: [{ kind: 'key_started_failing', provider: 'openai', key_name: 'main' }] });

    child.kill('SIGTERM');
    expect(await waitForExit(child)).toBe(0);
    expect(stderr.split('\n').filter((l) => l.includes('stopped working'))).toHaveLength(1);

    const log = readFileSync(join(dir.path, 'logs', LOG_FILE), 'utf8');
    const warning = log
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((entry) => entry.message === 'key started failing');
    expect(warning).toMatchObject({ level: 'warn', provider: 'openai', key_name: 'main', error_class: 'auth_failed', status: 401 });
    expect(log).not.toContain(GOOD_KEY);
    expect(output()).not.toContain(GOOD_KEY);
  });

  it.each(['soon', '15', '0.5s', '48h', '-1m', ''])(
    'refuses --check-every %j with a usage error naming the flag (exit 2)',
    async (value) => {
      const dir = tempDir();
      cleanups.push(() => dir.remove());
      const dataDir = join(dir.path, 'never-created');
      const run = await runCli(['serve', '--port', '0', '--data-dir', dataDir, `--check-every=${value}`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--check-every must be a duration from 1s to 24h');
      expect(existsSync(dataDir)).toBe(false);
    },
  );
});
