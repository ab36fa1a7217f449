import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider } from '../fakes/providers.js';
import { runCli } from '../helpers/cli.js';

type Fake = Awaited<ReturnType<typeof startFakeProvider>>;
let t: TestServer;
let openai: Fake;
let anthropic: Fake;
let ollama: Fake;

beforeAll(async () => {
  t = await startTestServer();
  openai = await startFakeProvider('openai', { keys: ['sk-good-key-1234567890'] });
  anthropic = await startFakeProvider('anthropic', { keys: ['sk-ant-good-1234567890'], pageSize: 2 });
  ollama = await startFakeProvider('ollama');
});
afterAll(async () => {
  await t.close();
  await Promise.all([openai.close(), anthropic.close(), ollama.close()]);
});

async function create(body: Record<string, unknown>) {
  const res = await t.request('/api/v1/providers', { method: 'POST', json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('test, models and test-all routes', () => {
  it('tests each enabled key, stores per-key verdicts and the provider health, and the models', async () => {
    await create({
      name: 'oa',
      type: 'openai',
      base_url: openai.baseUrl,
      api_keys: [
        { name: 'good', value: 'sk-good-key-1234567890' },
        { name: 'bad', value: 'sk-bad-key-0987654321' },
        { name: 'off', value: 'sk-disabled-key-000000', enabled: false },
      ],
    });
    const res = await t.request('/api/v1/providers/oa/test', { method: 'POST', json: {} });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.results).toHaveLength(2);
    const [good, bad] = res.body.results;
    expect(good).toMatchObject({ ok: true, http_status: 200, error_class: null });
    expect(bad).toMatchObject({ ok: false, http_status: 401, error_class: 'auth_failed' });
    expect(res.text).not.toContain('sk-bad-key-0987654321');

    const provider = (await t.request('/api/v1/providers/oa')).body;
    expect(provider).toMatchObject({ status: 'error', state: 'online' });
    expect(provider.api_keys.map((k: { status: string }) => k.status)).toEqual(['ok', 'error', 'untested']);
    expect(provider.models_count).toBeGreaterThan(0);
    const history = await t.request('/api/v1/providers/oa/checks');
    expect(history.body.checks).toHaveLength(2);
  });

  it('follows pagination to the end and reports models with capabilities', async () => {
    await create({ name: 'claude', type: 'anthropic', base_url: anthropic.baseUrl, api_keys: [{ value: 'sk-ant-good-1234567890' }] });
    const res = await t.request('/api/v1/providers/claude/models');
    expect(res.status).toBe(200);
    expect(res.body.fetched_at).toEqual(expect.any(String));
    const listCalls = anthropic.requests.filter((r) => r.path.endsWith('/v1/models'));
    expect(listCalls.length).toBeGreaterThan(1);
    expect(res.body.models.length).toBeGreaterThan(2);
    expect(res.body.models[0]).toMatchObject({ id: expect.any(String), capabilities: expect.arrayContaining(['chat']) });
    const refreshed = await t.request('/api/v1/providers/claude/models/refresh', { method: 'POST', json: {} });
    expect(refreshed.body.models.map((m: { id: string }) => m.id)).toEqual(res.body.models.map((m: { id: string }) => m.id));
  });

  it('answers 502 with the check result when the listing fails, never an empty list', async () => {
    await create({ name: 'broken', type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: 'sk-wrong-wrong-wrong' }] });
    const res = await t.request('/api/v1/providers/broken/models');
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'upstream_failed', details: { error_class: 'auth_failed', http_status: 401 } });
    expect(res.body.models).toBeUndefined();
  });

  it('tests a keyless local provider once, and a key-needing provider without keys as missing credentials', async () => {
    await create({ name: 'local', type: 'ollama', base_url: ollama.baseUrl });
    const local = await t.request('/api/v1/providers/local/test', { method: 'POST', json: {} });
    expect(local.body).toMatchObject({ ok: true, results: [{ key_id: null, ok: true }] });
    await create({ name: 'nokey', type: 'openai', base_url: openai.baseUrl });
    const nokey = await t.request('/api/v1/providers/nokey/test', { method: 'POST', json: {} });
    expect(nokey.body).toMatchObject({ ok: false, results: [{ error_class: 'missing_credentials' }] });
  });

  it('reports an unset env.VAR key as missing_env naming the variable, not a crash', async () => {
    await create({ name: 'envkey', type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: 'env.PD_TEST_UNSET_VARIABLE' }] });
    const res = await t.request('/api/v1/providers/envkey/test', { method: 'POST', json: {} });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ ok: false, error_class: 'missing_env' });
    expect(res.body.results[0].message).toMatch(/PD_TEST_UNSET_VARIABLE/);
  });

  it('resolves env.VAR in plain key-config fields at use (Bifrost files write endpoints that way)', async () => {
    const azure = await startFakeProvider('azure', { keys: ['azure-good-key-0123456789abcdef'] });
    process.env.PD_TEST_AZURE_ENDPOINT = azure.baseUrl;
    try {
      await create({
        name: 'az',
        type: 'azure',
        base_url: 'http://127.0.0.1:1',
        enabled: false,
        api_keys: [
          { value: 'azure-good-key-0123456789abcdef', key_config: { azure_key_config: { endpoint: 'env.PD_TEST_AZURE_ENDPOINT' } } },
        ],
      });
      const res = await t.request('/api/v1/providers/az/test', { method: 'POST', json: {} });
      expect(res.body.results[0], JSON.stringify(res.body)).toMatchObject({ ok: true });
      expect(azure.requests.length).toBeGreaterThan(0);
      const stored = (await t.request('/api/v1/providers/az')).body.api_keys[0].key_config;
      expect(stored.azure_key_config.endpoint).toBe('env.PD_TEST_AZURE_ENDPOINT');
    } finally {
      delete process.env.PD_TEST_AZURE_ENDPOINT;
      await azure.close();
    }
  });

  it('streams test-all progress as NDJSON lines, then the summary', async () => {
    const response = await fetch(`${t.url}/api/v1/test-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ concurrency: 2 }),
    });
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const progress = lines.filter((l) => l.type === 'progress');
    const enabled = (await t.request('/api/v1/providers?limit=1000')).body.items.filter((p: { enabled: boolean }) => p.enabled);
    expect(progress).toHaveLength(enabled.length);
    expect(progress.map((p) => p.done)).toEqual(enabled.map((_: unknown, i: number) => i + 1));
    const result = lines.at(-1);
    expect(result.type).toBe('result');
    expect(result.result.total).toBe(enabled.length);
    expect(result.result.passed + result.result.failed).toBe(enabled.length);
  });

  it('streams test-all as Server-Sent Events when asked', async () => {
    const response = await fetch(`${t.url}/api/v1/test-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ only: ['local'] }),
    });
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(text).toMatch(/^event: progress\ndata: \{.*"name":"local"/m);
    expect(text).toMatch(/event: result\ndata: \{"result":\{"run_id":"[^"]+","total":1,"passed":1/);
  });

  it('the CLI prints readable results and exits non-zero on a failing check', async () => {
    const dataDir = t.desk.options.dataDir;
    const ok = await runCli(['test', 'local', '--data-dir', dataDir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/\(keyless\)\s+ok \d+ ms/);
    const failing = await runCli(['test', 'oa', '--data-dir', dataDir]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/bad\s+error auth_failed \(401\)/);
    expect(failing.stdout).toMatch(/^oa: degraded$/m);
    expect(failing.stdout).not.toContain('sk-bad-key-0987654321');
    const models = await runCli(['models', 'claude', '--data-dir', dataDir]);
    expect(models.code).toBe(0);
    expect(models.stdout).toMatch(/claude-/);
    const all = await runCli(['test', '--all', '--data-dir', dataDir]);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/\[\d+\/\d+\] /);
    expect(all.stdout).toMatch(/\d+ passed, \d+ failed of \d+ providers/);
  });
});
