// Test-all's checks are tests in flight like single ones: a providers.test of a provider that test-all is checking
// joins that check (one probe upstream), checks.running lists it (an open detail shows Testing…), and test-all joins a
// single test already running instead of probing a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const KEYS = ['sk-inflight-a-0123456789', 'sk-inflight-b-0123456789', 'sk-inflight-c-0123456789', 'sk-inflight-d-0123456789'];

let fake: FakeProvider;
let server: TestServer;

beforeAll(async () => {
  // Slow enough that a second request reliably arrives while the first probe is still out.
  fake = await startFakeProvider('openai', { keys: KEYS, delayMs: 400 });
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

/** Requests the fake received with this key: each provider has its own key, so this counts probes of one provider. */
const probesWith = (key: string) => fake.requests.filter((r) => r.headers.authorization === `Bearer ${key}`).length;

function create(name: string, key: string): string {
  return server.desk.providers.create({ name, type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: key }] }).id;
}

async function running(): Promise<Array<{ provider_id: string; key_id: string | null }>> {
  const answer = await server.request('/api/v1/checks/running');
  expect(answer.status).toBe(200);
  return answer.body.running;
}

/** A streamed test-all over HTTP; resolves with the NDJSON lines once the stream ends. */
function streamTestAll(body: object): Promise<Array<Record<string, any>>> {
  return fetch(`${server.url}/api/v1/test-all`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => {
    expect(response.status).toBe(200);
    return (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
  });
}

describe("test-all's checks in the in-flight registry", () => {
  it('a providers.test of a provider test-all is checking joins that check: one probe, listed as running, the same verdict', async () => {
    const a = create('inflight-a', KEYS[0]!);
    create('inflight-b', KEYS[1]!);
    const stream = streamTestAll({ only: ['inflight-a', 'inflight-b'], concurrency: 2 });
    await expect.poll(async () => (await running()).map((r) => r.provider_id), { timeout: 5000, interval: 20 }).toContain(a);
    expect((await running()).find((r) => r.provider_id === a)).toEqual({ provider_id: a, key_id: null, started_at: expect.any(String) });

    const single = await server.request('/api/v1/providers/inflight-a/test', { method: 'POST', json: {} });
    const lines = await stream;

    expect(single.status).toBe(200);
    expect(single.body.ok).toBe(true);
    expect(probesWith(KEYS[0]!)).toBe(1);
    expect(probesWith(KEYS[1]!)).toBe(1);
    const summary = lines.find((line) => line.type === 'result')?.result;
    expect(summary).toMatchObject({ total: 2, passed: 2, not_tested: 0 });
    const inRun = summary.providers.find((p: { id: string }) => p.id === a);
    expect(single.body.results).toEqual(inRun.results);
    expect(await running()).toEqual([]);
  });

  it('test-all joins a single test already running instead of probing the provider again', async () => {
    const c = create('inflight-c', KEYS[2]!);
    const single = server.desk.health.test('inflight-c');
    await expect.poll(() => server.desk.health.running().map((r) => r.provider_id), { timeout: 5000, interval: 20 }).toContain(c);
    const summary = await server.desk.health.testAll({ only: ['inflight-c'] });
    const verdict = await single;
    expect(probesWith(KEYS[2]!)).toBe(1);
    expect(summary).toMatchObject({ total: 1, passed: 1 });
    expect(summary.providers[0]!.results).toEqual(verdict.results);
  });

  it('a test that joined a check of a cancelled test-all gets a verdict of its own, not the cancellation', async () => {
    const d = create('inflight-d', KEYS[3]!);
    const run = server.desk.health.testAll({ only: ['inflight-d'], run_id: 'cancelled-run' });
    await expect.poll(() => probesWith(KEYS[3]!), { timeout: 5000, interval: 10 }).toBe(1);
    expect(server.desk.health.running().map((r) => r.provider_id)).toEqual([d]);
    const joined = server.desk.health.test('inflight-d');
    expect(server.desk.health.cancelTestAll('cancelled-run')).toEqual({ cancelled: ['cancelled-run'] });

    expect(await run).toMatchObject({ cancelled: true, total: 1, not_tested: 1, providers: [] });
    const verdict = await joined;
    expect(verdict.ok).toBe(true);
    // The cancelled check's probe, then the joined test's own.
    expect(probesWith(KEYS[3]!)).toBe(2);
    expect(server.desk.providers.get('inflight-d').health).toBe('ok');
  });
});
