import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { openTestDesk, startTestServer, type TestServer } from '../helpers/desk.js';
import { openSse } from '../helpers/sse.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { registerEventsRoute } from '../../src-main/core/http/events-route.js';

const KEY = 'sk-events-secret-0123456789abcdef';
const SECOND_KEY = 'sk-events-second-9876543210fedcba';

let server: TestServer;
let fake: FakeProvider;

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeProvider('openai', { keys: [KEY, SECOND_KEY], delayMs: 300 });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

const auth = () => ({ authorization: `Bearer ${server.token}` });

describe('GET /api/v1/events (Server-Sent Events)', () => {
  it('refuses a stream without a token or with a wrong one (401), and serves it with one', async () => {
    const none = await fetch(`${server.url}/api/v1/events`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    const wrong = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    await wrong.body?.cancel();

    const stream = await openSse(`${server.url}/api/v1/events`, auth());
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-store');
    stream.close();
  });

  it('sends id, event and data lines for writes through the API, with ids and never a key value', async () => {
    const stream = await openSse(`${server.url}/api/v1/events`, auth());
    const created = await server.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'sse-one', type: 'openai', base_url: fake.baseUrl, api_keys: [{ name: 'main', value: KEY }] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const createdEvent = await stream.waitFor((m) => m.event === 'provider.created' && m.data.provider_id === id);
    expect(createdEvent.data).toEqual({ id: Number(createdEvent.id), type: 'provider.created', provider_id: id });

    const keyId = created.body.api_keys[0].id as string;
    await server.request(`/api/v1/providers/${id}/keys/${keyId}`, { method: 'PATCH', json: { value: SECOND_KEY } });
    await stream.waitFor((m) => m.event === 'key.changed' && m.data.provider_id === id && m.data.key_id === keyId);
    await server.request(`/api/v1/providers/${id}`, { method: 'PATCH', json: { description: 'changed' } });
    await stream.waitFor((m) => m.event === 'provider.updated' && m.data.provider_id === id);

    const tested = await server.request(`/api/v1/providers/${id}/test`, { method: 'POST', json: {} });
    expect(tested.body.ok).toBe(true);
    await stream.waitFor((m) => m.event === 'check.started' && m.data.provider_id === id);
    await stream.waitFor((m) => m.event === 'check.finished' && m.data.provider_id === id);
    await server.request(`/api/v1/providers/${id}`, { method: 'DELETE' });
    await stream.waitFor((m) => m.event === 'provider.deleted' && m.data.provider_id === id);

    const ids = stream.messages.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(stream.text()).not.toContain(KEY);
    expect(stream.text()).not.toContain(SECOND_KEY);
    expect(stream.text()).not.toContain(KEY.slice(-8));
    expect(stream.text()).not.toContain(SECOND_KEY.slice(-8));
    stream.close();
  });

  it('announces a write by another process on the same data dir (data_version) as store.changed', async () => {
    const stream = await openSse(`${server.url}/api/v1/events`, auth());
    // A second Desk on the same data dir is a second SQLite connection, as the CLI in another process would be.
    const other = openTestDesk({ dataDir: server.desk.options.dataDir });
    try {
      const started = Date.now();
      other.providers.create({ name: 'from-elsewhere', type: 'ollama' });
      await stream.waitFor((m) => m.event === 'store.changed', 2000);
      expect(Date.now() - started).toBeLessThan(2000);
      // Only the other connection's commit: this process's own writes are announced by the service, not as store.changed.
      const before = stream.messages.filter((m) => m.event === 'store.changed').length;
      await server.request('/api/v1/providers/from-elsewhere', { method: 'PATCH', json: { description: 'mine' } });
      await stream.waitFor((m) => m.event === 'provider.updated');
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(stream.messages.filter((m) => m.event === 'store.changed').length).toBe(before);
    } finally {
      await other.close();
      stream.close();
    }
  });

  it('coalesces a burst: many writes arrive in few deliveries, each change once', async () => {
    const stream = await openSse(`${server.url}/api/v1/events`, auth());
    const id = server.desk.providers.create({ name: 'burst', type: 'ollama' }).id;
    for (let i = 0; i < 200; i += 1) server.desk.providers.update(id, { description: `d${i}` });
    const updated = await stream.waitFor((m) => m.event === 'provider.updated' && m.data.provider_id === id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.messages.filter((m) => m.event === 'provider.updated' && m.data.provider_id === id)).toEqual([updated]);
    server.desk.providers.remove(id);
    stream.close();
  });

  it('ends open streams when the server closes, without holding close() up', async () => {
    const own = await startTestServer();
    const stream = await openSse(`${own.url}/api/v1/events`, { authorization: `Bearer ${own.token}` });
    expect(stream.status).toBe(200);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1500);
    await stream.ended;
    expect(own.desk.changes.subscriberCount).toBe(0);
  });

  it('ends the subscription when the client goes away', async () => {
    const stream = await openSse(`${server.url}/api/v1/events`, auth());
    expect(server.desk.changes.subscriberCount).toBe(1);
    stream.close();
    await expect.poll(() => server.desk.changes.subscriberCount).toBe(0);
  });

  it('answers HEAD at once with the stream headers, no body and no subscription left open', async () => {
    const res = await fetch(`${server.url}/api/v1/events`, { method: 'HEAD', headers: auth(), signal: AbortSignal.timeout(3000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toBe('');
    expect(server.desk.changes.subscriberCount).toBe(0);
  });

  it('ends open streams when the token is rotated (sessions of the old token are over)', async () => {
    const own = await startTestServer();
    try {
      const stream = await openSse(`${own.url}/api/v1/events`, { authorization: `Bearer ${own.token}` });
      own.desk.token.rotate();
      await stream.ended;
      expect(own.desk.changes.subscriberCount).toBe(0);
      const stale = await fetch(`${own.url}/api/v1/events`, { headers: { authorization: `Bearer ${own.token}` } });
      expect(stale.status).toBe(401);
      await stale.body?.cancel();
    } finally {
      await own.close();
    }
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const desk = openTestDesk();
    const app = Fastify();
    registerEventsRoute(app, desk, { heartbeatMs: 50 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    const stream = await openSse(`http://127.0.0.1:${address.port}/api/v1/events`);
    await expect.poll(() => stream.text().match(/: heartbeat\n\n/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    await app.close();
    await stream.ended;
    await desk.close();
  });

  it('is documented in the OpenAPI beside the contract operations', async () => {
    const doc = (await server.request('/api/v1/openapi.json')).body;
    const events = doc.paths['/api/v1/events'].get;
    expect(Object.keys(events.responses['200'].content)).toEqual(['text/event-stream']);
    expect(events.responses['401']).toBeDefined();
    expect(events.security).toBeUndefined(); // the document's default: bearer
    expect(doc.components.schemas.ChangeEvent.properties.type.enum).toContain('store.changed');
  });
});

describe('a test in flight belongs to the backend', () => {
  it('joins a second providers.test of the same provider: one probe upstream, the same result, listed as running', async () => {
    const created = server.desk.providers.create({
      name: 'joined',
      type: 'openai',
      base_url: fake.baseUrl,
      api_keys: [{ name: 'main', value: KEY }],
    });
    const probesBefore = fake.requests.length;
    const first = server.request('/api/v1/providers/joined/test', { method: 'POST', json: {} });
    await expect.poll(() => server.desk.health.running().length).toBe(1);
    const running = (await server.request('/api/v1/checks/running')).body;
    expect(running.running).toEqual([{ provider_id: created.id, key_id: null, started_at: expect.any(String) }]);
    const second = server.request('/api/v1/providers/joined/test', { method: 'POST', json: {} });
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(fake.requests.length - probesBefore).toBe(1);
    expect((await server.request('/api/v1/checks/running')).body).toEqual({ running: [] });
  });

  it('runs a different test of the same provider after the running one, never alongside it', async () => {
    const created = server.desk.providers.get('joined');
    const keyId = created.api_keys[0]!.id;
    const probesBefore = fake.requests.length;
    const started = Date.now();
    // The fake answers after 300 ms: two probes one after the other take twice that.
    const [w, s] = await Promise.all([server.desk.health.test('joined'), server.desk.health.test('joined', { keyId })]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(w.ok).toBe(true);
    expect(s.results.map((r) => r.key_id)).toEqual([keyId]);
    expect(fake.requests.length - probesBefore).toBe(2);
  });
});
