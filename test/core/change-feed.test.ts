import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src-main/core/contract/change-events.js';
import { ChangeFeed } from '../../src-main/core/service/change-feed.js';
import { DataVersionWatch } from '../../src-main/core/service/data-version-watch.js';
import type { Desk } from '../../src-main/core/desk.js';
import { openTestDesk } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every batch a subscriber received, with when it arrived. */
function record(feed: ChangeFeed) {
  const batches: Array<{ at: number; events: ChangeEvent[] }> = [];
  const off = feed.subscribe((events) => batches.push({ at: Date.now(), events }));
  return { batches, events: () => batches.flatMap((b) => b.events), off };
}

const opened: Desk[] = [];
const fakes: FakeProvider[] = [];
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
  for (const fake of fakes.splice(0)) await fake.close();
});

function desk(dataDir?: string): Desk {
  const d = openTestDesk(dataDir ? { dataDir } : {});
  opened.push(d);
  return d;
}

describe('ChangeFeed', () => {
  it('delivers the first change at once, then at most one batch per interval to each subscriber', async () => {
    const feed = new ChangeFeed({ intervalMs: 100 });
    const a = record(feed);
    const b = record(feed);
    const started = Date.now();
    feed.publish({ type: 'provider.updated', provider_id: 'p0' });
    await sleep(10);
    expect(a.batches).toHaveLength(1);
    expect(a.batches[0]!.at - started).toBeLessThan(50);
    // 60 changes over ~300 ms arrive in a handful of batches, none closer than the interval to the one before.
    for (let i = 1; i <= 60; i += 1) {
      feed.publish({ type: 'check.finished', provider_id: `p${i}` });
      await sleep(5);
    }
    await sleep(150);
    for (const { batches, events } of [a, b]) {
      expect(events().map((e) => e.provider_id)).toEqual(Array.from({ length: 61 }, (_, i) => `p${i}`));
      expect(batches.length).toBeLessThanOrEqual(6);
      for (let i = 1; i < batches.length; i += 1) expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(95);
    }
    a.off();
    b.off();
  });

  it('numbers events in order and sends the same change once per batch', async () => {
    const feed = new ChangeFeed();
    const a = record(feed);
    feed.publish({ type: 'provider.updated', provider_id: 'x' });
    feed.publish({ type: 'key.changed', provider_id: 'x', key_id: 'k1' });
    feed.publish({ type: 'provider.updated', provider_id: 'x' });
    feed.publish({ type: 'key.changed', provider_id: 'x', key_id: 'k2' });
    await sleep(20);
    expect(a.events()).toEqual([
      { id: 2, type: 'key.changed', provider_id: 'x', key_id: 'k1' },
      { id: 3, type: 'provider.updated', provider_id: 'x' },
      { id: 4, type: 'key.changed', provider_id: 'x', key_id: 'k2' },
    ]);
  });

  it('turns a batch too large to be worth following one by one into a single store.changed', async () => {
    const feed = new ChangeFeed({ maxBatch: 10 });
    const a = record(feed);
    for (let i = 0; i < 11; i += 1) feed.publish({ type: 'check.finished', provider_id: `p${i}` });
    await sleep(20);
    expect(a.events()).toEqual([{ id: 11, type: 'store.changed' }]);
  });

  it('runs its sources only while someone listens, and stops delivering after unsubscribe', async () => {
    const feed = new ChangeFeed();
    const calls: string[] = [];
    feed.addSource({ start: () => calls.push('start'), stop: () => calls.push('stop') });
    expect(calls).toEqual([]);
    const a = record(feed);
    const b = record(feed);
    expect(calls).toEqual(['start']);
    a.off();
    expect(calls).toEqual(['start']);
    feed.publish({ type: 'store.changed' });
    b.off();
    expect(calls).toEqual(['start', 'stop']);
    await sleep(20);
    expect(a.events()).toEqual([]);
    expect(b.events()).toEqual([]);
  });
});

describe('DataVersionWatch', () => {
  it("notices another connection's commit, not this connection's own writes, and reads nothing while stopped", async () => {
    const mine = desk();
    const other = desk(mine.options.dataDir);
    let reads = 0;
    let changes = 0;
    const watch = new DataVersionWatch(
      () => {
        reads += 1;
        return mine.db.pragma('data_version', { simple: true }) as number;
      },
      () => (changes += 1),
      20,
    );
    await sleep(60);
    expect(reads).toBe(0);
    watch.start();
    mine.providers.create({ name: 'own-write', type: 'ollama' });
    await sleep(80);
    expect(changes).toBe(0);
    other.providers.create({ name: 'their-write', type: 'ollama' });
    await expect.poll(() => changes, { timeout: 1000 }).toBe(1);
    watch.stop();
    const afterStop = reads;
    other.providers.create({ name: 'unseen', type: 'ollama' });
    await sleep(80);
    expect(reads).toBe(afterStop);
    expect(changes).toBe(1);
  });
});

describe("the Desk's change feed", () => {
  it('announces service writes by id, and another process on the same data dir as store.changed', async () => {
    const mine = desk();
    const feed = record(mine.changes);
    const created = mine.providers.create({ name: 'feed', type: 'openai', api_keys: [{ name: 'a', value: 'sk-feed-secret-0123456789' }] });
    const key = mine.providers.addKey('feed', { name: 'b', value: 'sk-feed-second-0123456789' });
    mine.providers.remove('feed');
    await sleep(80);
    expect(feed.events().map(({ id: _id, ...rest }) => rest)).toEqual([
      { type: 'provider.created', provider_id: created.id },
      { type: 'key.changed', provider_id: created.id, key_id: key.id },
      { type: 'provider.deleted', provider_id: created.id },
    ]);
    expect(JSON.stringify(feed.events())).not.toMatch(/sk-feed/);

    const other = desk(mine.options.dataDir);
    other.providers.create({ name: 'cli-made', type: 'ollama' });
    await expect.poll(() => feed.events().some((e) => e.type === 'store.changed'), { timeout: 2000 }).toBe(true);
    feed.off();
  });

  it('says check.started and check.finished around a test, and check.finished for each test-all result as it is written', async () => {
    const fake = await startFakeProvider('openai', { keys: ['sk-good-0123456789'] });
    fakes.push(fake);
    const mine = desk();
    const ids = ['t1', 't2', 't3'].map(
      (name) => mine.providers.create({ name, type: 'openai', base_url: fake.baseUrl, api_keys: [{ value: 'sk-good-0123456789' }] }).id,
    );
    const feed = record(mine.changes);
    await mine.health.test('t1');
    await sleep(80);
    expect(feed.events().map((e) => [e.type, e.provider_id])).toEqual([
      ['check.started', ids[0]],
      ['check.finished', ids[0]],
    ]);

    const finishedAt = new Map<string, number>();
    const off = mine.changes.subscribe((events) => {
      for (const e of events) if (e.type === 'check.finished' && e.provider_id) finishedAt.set(e.provider_id, Date.now());
    });
    await mine.health.testAll({});
    await sleep(80);
    expect(new Set(finishedAt.keys())).toEqual(new Set(ids));
    off();
    feed.off();
  });

  it('announces a failed model refresh too (the provider now says its models could not be listed)', async () => {
    const fake = await startFakeProvider('openai', { keys: ['sk-good-0123456789'] });
    fakes.push(fake);
    const mine = desk();
    const id = mine.providers.create({
      name: 'm',
      type: 'openai',
      base_url: fake.baseUrl,
      api_keys: [{ value: 'sk-bad-000000000000' }],
    }).id;
    const feed = record(mine.changes);
    await expect(mine.health.refresh('m')).rejects.toThrow(/Listing models failed/);
    await sleep(80);
    expect(feed.events().map((e) => [e.type, e.provider_id])).toEqual([['models.changed', id]]);
    feed.off();
  });
});
