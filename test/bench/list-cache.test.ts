// The serialized-response cache behind GET /api/v1/providers (added for the benchmark's list figures) must never serve a stale page.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk, startTestServer, type TestServer } from '../helpers/desk.js';
import { ResponseCache } from '../../src-main/core/http/native-routes.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('store version', () => {
  it('changes on a write through this connection and on a commit by another connection', async () => {
    const desk = openTestDesk();
    const other = openTestDesk({ dataDir: desk.options.dataDir });
    const before = desk.repo.version();
    expect(desk.repo.version()).toBe(before);
    desk.providers.create({ name: 'mine', type: 'openai' });
    const afterOwn = desk.repo.version();
    expect(afterOwn).not.toBe(before);
    other.providers.create({ name: 'theirs', type: 'openai' });
    expect(desk.repo.version()).not.toBe(afterOwn);
    await other.close();
    await desk.close();
  });
});

describe('cached provider list', () => {
  it('answers a repeated list with the same bytes and headers', async () => {
    server = await startTestServer();
    server.desk.providers.create({ name: 'one', type: 'openai', api_keys: [{ value: 'sk-one-0123456789abcdef' }] });
    const first = await server.request('/api/v1/providers?limit=10');
    const second = await server.request('/api/v1/providers?limit=10');
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    // The same header as a route Fastify serializes itself.
    const single = await server.request('/api/v1/providers/one');
    expect(second.headers.get('content-type')).toBe(single.headers.get('content-type'));
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(['one']);
  });

  it('shows writes made through the API, the service and another connection to the same file', async () => {
    server = await startTestServer();
    const names = async () => (await server!.request('/api/v1/providers?sort=name')).body.items.map((p: { name: string }) => p.name);
    expect(await names()).toEqual([]);
    await server.request('/api/v1/providers', { method: 'POST', json: { name: 'alpha', type: 'openai' } });
    expect(await names()).toEqual(['alpha']);
    server.desk.providers.update('alpha', { display_name: 'Alpha' });
    const listed = await server.request('/api/v1/providers?sort=name');
    expect(listed.body.items[0].display_name).toBe('Alpha');
    // A second connection stands in for the CLI writing from another process.
    const other = openTestDesk({ dataDir: server.desk.options.dataDir });
    other.providers.create({ name: 'beta', type: 'groq' });
    expect(await names()).toEqual(['alpha', 'beta']);
    other.providers.remove('alpha');
    expect(await names()).toEqual(['beta']);
    await other.close();
  });

  it('still validates input and does not cache failures', async () => {
    server = await startTestServer();
    const bad = await server.request('/api/v1/providers?limit=0');
    expect(bad.status).toBe(400);
    expect((await server.request('/api/v1/providers?limit=0')).status).toBe(400);
    expect((await server.request('/api/v1/providers?limit=0', { noAuth: true })).status).toBe(401);
  });
});

describe('ResponseCache', () => {
  it('drops entries of an older version and keeps within its byte budget', () => {
    const cache = new ResponseCache(100, 60);
    cache.set('/a', 'v1', Buffer.alloc(40));
    expect(cache.get('/a', 'v1')?.length).toBe(40);
    expect(cache.get('/a', 'v2')).toBeUndefined();
    expect(cache.get('/a', 'v1')).toBeUndefined();
    cache.set('/a', 'v2', Buffer.alloc(40));
    cache.set('/b', 'v2', Buffer.alloc(40));
    cache.get('/a', 'v2');
    cache.set('/c', 'v2', Buffer.alloc(40));
    expect(cache.get('/b', 'v2')).toBeUndefined();
    expect(cache.get('/a', 'v2')).toBeDefined();
    expect(cache.get('/c', 'v2')).toBeDefined();
    cache.set('/big', 'v2', Buffer.alloc(61));
    expect(cache.get('/big', 'v2')).toBeUndefined();
  });
});
