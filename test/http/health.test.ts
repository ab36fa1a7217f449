import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { startRateLimitedOpenAi, type RateLimitedOpenAi } from '../fakes/openai-rate-limits.js';
import { runCli } from '../helpers/cli.js';

const GOOD = 'sk-http-health-good-0123456789';
const BAD = 'sk-http-health-bad-9876543210';
const LIMITED = 'sk-http-health-limited-0123456789';

let t: TestServer;
let openai: FakeProvider;
let limited: RateLimitedOpenAi;
/** A loopback port nothing listens on: connecting is refused at once. */
let closedPort: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function create(body: Record<string, unknown>) {
  const res = await t.request('/api/v1/providers', { method: 'POST', json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const get = async (name: string) => (await t.request(`/api/v1/providers/${name}`)).body;
const namesWith = async (health: string) =>
  ((await t.request(`/api/v1/providers?health=${health}&sort=name&order=asc`)).body.items as Array<{ name: string }>).map((p) => p.name);

beforeAll(async () => {
  t = await startTestServer();
  openai = await startFakeProvider('openai', { keys: [GOOD] });
  limited = await startRateLimitedOpenAi({ key: LIMITED, limits: { requests: [500, 499, '120ms'], tokens: [30000, 29950, '6m0s'] } });
  closedPort = await freePort();
  await create({ name: 'fine', type: 'openai', base_url: openai.baseUrl, api_keys: [{ name: 'main', value: GOOD }] });
  await create({
    name: 'mixed',
    type: 'openai',
    base_url: openai.baseUrl,
    api_keys: [
      { name: 'good', value: GOOD },
      { name: 'bad', value: BAD },
    ],
  });
  await create({ name: 'rejected', type: 'openai', base_url: openai.baseUrl, api_keys: [{ name: 'main', value: BAD }] });
  await create({
    name: 'unreachable',
    type: 'openai',
    base_url: `http://127.0.0.1:${closedPort}/v1`,
    api_keys: [{ name: 'main', value: GOOD }],
  });
});

afterAll(async () => {
  await t.close();
  await openai.close();
  await limited.close();
});

describe('one health vocabulary everywhere', () => {
  it('counts every health word in the test-all summary, so offline providers are never missed', async () => {
    const response = await fetch(`${t.url}/api/v1/test-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ concurrency: 4 }),
    });
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const progress = Object.fromEntries(lines.filter((l) => l.type === 'progress').map((l) => [l.provider.name, l.health]));
    expect(progress).toEqual({ fine: 'ok', mixed: 'degraded', rejected: 'error', unreachable: 'offline' });
    const summary = lines.at(-1).result;
    expect(summary).toMatchObject({
      total: 4,
      passed: 1,
      failed: 3,
      by_health: { ok: 1, degraded: 1, error: 1, offline: 1, untested: 0 },
    });
    expect(Object.fromEntries(summary.providers.map((p: { name: string; health: string }) => [p.name, p.health]))).toEqual(progress);
  });

  it('shows the 401 provider as error and the unreachable one as offline in the native API and its filter', async () => {
    expect(await get('rejected')).toMatchObject({
      health: 'error',
      last_check: { error_class: 'auth_failed' },
      api_keys: [{ health: 'error' }],
    });
    expect(await get('unreachable')).toMatchObject({
      health: 'offline',
      last_check: { error_class: 'connection_refused' },
      api_keys: [{ health: 'offline' }],
    });
    expect((await get('mixed')).api_keys.map((k: { health: string }) => k.health)).toEqual(['ok', 'error']);
    expect(await namesWith('error')).toEqual(['rejected']);
    expect(await namesWith('offline')).toEqual(['unreachable']);
    expect(await namesWith('degraded')).toEqual(['mixed']);
    expect(await namesWith('ok')).toEqual(['fine']);
    // Every provider is counted under exactly one word.
    const sum = await Promise.all(['ok', 'degraded', 'error', 'offline', 'untested'].map(namesWith));
    expect(sum.flat().sort()).toEqual(['fine', 'mixed', 'rejected', 'unreachable']);
  });

  it('refuses the old filter words with a 400 that names the field', async () => {
    const res = await t.request('/api/v1/providers?health=online');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['health']);
  });

  it('shows the same words in `provider-desk list`, as a table and as JSON', async () => {
    const dataDir = t.desk.options.dataDir;
    const table = await runCli(['list', '--data-dir', dataDir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^rejected\s+openai\s+yes\s+error\s+1\s/m);
    expect(table.stdout).toMatch(/^unreachable\s+openai\s+yes\s+offline\s+1\s/m);
    expect(table.stdout).toMatch(/^mixed\s+openai\s+yes\s+degraded\s+2\s/m);
    expect(table.stdout).toMatch(/^fine\s+openai\s+yes\s+ok\s+1\s/m);
    const json = await runCli(['list', '--json', '--data-dir', dataDir]);
    const items = JSON.parse(json.stdout).items as Array<{ name: string; health: string }>;
    expect(Object.fromEntries(items.map((p) => [p.name, p.health]))).toEqual({
      fine: 'ok',
      mixed: 'degraded',
      rejected: 'error',
      unreachable: 'offline',
    });
  });

  it('maps health onto Agent Stack state: online while a key works, offline when none does', async () => {
    const items = (await t.request('/api/v1/model_providers')).body.items as Array<{ id: string; state: string }>;
    const byId = new Map(items.map((p) => [p.id, p.state]));
    expect(byId.get((await get('mixed')).id)).toBe('online');
    expect(byId.get((await get('rejected')).id)).toBe('offline');
    expect(byId.get((await get('unreachable')).id)).toBe('offline');
  });

  it('clears verdicts over the API when a key is removed or disabled, or the base URL changes', async () => {
    const mixed = await get('mixed');
    const bad = mixed.api_keys.find((k: { name: string }) => k.name === 'bad');
    const disabled = await t.request(`/api/v1/providers/mixed/keys/${bad.id}`, { method: 'PATCH', json: { enabled: false } });
    expect(disabled.body).toMatchObject({ health: 'untested', last_check: null });
    expect((await get('mixed')).health).toBe('ok');
    await t.request(`/api/v1/providers/rejected/keys/main`, { method: 'DELETE' });
    expect(await get('rejected')).toMatchObject({ health: 'untested', last_check: null });
    await t.request('/api/v1/providers/unreachable', { method: 'PATCH', json: { base_url: openai.baseUrl } });
    expect(await get('unreachable')).toMatchObject({ health: 'untested', api_keys: [{ health: 'untested' }] });
  });
});

describe('headroom', () => {
  it("stores the check's rate-limit headroom with the key's verdict and returns it in the API and the CLI", async () => {
    await create({ name: 'limited', type: 'openai', base_url: limited.baseUrl, api_keys: [{ name: 'main', value: LIMITED }] });
    const tested = await t.request('/api/v1/providers/limited/test', { method: 'POST', json: {} });
    expect(tested.body).toMatchObject({ ok: true, health: 'ok' });
    const expected = { requests_limit: 500, requests_remaining: 499, tokens_limit: 30000, tokens_remaining: 29950 };
    const [key] = (await get('limited')).api_keys;
    expect(key.last_check.headroom).toMatchObject(expected);
    expect(key.headroom).toEqual(key.last_check.headroom);
    expect(Date.parse(key.headroom.tokens_reset_at) - Date.parse(key.last_check.checked_at)).toBeGreaterThan(5 * 60_000);
    const history = (await t.request('/api/v1/providers/limited/checks')).body.checks;
    expect(history[0].headroom).toMatchObject(expected);

    const cli = await runCli(['test', 'limited', '--data-dir', t.desk.options.dataDir]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^KEY\s+RESULT\s+HEADROOM\s+DETAILS/m);
    expect(cli.stdout).toMatch(/main\s+ok \d+ ms\s+requests 499\/500 \(reset [^)]+\) · tokens 29,950\/30,000 \(reset /);
    expect(cli.stdout).toMatch(/^limited: ok$/m);
  });
});
