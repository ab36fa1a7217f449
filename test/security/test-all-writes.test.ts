// Test-all's store writes: batched into few transactions, each provider's progress still reported once it is written,
// verdicts about a provider that moved mid-test still dropped, the check history trimmed to 20, and a model list that
// did not change not rewritten.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import type { TestAllProgress } from '../../src-main/core/contract/operations.js';
import { openTestDesk } from '../helpers/desk.js';
import { WriteBatcher } from '../../src-main/core/service/write-batcher.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

const KEY = 'sk-batch-good-0123456789';

let fast: FakeProvider;
let slow: FakeProvider;
let otherModels: FakeProvider;
let desk: Desk;

beforeAll(async () => {
  fast = await startFakeProvider('openai', { keys: [KEY], delayMs: 50 });
  slow = await startFakeProvider('openai', { keys: [KEY], delayMs: 400 });
  otherModels = await startFakeProvider('openai', { keys: [KEY], models: ['gpt-other-1', 'gpt-other-2'] });
});
afterAll(async () => {
  await fast.close();
  await slow.close();
  await otherModels.close();
});
afterEach(async () => desk?.close());

function createProviders(count: number, baseUrl: string): string[] {
  const names = Array.from({ length: count }, (_, i) => `batch-${i}`);
  for (const name of names) desk.providers.create({ name, type: 'openai', base_url: baseUrl, api_keys: [{ name: 'main', value: KEY }] });
  return names;
}

/** Counts the rows written to the models table from now on (a TEMP trigger on this connection). */
function countModelWrites(): () => number {
  desk.db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS model_writes (n INTEGER NOT NULL);
    DELETE FROM model_writes;
    INSERT INTO model_writes VALUES (0);
    CREATE TEMP TRIGGER IF NOT EXISTS model_inserts AFTER INSERT ON main.models BEGIN UPDATE model_writes SET n = n + 1; END;
    CREATE TEMP TRIGGER IF NOT EXISTS model_deletes AFTER DELETE ON main.models BEGIN UPDATE model_writes SET n = n + 1; END;
    CREATE TEMP TRIGGER IF NOT EXISTS model_updates AFTER UPDATE ON main.models BEGIN UPDATE model_writes SET n = n + 1; END;
  `);
  return () => (desk.db.prepare('SELECT n FROM model_writes').get() as { n: number }).n;
}

describe('test-all writes', () => {
  it('writes the results of many providers in a few transactions, and reports every provider once, after it is stored', async () => {
    desk = openTestDesk();
    const names = createProviders(40, fast.baseUrl);
    const transaction = vi.spyOn(desk.repo, 'transaction');
    const seen: Array<{ progress: TestAllProgress; stored: string }> = [];
    const summary = await desk.health.testAll({ concurrency: 40 }, (progress) =>
      seen.push({ progress, stored: desk.providers.get(progress.provider.name).health }),
    );
    expect(summary).toMatchObject({ total: 40, passed: 40, failed: 0 });
    // One transaction per provider before; now the results that arrive together share one.
    expect(transaction.mock.calls.length).toBeGreaterThan(0);
    expect(transaction.mock.calls.length).toBeLessThan(names.length);
    expect(seen.map((s) => s.progress.done)).toEqual(names.map((_, i) => i + 1));
    expect(seen.map((s) => s.progress.provider.name).sort()).toEqual([...names].sort());
    for (const { progress, stored } of seen) {
      expect(progress).toMatchObject({ total: 40, ok: true, health: 'ok' });
      // Progress follows the write: what it reports is already what the store holds.
      expect(stored).toBe('ok');
    }
    for (const name of names) expect(desk.providers.get(name).api_keys[0]?.health).toBe('ok');
  });

  it('drops the verdicts of a provider that moved while test-all ran, and says so in its progress', async () => {
    desk = openTestDesk();
    createProviders(3, fast.baseUrl);
    desk.providers.create({ name: 'mover', type: 'openai', base_url: slow.baseUrl, api_keys: [{ name: 'main', value: KEY }] });
    const progress: TestAllProgress[] = [];
    const running = desk.health.testAll({ concurrency: 4 }, (p) => progress.push(p));
    await new Promise((resolve) => setTimeout(resolve, 150));
    desk.providers.update('mover', { base_url: fast.baseUrl });
    const summary = await running;
    const mover = summary.providers.find((p) => p.name === 'mover');
    expect(mover?.results[0]).toMatchObject({ ok: true });
    expect(mover?.health).toBe('untested');
    expect(progress.find((p) => p.provider.name === 'mover')?.health).toBe('untested');
    expect(desk.providers.get('mover')).toMatchObject({ health: 'untested', api_keys: [{ health: 'untested', last_check: null }] });
    expect(desk.providers.get('batch-0').health).toBe('ok');
  });

  it('keeps exactly the 20 newest checks of a provider, and leaves the other providers alone', async () => {
    desk = openTestDesk();
    const [kept, other] = createProviders(2, fast.baseUrl).map((name) => desk.providers.get(name).id) as [string, string];
    desk.repo.transaction(() => {
      for (let i = 0; i < 5; i++) desk.repo.addCheckResult(other, null, JSON.stringify({ n: i }), `2026-01-01T00:00:0${i}.000Z`);
      for (let i = 0; i < 25; i++)
        desk.repo.addCheckResult(kept, null, JSON.stringify({ n: i }), `2026-01-02T00:00:${String(i).padStart(2, '0')}.000Z`);
    });
    const history = desk.repo.checkHistory(kept).map((c) => (JSON.parse(c.result) as { n: number }).n);
    expect(history).toEqual(Array.from({ length: 20 }, (_, i) => 24 - i));
    expect(desk.repo.checkHistory(other)).toHaveLength(5);
    // Fewer than 20 stored: nothing goes.
    desk.repo.transaction(() => desk.repo.addCheckResult(other, null, JSON.stringify({ n: 5 }), '2026-01-01T00:00:05.000Z'));
    expect(desk.repo.checkHistory(other)).toHaveLength(6);
  });

  it('does not rewrite a model list that did not change, but still records when it was fetched', async () => {
    desk = openTestDesk();
    createProviders(1, fast.baseUrl);
    const writes = countModelWrites();
    await desk.health.test('batch-0');
    const first = await desk.health.models('batch-0');
    const listed = writes();
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBe(first.models.length);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await desk.dispatch('providers.testAll', {}, { transport: 'cli' });
    await desk.health.refresh('batch-0');
    expect(writes()).toBe(listed);
    const again = await desk.health.models('batch-0');
    expect(again.models).toEqual(first.models);
    expect(Date.parse(again.fetched_at ?? '')).toBeGreaterThan(Date.parse(first.fetched_at ?? ''));

    // Another list: written in full (the old rows marked gone, kept until dismissed; the new ones inserted).
    desk.providers.update('batch-0', { base_url: otherModels.baseUrl });
    await desk.health.test('batch-0');
    expect(writes()).toBe(listed + first.models.length + 2);
    const next = (await desk.health.models('batch-0')).models;
    expect(next.filter((m) => m.gone_at === null).map((m) => m.id)).toEqual(['gpt-other-1', 'gpt-other-2']);
    expect(next.filter((m) => m.gone_at !== null)).toHaveLength(first.models.length);
  });

  it('writes a list in full after its rows were replaced some other way (its hash is then unknown)', async () => {
    desk = openTestDesk();
    createProviders(1, fast.baseUrl);
    await desk.health.test('batch-0');
    const provider = desk.providers.get('batch-0');
    const stored = desk.repo.modelsOf(provider.id);
    desk.repo.transaction(() => desk.repo.replaceModels(provider.id, stored.slice(0, 1)));
    const writes = countModelWrites();
    await desk.health.test('batch-0');
    // Every listed row written: the one kept updated, the others inserted.
    expect(writes()).toBe(stored.length);
    expect(desk.repo.modelsOf(provider.id)).toHaveLength(stored.length);
  });
});

describe('WriteBatcher', () => {
  it('writes as soon as maxItems wait, and the rest after maxDelayMs, each add settling with its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number, string>(
      (items) => {
        batches.push(items);
        return items.map((n) => (n === 4 ? { ok: false, error: new Error('four') } : { ok: true, value: `#${n}` }));
      },
      { maxItems: 3, maxDelayMs: 20 },
    );
    const added = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    expect(batches).toEqual([[1, 2, 3]]);
    await expect(added[0]).resolves.toBe('#1');
    const outcomes = await Promise.allSettled(added);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      '#1',
      '#2',
      '#3',
      'four',
      '#5',
    ]);
  });

  it('writes what waits on flush(), and rejects every item of a batch whose write throws', async () => {
    let calls = 0;
    const batcher = new WriteBatcher<number, number>(
      () => {
        calls++;
        throw new Error('store is gone');
      },
      { maxItems: 10, maxDelayMs: 60_000 },
    );
    const added = [batcher.add(1), batcher.add(2)];
    batcher.flush();
    const outcomes = await Promise.allSettled(added);
    expect(calls).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    batcher.flush();
    expect(calls).toBe(1);
  });
});
