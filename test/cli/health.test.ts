import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServe, waitForExit } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const KEY = 'sk-cli-owner-good-0123456789';
const VARIABLE = `PD_CLI_OWNER_KEY_${process.pid}`;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider('openai', { keys: [KEY] });
  delete process.env[VARIABLE];
});
afterAll(async () => fake.close());

describe('env.VAR keys resolved by the process that owns the store', () => {
  it('tests through a running `serve` started with the variable, while the CLI lacks it; alone, the CLI says missing_env', async () => {
    const dir = tempDir();
    const create = await runCli([
      'call',
      'providers.create',
      JSON.stringify({ name: 'from-env', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'env', value: `env.${VARIABLE}` }] }),
      '--data-dir',
      dir.path,
    ]);
    expect(create.code, create.stderr).toBe(0);

    // No owner runs: the CLI resolves here, where the variable is not set, and says so by name.
    const alone = await runCli(['test', 'from-env', '--data-dir', dir.path]);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toMatch(/^env\s+missing_env\s+The environment variable /m);
    expect(alone.stdout).toContain(`The environment variable ${VARIABLE}`);
    expect(alone.stdout).toMatch(/^from-env: error$/m);

    const serve = await startServe(['--port', '0', '--data-dir', dir.path], { [VARIABLE]: KEY });
    try {
      const file = join(dir.path, 'server.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
        url: serve.url,
        port: Number(new URL(serve.url).port),
        pid: serve.child.pid,
      });

      const owned = await runCli(['test', 'from-env', '--data-dir', dir.path]);
      expect(owned.code, owned.stdout + owned.stderr).toBe(0);
      expect(owned.stdout).toMatch(/^env\s+ok \d+ ms/m);
      expect(owned.stdout).toMatch(/^from-env: ok$/m);
      const models = await runCli(['models', 'from-env', '--refresh', '--data-dir', dir.path]);
      expect(models.code, models.stderr).toBe(0);
      expect(models.stdout).toMatch(/gpt-4o-mini/);
      // The owner stored its verdict; every reader sees the same word.
      const list = await runCli(['list', '--json', '--data-dir', dir.path]);
      expect(JSON.parse(list.stdout).items[0]).toMatchObject({ name: 'from-env', health: 'ok', api_keys: [{ health: 'ok' }] });
      expect(fake.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    } finally {
      serve.child.kill('SIGTERM');
      expect(await waitForExit(serve.child)).toBe(0);
    }
    // The owner is gone, and so is its entry: the CLI is back to resolving here.
    expect(existsSync(join(dir.path, 'server.json'))).toBe(false);
    const after = await runCli(['test', 'from-env', '--data-dir', dir.path]);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(VARIABLE);
    dir.remove();
  });
});
