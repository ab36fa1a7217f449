// A large config.json import: the new providers are built and inserted a batch at a time (the plan does not hold an
// input per provider), in the import's one transaction: a failure in a late batch leaves the store as it was.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import { openTestDesk } from '../helpers/desk.js';

let desk: Desk;
beforeEach(() => {
  desk = openTestDesk();
});
afterEach(async () => desk.close());

/** `count` providers as an export writes them: two with a duplicate key id when `duplicateAt` is given. */
function document(count: number): { providers: Record<string, unknown> } {
  const providers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    providers[`imported-${String(i).padStart(3, '0')}`] = {
      keys: [{ name: 'main', value: `sk-import-${i}-0123456789abcdef`, models: [], weight: 1 }],
      provider_desk: { type: 'openai', display_name: `Imported ${i}` },
    };
  }
  return { providers };
}

describe('importing many providers', () => {
  it('inserts the new providers in batches, each built when it is inserted, and stores every one of them', async () => {
    const insertMany = vi.spyOn(desk.providers, 'insertMany');
    const result = await desk.dispatch('config.import', document(250), { transport: 'cli' });
    expect(result.ok && result.data.added).toHaveLength(250);
    expect(insertMany.mock.calls.map(([inputs]) => [...inputs].length)).toEqual([100, 100, 50]);
    expect(desk.repo.queryProviders({ limit: 1 }).total).toBe(250);
    const last = desk.providers.get('imported-249');
    expect(last).toMatchObject({ display_name: 'Imported 249', type: 'openai' });
    expect(desk.providers.revealKey('imported-249', last.api_keys[0]?.id ?? '').value).toBe('sk-import-249-0123456789abcdef');
  });

  it('leaves the store as it was when a late batch fails', async () => {
    desk.providers.create({ name: 'before', type: 'openai' });
    const original = desk.providers.insertMany.bind(desk.providers);
    let calls = 0;
    vi.spyOn(desk.providers, 'insertMany').mockImplementation((inputs) => {
      if (++calls === 3) throw new Error('disk full');
      return original(inputs);
    });
    const result = await desk.dispatch('config.import', document(250), { transport: 'cli' });
    expect(result.ok).toBe(false);
    expect(calls).toBe(3);
    expect(desk.repo.allProviders().map((p) => p.name)).toEqual(['before']);
  });

  it('still reports a key id used twice in the file after the other errors, naming both places', async () => {
    const doc = document(3);
    const keys = (name: string) => (doc.providers[name] as { keys: Array<Record<string, unknown>> }).keys;
    keys('imported-000')[0]!.id = 'same-id';
    keys('imported-002')[0]!.id = 'same-id';
    (doc.providers['imported-001'] as Record<string, unknown>).send_back_raw_request = 'yes';
    const result = await desk.dispatch('config.import', doc, { transport: 'cli' });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : (result.error.fields ?? []);
    expect(fields.map((f) => f.path)).toEqual(['providers.imported-001.send_back_raw_request', 'providers.imported-002.keys[0].id']);
    expect(fields[1]?.message).toContain('providers.imported-000.keys[0]');
    expect(desk.repo.allProviders()).toHaveLength(0);
  });
});
