// Ctrl+C on `provider-desk test --all` cancels the run cleanly: the probes in flight are aborted, the providers keep
// their verdicts, and the command prints what it finished and exits 130.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';
import { createHttpServer, type TestServer } from '../fakes/http-server.js';

let upstream: TestServer;
const open = new Set<ServerResponse>();
let abandoned = 0;

beforeAll(async () => {
  // Takes every request and never answers; counts the requests the client gave up on.
  upstream = await createHttpServer((_req, res) => {
    open.add(res);
    res.on('close', () => {
      if (open.delete(res)) abandoned += 1;
    });
  });
});
afterAll(async () => {
  for (const res of open) res.destroy();
  await upstream.close();
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('provider-desk test --all and Ctrl+C', () => {
  it('cancels the run, prints a partial summary and exits 130', async () => {
    const dir = tempDir();
    try {
      for (let i = 0; i < 3; i++) {
        const created = await runCli([
          'call',
          'providers.create',
          JSON.stringify({
            name: `hang-${i}`,
            type: 'openai',
            base_url: `${upstream.url}/v1`,
            api_keys: [{ name: 'k', value: `sk-hang-${i}-0000000000` }],
          }),
          '--data-dir',
          dir.path,
        ]);
        expect(created.code, created.stderr).toBe(0);
      }
      const child = spawn(process.execPath, [BIN, 'test', '--all', '--data-dir', dir.path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await waitFor(() => open.size === 3);
      const interrupted = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      expect(Date.now() - interrupted).toBeLessThan(5000);
      expect(code, stdout + stderr).toBe(130);
      expect(stderr).toContain('Cancelling');
      expect(stdout).toMatch(/^Cancelled: 0 passed, 0 failed, 3 not tested of 3 providers/m);
      await waitFor(() => open.size === 0, 2000);
      expect(abandoned).toBe(3);
      const list = await runCli(['list', '--json', '--data-dir', dir.path]);
      expect((JSON.parse(list.stdout) as { items: Array<{ health: string }> }).items.map((p) => p.health)).toEqual([
        'untested',
        'untested',
        'untested',
      ]);
    } finally {
      dir.remove();
    }
  });
});
