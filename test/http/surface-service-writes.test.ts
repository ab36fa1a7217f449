import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeskError } from '../../src-main/core/contract/errors.js';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

/**
 * The composite writes the surfaces used to wrap in their own transactions are named service methods now: each one
 * stores everything or nothing, and checks If-Match once, before any of its writes.
 */
const KEY = 'sk-surface-writes-0123456789';

let t: TestServer;
let openai: FakeProvider;

beforeAll(async () => {
  t = await startTestServer();
  openai = await startFakeProvider('openai', { keys: [KEY] });
});
afterAll(async () => {
  await t.close();
  await openai.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const make = (name: string, keys: string[] = []) =>
  t.desk.providers.create({ name, type: 'openai', display_name: 'Before', api_keys: keys.map((value) => ({ value })) });

describe('ProviderService.updateWithFirstKey (ZIRI)', () => {
  it('adds a first key to a provider without one, and replaces the first key value in place otherwise', () => {
    const bare = make('zf-bare');
    const added = t.desk.providers.updateWithFirstKey(bare.id, { display_name: 'After' }, 'sk-zf-first-0000000001', bare.revision);
    expect(added.display_name).toBe('After');
    expect(added.api_keys).toHaveLength(1);

    const keyed = make('zf-keyed', ['sk-zf-one-0000000001', 'sk-zf-two-0000000002']);
    const [first, second] = keyed.api_keys;
    const replaced = t.desk.providers.updateWithFirstKey(keyed.id, {}, 'sk-zf-new-0000000009');
    expect(replaced.api_keys.map((k) => k.id)).toEqual([first?.id, second?.id]);
    expect(replaced.api_keys[0]?.masked).not.toBe(first?.masked);
    expect(replaced.api_keys[1]?.masked).toBe(second?.masked);
    expect(replaced.display_name).toBe('Before');
  });

  it('writes nothing when the key write fails after the patch, or when the revision is stale', () => {
    const p = make('zf-atomic', ['sk-zf-atomic-0000000001']);
    vi.spyOn(t.desk.providers, 'updateKey').mockImplementationOnce(() => {
      throw new DeskError('conflict', 'the key write failed');
    });
    expect(() => t.desk.providers.updateWithFirstKey(p.id, { display_name: 'After' }, 'sk-zf-atomic-0000000002')).toThrow(
      'the key write failed',
    );
    const kept = t.desk.providers.get(p.id);
    expect([kept.display_name, kept.revision, kept.api_keys[0]?.masked]).toEqual(['Before', p.revision, p.api_keys[0]?.masked]);

    expect(() => t.desk.providers.updateWithFirstKey(p.id, { display_name: 'After' }, 'sk-zf-atomic-0000000003', p.revision - 1)).toThrow(
      expect.objectContaining({ code: 'precondition_failed' }),
    );
    expect(t.desk.providers.get(p.id).display_name).toBe('Before');
  });
});

describe('ProviderService.updateWithKeys (Coder)', () => {
  it('applies the patch and the complete key list together, or neither', () => {
    const p = make('cw-keys', ['sk-cw-one-0000000001', 'sk-cw-two-0000000002']);
    const [first] = p.api_keys;
    const done = t.desk.providers.updateWithKeys(p.id, { display_name: 'After' }, [
      { id: first?.id ?? '' },
      { value: 'sk-cw-new-0000000003' },
    ]);
    expect(done.display_name).toBe('After');
    expect(done.api_keys).toHaveLength(2);
    expect(done.api_keys[0]?.id).toBe(first?.id);

    // The key list is refused after the patch was applied: the patch is undone with it.
    expect(() => t.desk.providers.updateWithKeys(p.id, { display_name: 'Lost' }, [{ id: 'no-such-key' }])).toThrow(/unknown id/);
    const kept = t.desk.providers.get(p.id);
    expect([kept.display_name, kept.revision, kept.api_keys.map((k) => k.id)]).toEqual([
      'After',
      done.revision,
      done.api_keys.map((k) => k.id),
    ]);
  });
});

describe('HealthService.createFromDraft (Agent Stack)', () => {
  it('creates the provider with its draft check recorded, and refuses an address already stored (with or without a trailing slash)', async () => {
    const probe = await t.desk.health.probeDraft({ type: 'openai', baseUrl: openai.baseUrl, secret: KEY });
    if (!probe.ok) throw new Error(`the fake provider refused the probe: ${probe.result.message}`);
    const created = t.desk.health.createFromDraft(
      { name: 'draft-one', type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: KEY }] },
      probe,
      { uniqueBaseUrl: true },
    );
    expect(created.health).toBe('ok');
    expect(created.models_count).toBe(probe.models.length);
    expect(created.models_count).toBeGreaterThan(0);

    const before = t.desk.providers.list({}).total;
    expect(() =>
      t.desk.health.createFromDraft({ name: 'draft-two', type: 'openai', base_url: `${openai.baseUrl}/`, api_keys: [] }, probe, {
        uniqueBaseUrl: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'conflict', fields: [{ path: 'base_url', message: 'is already used' }] }));
    expect(t.desk.providers.list({}).total).toBe(before);
  });
});
