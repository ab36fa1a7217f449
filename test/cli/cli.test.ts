import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli, startServe, waitForExit } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';

describe('CLI', () => {
  it('serve prints the URL, answers, writes the 0600 token file, and exits cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const { child, url, output } = await startServe(['--port', '0', '--data-dir', dir.path]);
    const health = await fetch(`${url}/api/v1/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    const tokenFile = join(dir.path, 'api-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const list = await fetch(`${url}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    child.kill('SIGTERM');
    expect(await waitForExit(child)).toBe(0);
    expect(output()).toContain('Shutting down');
    dir.remove();
  });

  it('serve says clearly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dir = tempDir();
    const run = await runCli(['serve', '--port', String(port), '--data-dir', dir.path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
    blocker.close();
    dir.remove();
  });

  it('token prints the same token the server uses; --rotate replaces it', async () => {
    const dir = tempDir();
    const first = await runCli(['token', '--data-dir', dir.path]);
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toMatch(/^pd_[A-Za-z0-9_-]{43}$/);
    expect((await runCli(['token', '--data-dir', dir.path])).stdout).toBe(first.stdout);
    const rotated = await runCli(['token', '--rotate', '--data-dir', dir.path]);
    expect(rotated.stdout.trim()).not.toBe(first.stdout.trim());
    expect(readFileSync(join(dir.path, 'api-token'), 'utf8').trim()).toBe(rotated.stdout.trim());
    dir.remove();
  });

  it('list shows providers created through the CLI call command; bad input exits non-zero naming the field', async () => {
    const dir = tempDir();
    const created = await runCli([
      'call',
      'providers.create',
      '{"name":"openai","type":"openai","api_keys":[{"value":"sk-cli-secret-1234567890"}]}',
      '--data-dir',
      dir.path,
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).not.toContain('sk-cli-secret-1234567890');
    const list = await runCli(['list', '--data-dir', dir.path]);
    expect(list.stdout).toMatch(/openai\s+openai\s+yes\s+untested\s+1\s+https:\/\/api\.openai\.com\/v1/);
    const bad = await runCli(['call', 'providers.create', '{"name":"Bad"}', '--data-dir', dir.path]);
    expect(bad.code).toBe(1);
    // The name rule is explained in words, never as a raw regex.
    expect(bad.stderr).toMatch(/name: must be lowercase letters and digits/);
    expect(bad.stderr).not.toMatch(/\^\[a-z/);
    expect(bad.stderr).toMatch(/type: is required/);
    const fromStdin = await runCli(
      ['call', 'keys.create', '-', '--data-dir', dir.path],
      {},
      '{"idOrName":"openai","name":"piped","value":"sk-piped-secret-1234567890"}',
    );
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toContain('"name": "piped"');
    expect(fromStdin.stdout).not.toContain('sk-piped-secret-1234567890');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    dir.remove();
  });

  it('uses $XDG_CONFIG_HOME/provider-desk by default', async () => {
    const home = tempDir();
    const run = await runCli(['token'], { XDG_CONFIG_HOME: home.path, PROVIDER_DESK_DATA_DIR: '' });
    expect(run.code).toBe(0);
    expect(statSync(join(home.path, 'provider-desk', 'provider-desk.sqlite')).isFile()).toBe(true);
    home.remove();
  });
});
