// The serialized-response cache behind GET /api/v1/providers (added for the benchmark's list figures) must never serve a stale page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDesk, startTestServer, type TestServer } from '../helpers/desk.js';
import { ResponseCache } from '../../src-main/core/http/response-cache.js';

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

  it('is read from the store once inside sharingVersion, yet still changes there on a write through this connection', async () => {
    const desk = openTestDesk();
    const other = openTestDesk({ dataDir: desk.options.dataDir });
    const seen = desk.repo.sharingVersion(() => {
      const first = desk.repo.version();
      // Another connection's commit during the shared run counts as landing right after it.
      other.providers.create({ name: 'theirs', type: 'openai' });
      return { first, same: desk.repo.version() };
    });
    expect(seen.same).toBe(seen.first);
    // Outside, it is seen at once.
    const outside = desk.repo.version();
    expect(outside).not.toBe(seen.first);
    // A write through this connection changes it inside the run too.
    const own = desk.repo.sharingVersion(() => {
      const before = desk.repo.version();
      desk.providers.create({ name: 'mine', type: 'openai' });
      return { before, after: desk.repo.version() };
    });
    expect(own.before).toBe(outside);
    expect(own.after).not.toBe(own.before);
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

  it('serves a model list again from the cache, and never after another connection changed it', async () => {
    server = await startTestServer();
    const provider = server.desk.providers.create({ name: 'listed', type: 'openai', api_keys: [{ value: 'sk-listed-0123456789abcdef' }] });
    const rows = (ids: string[]) =>
      ids.map((id) => ({
        provider_id: provider.id,
        model_id: id,
        key_id: null,
        display_name: id,
        capabilities: '["chat"]',
        context_window: null,
        owned_by: null,
        fetched_at: '2026-01-01T00:00:00.000Z',
      }));
    server.desk.repo.transaction(() => server!.desk.repo.replaceModels(provider.id, rows(['a', 'b'])));
    const ids = async () => (await server!.request('/api/v1/providers/listed/models')).body.models.map((m: { id: string }) => m.id);
    // Asked twice at one version: kept; the third answer comes from the cache, without running the operation.
    expect(await ids()).toEqual(['a', 'b']);
    expect(await ids()).toEqual(['a', 'b']);
    const dispatched = vi.spyOn(server.desk, 'dispatch');
    const cached = await server.request('/api/v1/providers/listed/models');
    expect(dispatched).not.toHaveBeenCalled();
    dispatched.mockRestore();
    expect(cached.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(cached.body.models.map((m: { id: string }) => m.id)).toEqual(['a', 'b']);
    const other = openTestDesk({ dataDir: server.desk.options.dataDir });
    other.repo.transaction(() => other.repo.replaceModels(provider.id, rows(['c'])));
    expect(await ids()).toEqual(['c']);
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
  it('keeps an answer only when its URL is asked for again within the same version', () => {
    const cache = new ResponseCache(1000, 4);
    expect(cache.get('/a', 'v1')).toBeUndefined();
    expect(cache.admits('/a', 'v1')).toBe(false);
    expect(cache.get('/a', 'v1')).toBeUndefined();
    expect(cache.admits('/a', 'v1')).toBe(true);
    cache.set('/a', 'v1', Buffer.alloc(40));
    expect(cache.get('/a', 'v1')?.length).toBe(40);
    // A new version empties it, and the URL has to earn its place again.
    expect(cache.get('/a', 'v2')).toBeUndefined();
    expect(cache.get('/a', 'v1')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
    expect(cache.admits('/a', 'v3')).toBe(false);
  });

  it('never stores an answer built at an older version than the one it now holds', () => {
    const cache = new ResponseCache(1000, 4);
    cache.admits('/a', 'v1');
    expect(cache.admits('/a', 'v1')).toBe(true);
    cache.get('/b', 'v2');
    cache.set('/a', 'v1', Buffer.alloc(40));
    expect(cache.get('/a', 'v2')).toBeUndefined();
    expect(cache.size.entries).toBe(0);
  });

  it('takes nothing more once full, so many different pages evict nothing until the next write', () => {
    const cache = new ResponseCache(100, 2);
    const fill = (url: string, bytes: number) => {
      cache.admits(url, 'v1');
      if (cache.admits(url, 'v1')) cache.set(url, 'v1', Buffer.alloc(bytes));
    };
    fill('/a', 40);
    fill('/b', 40);
    fill('/c', 10);
    expect(cache.get('/a', 'v1')).toBeDefined();
    expect(cache.get('/b', 'v1')).toBeDefined();
    expect(cache.get('/c', 'v1')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 2, bytes: 80 });
    // Nor past its byte budget.
    const small = new ResponseCache(100, 8);
    small.admits('/a', 'v1');
    small.set('/a', 'v1', Buffer.alloc(60));
    small.admits('/b', 'v1');
    small.set('/b', 'v1', Buffer.alloc(60));
    expect(small.size).toEqual({ entries: 1, bytes: 60 });
  });
});
