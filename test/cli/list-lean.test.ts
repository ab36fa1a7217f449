/**
 * `provider-desk list` reads only what it prints, pages through the whole store (no 10,000 cap) and streams; list,
 * models and export end quietly, with exit code 0, when their reader stops early (`| head -1`).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import type { KeyWrapper } from '../../src-main/core/vault/key-slots.js';
import { writeServerFile } from '../../src-main/core/server-file.js';
import { BIN, runCli } from '../helpers/cli.js';
import { openTestDesk, startTestServer, tempDir, type TestServer } from '../helpers/desk.js';

const PROVIDERS = 12_000;
const MODELS = 20_000;
const nameOf = (i: number) => `lean-${String(i).padStart(5, '0')}`;

/** Runs the CLI and closes its standard output after the first chunk, as `| head -1` does. */
function runWithEarlyClose(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; received: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let received = 0;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', (chunk: Buffer) => {
      received = chunk.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, received }));
  });
}

function seed(desk: Desk, count: number, withKeys = 3): void {
  desk.repo.transaction(() => {
    for (let i = 0; i < count; i++) {
      const keys = i < withKeys ? [{ name: 'main', value: `sk-lean-${i}-0123456789abcdef` }] : undefined;
      desk.providers.insertNew({ name: nameOf(i), type: i % 2 ? 'groq' : 'openai', ...(keys ? { api_keys: keys } : {}) });
    }
  });
}

describe('provider-desk list over a large store', () => {
  let dir: ReturnType<typeof tempDir>;
  const args = (...rest: string[]) => [...rest, '--data-dir', dir.path];

  beforeAll(async () => {
    dir = tempDir('pd-lean-');
    const desk = openTestDesk({ dataDir: dir.path });
    // Inserted out of name order, so the listing has to sort.
    seed(desk, PROVIDERS);
    const fetchedAt = new Date().toISOString();
    const owner = desk.repo.findProvider(nameOf(0))!;
    desk.repo.transaction(() =>
      desk.repo.replaceModels(
        owner.id,
        Array.from({ length: MODELS }, (_, i) => ({
          provider_id: owner.id,
          model_id: `model-${String(i).padStart(5, '0')}`,
          key_id: null,
          display_name: `Model ${i}`,
          capabilities: '["chat"]',
          context_window: 128_000,
          owned_by: 'lean',
          fetched_at: fetchedAt,
        })),
      ),
    );
    // One model turned off by the user, one no longer listed by the provider.
    desk.repo.db.prepare("UPDATE models SET enabled = 0 WHERE model_id = 'model-00001'").run();
    desk.repo.db.prepare("UPDATE models SET gone_at = ? WHERE model_id = 'model-00002'").run(fetchedAt);
    await desk.close();
  }, 60_000);
  afterAll(() => dir.remove());

  it('prints every provider, past the old 10,000 cap, sorted by name; --limit prints only the first n', async () => {
    const run = await runCli(args('list'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+ENABLED\s+HEALTH\s+KEYS\s+BASE URL$/);
    const rows = lines.slice(2);
    expect(rows).toHaveLength(PROVIDERS);
    expect(rows.map((line) => line.split(/\s+/)[0])).toEqual(Array.from({ length: PROVIDERS }, (_, i) => nameOf(i)));
    expect(rows[0]).toMatch(/^lean-00000\s+openai\s+yes\s+untested\s+1\s+https:\/\/api\.openai\.com\/v1$/);
    expect(rows[PROVIDERS - 1]).toMatch(/^lean-11999\s+groq\s+yes\s+untested\s+0\s+https:\/\/api\.groq\.com\/openai\/v1$/);

    const limited = await runCli(args('list', '--limit', '5'));
    expect(limited.code).toBe(0);
    expect(
      limited.stdout
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual([0, 1, 2, 3, 4].map(nameOf));

    const searched = await runCli(args('list', '--search', 'LEAN-1199'));
    expect(searched.stdout.trimEnd().split('\n').slice(2)).toHaveLength(10);

    const bad = await runCli(args('list', '--limit', '0'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit must be a whole number of at least 1');
  });

  it('list --json is one valid JSON document holding every provider, as providers.list shapes them', async () => {
    const run = await runCli(args('list', '--json'));
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout) as { items: Array<{ name: string; api_keys: unknown[] }>; total: number; offset: number };
    expect(page.total).toBe(PROVIDERS);
    expect(page.offset).toBe(0);
    expect(page.items.map((p) => p.name)).toEqual(Array.from({ length: PROVIDERS }, (_, i) => nameOf(i)));
    expect(page.items[0]!.api_keys).toHaveLength(1);

    // Byte for byte what one providers.list page would print.
    const limited = await runCli(args('list', '--json', '--limit', '3'));
    const desk = openTestDesk({ dataDir: dir.path });
    try {
      const expected = await desk.dispatch('providers.list', { sort: 'name', order: 'asc', limit: 3 }, { transport: 'cli' });
      expect(expected.ok).toBe(true);
      if (expected.ok) expect(limited.stdout).toBe(`${JSON.stringify({ ...expected.data, limit: 3 }, null, 2)}\n`);
    } finally {
      await desk.close();
    }
  });

  it('ends quietly with exit code 0 when the reader stops early: list, list --json, models, export', async () => {
    for (const command of [['list'], ['list', '--json'], ['models', nameOf(0)], ['export']]) {
      const run = await runWithEarlyClose(args(...command));
      expect(run.received, command.join(' ')).toBeGreaterThan(0);
      expect(run.stderr, command.join(' ')).toBe('');
      expect({ command, code: run.code, signal: run.signal }).toEqual({ command, code: 0, signal: null });
    }
  });

  it('`list | head -1` in a shell pipeline prints the header and exits 0', async () => {
    const script = 'set -o pipefail; "$0" "$1" list --data-dir "$2" | head -1';
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', script, process.execPath, BIN, dir.path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^NAME\s+TYPE\s+ENABLED\s+HEALTH\s+KEYS\s+BASE URL\n$/);
    expect(run.code).toBe(0);
  });

  it('models prints every stored model', async () => {
    const run = await runCli(args('models', nameOf(0)));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(MODELS + 3);
    expect(lines[0]).toMatch(/^MODEL\s+CAPABILITIES\s+CONTEXT\s+OWNER\s+STATE$/);
    expect(lines[2]).toMatch(/^model-00000\s+chat\s+128000\s+lean\s+on$/);
    expect(lines[3]).toMatch(/^model-00001\s+chat\s+128000\s+lean\s+off$/);
    expect(lines[4]).toMatch(/^model-00002\s+chat\s+128000\s+lean\s+gone$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^${MODELS} models \\(${MODELS - 2} on\\), fetched `));
  });
});

describe('provider-desk list over an empty store', () => {
  it('says how to add providers, and prints an empty page as JSON', async () => {
    const dir = tempDir('pd-lean-empty-');
    try {
      const table = await runCli(['list', '--data-dir', dir.path]);
      expect(table.code).toBe(0);
      expect(table.stdout).toBe('No providers yet. Add one in the app, with the API, or with `provider-desk import config.json`.\n');
      const json = await runCli(['list', '--json', '--data-dir', dir.path]);
      expect(JSON.parse(json.stdout)).toEqual({ items: [], total: 0, limit: 0, offset: 0 });
    } finally {
      dir.remove();
    }
  });
});

describe('provider-desk list through the running app (keychain-only store)', () => {
  const PAGES_WORTH = 2_345;
  /** The app's OS keychain, standing in: the store has no keyfile slot, so the CLI cannot open it itself. */
  const keychain: KeyWrapper = {
    kind: 'os-keychain',
    description: 'test keychain',
    prepare() {},
    discard() {},
    wrap: (key) => Buffer.from(key),
    unwrap: (wrapped) => Buffer.from(wrapped),
  };
  let dir: ReturnType<typeof tempDir>;
  let app: TestServer;

  beforeAll(async () => {
    dir = tempDir('pd-lean-app-');
    app = await startTestServer({ dataDir: dir.path, wrappers: [keychain], keychainOnly: true });
    seed(app.desk, PAGES_WORTH);
    writeServerFile(dir.path, { url: app.url, port: app.server.port, pid: process.pid });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  it('pages through providers.list over the API: all of them, or --limit', async () => {
    const run = await runCli(['list', '--data-dir', dir.path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split('\n').slice(2);
    expect(rows.map((line) => line.split(/\s+/)[0])).toEqual(Array.from({ length: PAGES_WORTH }, (_, i) => nameOf(i)));
    expect(rows[0]).toMatch(/^lean-00000\s+openai\s+yes\s+untested\s+1\s/);

    const limited = await runCli(['list', '--limit', '1500', '--data-dir', dir.path]);
    expect(limited.stdout.trimEnd().split('\n').slice(2)).toHaveLength(1500);

    const json = await runCli(['list', '--json', '--data-dir', dir.path]);
    const page = JSON.parse(json.stdout) as { items: Array<{ name: string }>; total: number };
    expect(page.total).toBe(PAGES_WORTH);
    expect(page.items.map((p) => p.name)).toEqual(Array.from({ length: PAGES_WORTH }, (_, i) => nameOf(i)));
  });
});
