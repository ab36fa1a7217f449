import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../src-renderer/src/client/desk-client.js';
import { DeskClientError } from '../../src-renderer/src/client/desk-client.js';
import { buildRequest } from '../../src-renderer/src/client/http-transport.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { bearerEventSource, cookieFetch, httpClient, ipcClient } from './clients.js';

let server: TestServer;
let fake: FakeProvider;

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeProvider('openai', { keys: ['sk-good-0123456789'] });
  for (let i = 0; i < 3; i += 1) {
    server.desk.providers.create({
      name: `fake-${i}`,
      type: 'openai',
      base_url: fake.baseUrl,
      api_keys: [{ name: 'k', value: i === 2 ? 'sk-bad-0000000000' : 'sk-good-0123456789' }],
    });
  }
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

describe('buildRequest', () => {
  it('fills path parameters and sends the rest as query for GET and body for PATCH', () => {
    expect(buildRequest('providers.list', { search: 'a b', type: ['openai', 'groq'], limit: 5 })).toMatchObject({
      method: 'GET',
      path: '/api/v1/providers',
    });
    expect(buildRequest('providers.list', { type: ['openai', 'groq'] }).query.get('type')).toBe('openai,groq');
    const patch = buildRequest('providers.update', { idOrName: 'my provider', revision: 3, display_name: 'X' });
    expect(patch).toMatchObject({ method: 'PATCH', path: '/api/v1/providers/my%20provider', body: { revision: 3, display_name: 'X' } });
  });
});

describe('httpTransport', () => {
  it('calls operations over the native API and returns typed data', async () => {
    const client = httpClient(server);
    const page = await client.call('providers.list', { sort: 'name', order: 'asc', limit: 2 });
    expect(page.total).toBe(3);
    expect(page.items.map((p) => p.name)).toEqual(['fake-0', 'fake-1']);
  });

  it('turns an error body into a DeskClientError with the fields at fault', async () => {
    const client = httpClient(server);
    const error = await client
      .call('providers.create', { name: 'Bad Name', type: 'openai', base_url: 'not a url' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeskClientError);
    expect((error as DeskClientError).code).toBe('validation_failed');
    expect((error as DeskClientError).fieldMessage('name')).toMatch(/lowercase/);
    expect((error as DeskClientError).fieldMessage('base_url')).toMatch(/URL/);
  });

  it('reports a stale revision as precondition_failed', async () => {
    const client = httpClient(server);
    const error = await client.call('providers.update', { idOrName: 'fake-0', revision: 999, description: 'x' }).catch((e: unknown) => e);
    expect((error as DeskClientError).code).toBe('precondition_failed');
  });

  it('streams test-all progress as events, then resolves with the summary', async () => {
    const client = httpClient(server);
    const events: ClientEvent[] = [];
    const off = client.subscribe((event) => events.push(event));
    const summary = await client.call('providers.testAll', {});
    off();
    expect(summary).toMatchObject({ total: 3, passed: 2, failed: 1 });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(3);
    expect(progress.map((e) => (e.type === 'progress' ? e.progress.done : 0)).sort()).toEqual([1, 2, 3]);
  });

  it("follows the backend's change feed over Server-Sent Events while subscribed, whoever wrote", async () => {
    const eventSource = bearerEventSource(server.token);
    const client = httpClient(server, { eventSource });
    const changes: unknown[] = [];
    const off = client.subscribe((event) => event.type === 'changes' && changes.push(...event.events));
    await expect.poll(() => server.desk.changes.subscriberCount).toBe(1);
    const id = (await client.call('providers.get', { idOrName: 'fake-1' })).id;
    await client.call('providers.update', { idOrName: 'fake-1', description: 'changed' });
    await expect.poll(() => changes).toEqual([{ id: expect.any(Number), type: 'provider.updated', provider_id: id }]);
    server.desk.providers.addKey('fake-1', { name: 'added', value: 'sk-added-0123456789' });
    await expect.poll(() => changes).toHaveLength(2);
    expect(changes[1]).toEqual({ id: expect.any(Number), type: 'key.changed', provider_id: id, key_id: expect.any(String) });
    server.desk.providers.removeKey('fake-1', 'added');
    off();
    // The last listener gone, the stream is closed.
    expect(eventSource.made[0]!.readyState).toBe(2);
    await expect.poll(() => server.desk.changes.subscriberCount).toBe(0);
  });

  it('hears no changes of its own making without a feed: a write is not announced by the transport itself', async () => {
    const client = httpClient(server);
    const events: ClientEvent[] = [];
    client.subscribe((event) => events.push(event));
    await client.call('providers.update', { idOrName: 'fake-1', description: 'again' });
    expect(events).toEqual([]);
  });

  it('tells every listener when the session is gone, and signs in and out with a cookie', async () => {
    const fetchWithCookies = cookieFetch();
    const client = httpClient(server, { token: null, fetch: fetchWithCookies });
    let unauthorized = 0;
    client.onUnauthorized(() => (unauthorized += 1));
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized' });
    expect(unauthorized).toBe(1);

    const session = client.transport.session!;
    expect(await session.login('wrong')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await session.login(server.token)).toEqual({ ok: true, data: { ok: true } });
    expect((await client.call('app.info', {})).version).toBeTruthy();
    await session.logout();
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('says plainly when the server is not reachable', async () => {
    const client = httpClient(server, { fetch: async () => Promise.reject(new TypeError('fetch failed')) });
    await expect(client.call('app.info', {})).rejects.toThrow(/not reachable/);
  });

  it('offers no key copy over HTTP', async () => {
    const client = httpClient(server);
    const provider = await client.call('providers.get', { idOrName: 'fake-0' });
    await expect(client.call('keys.copy', { idOrName: 'fake-0', keyId: provider.api_keys[0]!.id })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('ipcTransport', () => {
  it('is the desktop kind and has no session to sign out of', () => {
    const client = ipcClient(server.desk);
    expect(client.transport.kind).toBe('ipc');
    expect(client.transport.session).toBeUndefined();
  });

  it('calls operations through the bridge and relays service change events', async () => {
    const client = ipcClient(server.desk);
    const events: ClientEvent[] = [];
    client.subscribe((event) => events.push(event));
    const created = await client.call('providers.create', { name: 'via-ipc', type: 'ollama' });
    expect(created.name).toBe('via-ipc');
    await expect
      .poll(() => events)
      .toContainEqual({ type: 'changes', events: [{ id: expect.any(Number), type: 'provider.created', provider_id: created.id }] });
    await client.call('providers.delete', { idOrName: 'via-ipc' });
  });

  it('returns errors as values with their fields', async () => {
    const client = ipcClient(server.desk);
    const error = (await client.call('providers.create', { name: '', type: 'nope' }).catch((e: unknown) => e)) as DeskClientError;
    expect(error.code).toBe('validation_failed');
    expect(new Set(error.fields.map((f) => f.path))).toEqual(new Set(['name', 'type']));
  });

  it('streams test-all progress as events', async () => {
    const client = ipcClient(server.desk);
    const done: number[] = [];
    client.subscribe((event) => event.type === 'progress' && done.push(event.progress.done));
    const summary = await client.call('providers.testAll', { concurrency: 1 });
    expect(summary.total).toBe(3);
    expect(done).toEqual([1, 2, 3]);
  });

  it('reaches keys.copy, which the headless backend refuses without a clipboard', async () => {
    const client = ipcClient(server.desk);
    const provider = await client.call('providers.get', { idOrName: 'fake-0' });
    await expect(client.call('keys.copy', { idOrName: 'fake-0', keyId: provider.api_keys[0]!.id })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
