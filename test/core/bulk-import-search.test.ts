/**
 * A large import inserts its providers with the search index's insert trigger off and rebuilds the index once
 * (Repository.insertingInBulk): afterwards the index holds exactly the table, searches find the imported providers as
 * LIKE does, the trigger is back for later inserts, and a failed import leaves index and trigger as they were.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import { openTestDesk } from '../helpers/desk.js';

let desk: Desk;
beforeEach(() => {
  desk = openTestDesk();
});
afterEach(async () => desk.close());

function document(count: number, prefix: string): { providers: Record<string, unknown> } {
  const providers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    providers[`${prefix}-${String(i).padStart(4, '0')}`] = {
      keys: [{ name: 'main', value: `sk-bulk-${i}-0123456789abcdef`, models: [], weight: 1 }],
      provider_desk: { type: 'openai', display_name: `Bulk ${prefix} ${i}` },
    };
  }
  return { providers };
}

/** FTS5's own check that the index holds exactly what the providers table holds (throws otherwise). */
function checkSearchIndex(): void {
  desk.db.prepare("INSERT INTO providers_search (providers_search, rank) VALUES ('integrity-check', 1)").run();
}

function insertTrigger(): string | undefined {
  return desk.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'providers_search_insert'").pluck().get() as
    string | undefined;
}

const names = (search: string) => desk.repo.queryProviders({ search, sortBy: 'name', order: 'asc', limit: 10_000 }).rows.map((r) => r.name);

describe('a bulk import and the search index', () => {
  it('rebuilds the index once for a large import: searches find every imported provider, and the trigger is back', async () => {
    desk.providers.create({ name: 'existing-one', type: 'openai' });
    const trigger = insertTrigger();
    expect(trigger).toBeDefined();
    const bulk = vi.spyOn(desk.repo, 'insertingInBulk');
    const result = await desk.dispatch('config.import', document(2500, 'bulky'), { transport: 'cli' });
    expect(result.ok && result.data.added).toHaveLength(2500);
    expect(bulk).toHaveBeenCalledTimes(1);
    checkSearchIndex();
    expect(insertTrigger()).toBe(trigger);
    expect(names('bulky-0042')).toEqual(['bulky-0042']);
    expect(names('Bulk bulky 249')).toEqual(['bulky-0249', ...Array.from({ length: 10 }, (_, i) => `bulky-${2490 + i}`)]);
    expect(names('existing')).toEqual(['existing-one']);
    // A provider inserted later is indexed by the trigger again.
    desk.providers.create({ name: 'later-zebra', type: 'openai' });
    checkSearchIndex();
    expect(names('zebra')).toEqual(['later-zebra']);
  });

  it('keeps the per-row trigger for a small import, or one much smaller than the store', async () => {
    const bulk = vi.spyOn(desk.repo, 'insertingInBulk');
    await desk.dispatch('config.import', document(50, 'small'), { transport: 'cli' });
    expect(bulk).not.toHaveBeenCalled();
    expect(desk.repo.insertsInBulk(2000)).toBe(true);
    desk.providers.insertMany(Array.from({ length: 5000 }, (_, i) => ({ name: `stored-${i}`, type: 'openai' as const })));
    expect(desk.repo.insertsInBulk(2000)).toBe(false);
    expect(desk.repo.insertsInBulk(3000)).toBe(true);
    checkSearchIndex();
  });

  it('leaves the index and the trigger as they were when a bulk import fails', async () => {
    desk.providers.create({ name: 'before-import', type: 'openai' });
    const trigger = insertTrigger();
    const original = desk.providers.insertMany.bind(desk.providers);
    let calls = 0;
    vi.spyOn(desk.providers, 'insertMany').mockImplementation((inputs) => {
      calls += 1;
      if (calls === 20) throw new Error('disk full');
      return original(inputs);
    });
    const result = await desk.dispatch('config.import', document(2500, 'failing'), { transport: 'cli' });
    expect(result.ok).toBe(false);
    expect(insertTrigger()).toBe(trigger);
    checkSearchIndex();
    expect(names('failing')).toEqual([]);
    expect(names('before-import')).toEqual(['before-import']);
  });
});
