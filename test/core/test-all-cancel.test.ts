// Test all that respects your time: a run can be cancelled (by id, or by closing its stream), one slow provider cannot
// hold it past the time cap, failures are counted by cause, and "retest failed" reruns exactly the failed providers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Desk } from '../../src-main/core/desk.js';
import type { TestAllProgress } from '../../src-main/core/contract/operations.js';
import { openTestDesk, startTestServer, type TestServer } from '../helpers/desk.js';
import { createHttpServer, type TestServer as Upstream } from '../fakes/http-server.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const KEY = 'sk-testall-good-0123456789';

/**
 * An OpenAI-style upstream that can be switched to hang: in `hang` mode it takes each request and never answers,
 * recording when the client gives up on it (the connection closes), so tests see that requests were really aborted.
 */
interface SlowUpstream extends Upstream {
  mode: 'ok' | 'hang';
  seen: number;
  /** Requests still held open (not yet given up by the client). */
  open: Set<ServerResponse>;
  /** Requests the client closed while they hung. */
  abandoned: number;
}

async function startSlowUpstream(): Promise<SlowUpstream> {
  const state = { mode: 'hang' as 'ok' | 'hang', seen: 0, open: new Set<ServerResponse>(), abandoned: 0 };
  const server = await createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    state.seen += 1;
    if (state.mode === 'ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'slow-model', object: 'model', owned_by: 'slow' }] }));
      return;
    }
    state.open.add(res);
    res.on('close', () => {
      if (state.open.delete(res)) state.abandoned += 1;
    });
  });
  return Object.assign(state, server, {
    close: async () => {
      for (const res of state.open) res.destroy();
      await server.close();
    },
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let good: FakeProvider;
let slow: SlowUpstream;
let desk: Desk | undefined;
let server: TestServer | undefined;

beforeAll(async () => {
  good = await startFakeProvider('openai', { keys: [KEY] });
});
afterAll(async () => {
  await good.close();
});
afterEach(async () => {
  await server?.close();
  await desk?.close();
  await slow?.close();
  server = undefined;
  desk = undefined;
});

function create(target: Desk, name: string, baseUrl: string, key = KEY): string {
  return target.providers.create({ name, type: 'openai', base_url: baseUrl, api_keys: [{ name: 'main', value: key }] }).id;
}

/** A loopback port nothing listens on: a provider there is refused at once. */
async function closedPortUrl(): Promise<string> {
  const gone = await createHttpServer(() => undefined);
  await gone.close();
  return `${gone.url}/v1`;
}

describe('cancelling a test-all', () => {
  it('answers within moments with what it finished, aborts the requests in flight and leaves the rest as they were', async () => {
    slow = await startSlowUpstream();
    desk = openTestDesk();
    const d = desk;
    for (let i = 0; i < 6; i++) create(d, `slow-${i}`, `${slow.url}/v1`);
    create(d, 'quick', good.baseUrl);
    // Every slow provider works before this run: a cancelled run must not turn them into failures.
    slow.mode = 'ok';
    expect(await d.health.testAll({})).toMatchObject({ passed: 7, failed: 0, cancelled: false, not_tested: 0 });
    slow.mode = 'hang';
    slow.seen = 0;

    const progress: TestAllProgress[] = [];
    const running = d.health.testAll({ concurrency: 3, run_id: 'run-1', only: undefined }, (p) => progress.push(p));
    // Every slot is held by a slow provider (none still on its way): what the upstream sees from now on was started later.
    await waitFor(() => slow.open.size === 3);
    const seenAtCancel = slow.seen;
    const cancelledAt = Date.now();
    expect(d.health.cancelTestAll('run-1')).toEqual({ cancelled: ['run-1'] });
    const summary = await running;
    expect(Date.now() - cancelledAt).toBeLessThan(1000);

    expect(summary).toMatchObject({ run_id: 'run-1', cancelled: true, total: 7, failed: 0 });
    expect(summary.passed + summary.not_tested).toBe(7);
    expect(summary.not_tested).toBeGreaterThanOrEqual(6);
    expect(summary.by_cause).toEqual({});
    // The upstream saw its requests given up, and no new one started after the cancel.
    await waitFor(() => slow.open.size === 0);
    expect(slow.abandoned).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slow.seen).toBe(seenAtCancel);
    expect(progress.every((p) => p.run_id === 'run-1' && p.ok)).toBe(true);
    for (let i = 0; i < 6; i++) {
      expect(d.providers.get(`slow-${i}`)).toMatchObject({ health: 'ok', api_keys: [{ health: 'ok' }] });
    }
    // Nothing runs any more under that name.
    expect(d.health.cancelTestAll('run-1')).toEqual({ cancelled: [] });
  });

  it('refuses a second run under a name that is running, and cancels every run when no name is given', async () => {
    slow = await startSlowUpstream();
    desk = openTestDesk();
    const d = desk;
    create(d, 'slow-a', `${slow.url}/v1`);
    const first = d.health.testAll({ run_id: 'same' });
    await waitFor(() => slow.open.size === 1);
    await expect(d.health.testAll({ run_id: 'same' })).rejects.toMatchObject({ code: 'conflict' });
    const second = d.health.testAll({ run_id: 'other' });
    // The second run joins the first one's check of slow-a instead of probing it again: one test in flight per provider.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slow.seen).toBe(1);
    expect(d.health.running()).toHaveLength(1);
    expect(d.health.cancelTestAll().cancelled.sort()).toEqual(['other', 'same']);
    expect(await first).toMatchObject({ cancelled: true, not_tested: 1 });
    expect(await second).toMatchObject({ cancelled: true, not_tested: 1 });
  });
});

describe('the time cap of one provider', () => {
  it('counts a provider slower than the cap as timed out (offline) without waiting for it, and aborts its request', async () => {
    slow = await startSlowUpstream();
    desk = openTestDesk();
    const d = desk;
    create(d, 'stuck', `${slow.url}/v1`);
    for (let i = 0; i < 3; i++) create(d, `fine-${i}`, good.baseUrl);
    const started = Date.now();
    const summary = await d.health.testAll({ timeout_ms: 1000 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(3000);
    expect(summary).toMatchObject({ cancelled: false, total: 4, passed: 3, failed: 1, not_tested: 0, timeout_ms: 1000 });
    expect(summary.by_cause).toEqual({ timeout: 1 });
    const stuck = summary.providers.find((p) => p.name === 'stuck');
    expect(stuck).toMatchObject({ ok: false, health: 'offline', cause: 'timeout' });
    expect(stuck?.results[0]).toMatchObject({ ok: false, error_class: 'timeout' });
    expect(stuck?.results[0]?.message).toMatch(/no answer within 1 s/);
    expect(d.providers.get('stuck')).toMatchObject({ health: 'offline', api_keys: [{ health: 'offline' }] });
    await waitFor(() => slow.open.size === 0);
    expect(slow.abandoned).toBe(1);
  });

  it('takes the cap from the preferences when the call names none', async () => {
    slow = await startSlowUpstream();
    server = await startTestServer();
    create(server.desk, 'stuck', `${slow.url}/v1`);
    const changed = await server.request('/api/v1/preferences', { method: 'PATCH', json: { testTimeoutSeconds: 1 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ testTimeoutSeconds: 1 });
    const rejected = await server.request('/api/v1/preferences', { method: 'PATCH', json: { testTimeoutSeconds: 0 } });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.fields[0].path).toBe('testTimeoutSeconds');
    const result = await server.desk.dispatch('providers.testAll', {}, { transport: 'http' });
    expect(result).toMatchObject({ ok: true, data: { timeout_ms: 1000, failed: 1, by_cause: { timeout: 1 } } });
  });
});

describe('failures by cause, and retesting the failed', () => {
  it('counts failed providers under the error class of their first failing check, and reruns only those', async () => {
    slow = await startSlowUpstream();
    desk = openTestDesk();
    const d = desk;
    create(d, 'ok-1', good.baseUrl);
    create(d, 'ok-2', good.baseUrl);
    create(d, 'bad-key-1', good.baseUrl, 'sk-wrong-key-000000000001');
    create(d, 'bad-key-2', good.baseUrl, 'sk-wrong-key-000000000002');
    create(d, 'refused', await closedPortUrl());
    create(d, 'stuck', `${slow.url}/v1`);
    const summary = await d.health.testAll({ timeout_ms: 1000 });
    expect(summary).toMatchObject({ total: 6, passed: 2, failed: 4 });
    expect(summary.by_cause).toEqual({ auth_failed: 2, connection_refused: 1, timeout: 1 });
    const failed = summary.providers.filter((p) => !p.ok);
    expect(Object.fromEntries(failed.map((p) => [p.name, p.cause]))).toEqual({
      'bad-key-1': 'auth_failed',
      'bad-key-2': 'auth_failed',
      refused: 'connection_refused',
      stuck: 'timeout',
    });
    expect(summary.providers.filter((p) => p.ok).every((p) => p.cause === null)).toBe(true);

    // Retest failed: the stuck one recovered meanwhile; the others were not tested again.
    slow.mode = 'ok';
    const requestsBefore = good.requests.length;
    const retest = await d.health.testAll({ only: failed.map((p) => p.id), timeout_ms: 1000 });
    expect(retest.providers.map((p) => p.name).sort()).toEqual(['bad-key-1', 'bad-key-2', 'refused', 'stuck']);
    expect(retest).toMatchObject({ total: 4, passed: 1, failed: 3, by_cause: { auth_failed: 2, connection_refused: 1 } });
    // Only the two bad keys reached the good fake again: ok-1 and ok-2 were not retested.
    const again = good.requests.slice(requestsBefore).map((r) => r.headers.authorization);
    expect(again.sort()).toEqual(['Bearer sk-wrong-key-000000000001', 'Bearer sk-wrong-key-000000000002']);
    expect(d.providers.get('stuck').health).toBe('ok');
  });
});

describe('which providers a run covers', () => {
  it('every enabled provider, in name order; `only` picks by name or id; a disabled one is never tested', async () => {
    desk = openTestDesk();
    const d = desk;
    create(d, 'b-second', good.baseUrl);
    const offId = create(d, 'a-off', good.baseUrl, 'sk-testall-off-000000000001');
    d.providers.update('a-off', { enabled: false });
    const cId = create(d, 'c-third', good.baseUrl);
    create(d, 'a-first', good.baseUrl);
    const requestsBefore = good.requests.length;

    const all = await d.health.testAll({ concurrency: 1 });
    expect(all.providers.map((p) => p.name)).toEqual(['a-first', 'b-second', 'c-third']);
    expect(all).toMatchObject({ total: 3, passed: 3 });
    const keysSent = good.requests.slice(requestsBefore).map((r) => r.headers.authorization);
    expect(keysSent).not.toContain('Bearer sk-testall-off-000000000001');
    expect(d.providers.get('a-off').health).toBe('untested');

    const some = await d.health.testAll({ only: ['b-second', cId, offId] });
    expect(some.providers.map((p) => p.name)).toEqual(['b-second', 'c-third']);
    expect(some.total).toBe(2);
  });
});

describe('test-all over HTTP', () => {
  /** Starts a streamed test-all and resolves once the upstream holds `open` requests, with the pending response. */
  async function startStream(body: unknown, open: number, abort?: AbortController): Promise<{ response: Promise<Response> }> {
    const response = fetch(`${server!.url}/api/v1/test-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(abort ? { signal: abort.signal } : {}),
    });
    response.catch(() => undefined);
    await waitFor(() => slow.open.size >= open);
    return { response };
  }

  it('POST /api/v1/test-all/cancel ends the stream with a cancelled summary', async () => {
    slow = await startSlowUpstream();
    server = await startTestServer();
    for (let i = 0; i < 4; i++) create(server.desk, `slow-${i}`, `${slow.url}/v1`);
    const { response } = await startStream({ run_id: 'http-run', concurrency: 2 }, 2);
    const cancel = await server.request('/api/v1/test-all/cancel', { method: 'POST', json: { run_id: 'http-run' } });
    expect(cancel).toMatchObject({ status: 200, body: { cancelled: ['http-run'] } });
    const answer = await response;
    expect(answer.status).toBe(200);
    const lines = (await answer.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; result?: Record<string, unknown> });
    expect(lines.at(-1)).toMatchObject({ type: 'result', result: { run_id: 'http-run', cancelled: true, total: 4, not_tested: 4 } });
    const invalid = await server.request('/api/v1/test-all/cancel', { method: 'POST', json: { run_id: 'no spaces allowed' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields[0].path).toBe('run_id');
  });

  it('cancels the run when the client closes the stream, aborting the upstream requests', async () => {
    slow = await startSlowUpstream();
    server = await startTestServer();
    for (let i = 0; i < 4; i++) create(server.desk, `slow-${i}`, `${slow.url}/v1`);
    const abort = new AbortController();
    await startStream({ run_id: 'gone', concurrency: 2 }, 2, abort);
    abort.abort();
    await waitFor(() => slow.open.size === 0, 2000);
    expect(slow.abandoned).toBe(2);
    // The run is over: nothing by that name is left to cancel, and the providers were not marked failed.
    await waitFor(() => server!.desk.health.cancelTestAll('gone').cancelled.length === 0);
    expect(server.desk.providers.get('slow-0').health).toBe('untested');
  });
});
