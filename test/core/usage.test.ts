/**
 * Gateway usage counters: what the proxy routes record is aggregated per provider × key × token × outcome in memory,
 * written in one transaction per flush (every second, on close, before a read), and read back per provider (by key
 * and by token) and per token, over the contract and the native API.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import type { UsageRecord } from '../../src-main/core/service/usage-service.js';
import { openTestDesk, startTestServer, tempDir } from '../helpers/desk.js';

let dir: ReturnType<typeof tempDir>;
let desk: Desk;
let openai: { id: string; keys: string[] };
let tokenId: string;

async function createProvider(d: Desk, name: string, keys: string[]): Promise<{ id: string; keys: string[] }> {
  const created = await d.dispatch(
    'providers.create',
    { name, type: 'openai', api_keys: keys.map((k) => ({ name: k, value: `sk-usage-test-${k}-0123456789` })) },
    { transport: 'ipc' },
  );
  if (!created.ok) throw new Error(created.error.message);
  return { id: created.data.id, keys: created.data.api_keys.map((k) => k.id) };
}

function ok(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return { tokenId: null, providerId: openai.id, keyId: openai.keys[0]!, outcome: 'ok', inputTokens: 10, outputTokens: 5, ...overrides };
}

function storedRows(d: Desk): number {
  return (d.db.prepare('SELECT count(*) AS n FROM usage_counters').get() as { n: number }).n;
}

beforeEach(async () => {
  dir = tempDir();
  desk = openTestDesk({ dataDir: dir.path });
  openai = await createProvider(desk, 'openai', ['main', 'backup']);
  tokenId = desk.tokens.create({ name: 'aider', scope: 'gateway', providers: null }).id;
});

afterEach(async () => {
  await desk.close();
  dir.remove();
});

describe('usage counters', () => {
  it('aggregates requests, errors by class and tokens per key and per token', () => {
    const [main, backup] = openai.keys as [string, string];
    desk.usage.record(ok());
    desk.usage.record(ok({ tokenId }));
    desk.usage.record(ok({ tokenId, keyId: backup, inputTokens: 100, outputTokens: 50 }));
    desk.usage.record(ok({ tokenId, keyId: backup, outcome: 'rate_limited', inputTokens: null, outputTokens: null }));
    desk.usage.record(ok({ keyId: main, outcome: 'rate_limited', inputTokens: null, outputTokens: null }));
    desk.usage.record(ok({ keyId: main, outcome: 'auth_failed', inputTokens: null, outputTokens: null }));

    const usage = desk.usage.byProvider('openai');
    expect(usage.provider).toEqual({ id: openai.id, name: 'openai' });
    expect(usage.totals).toMatchObject({
      requests: 6,
      errors: 3,
      errors_by_class: { rate_limited: 2, auth_failed: 1 },
      input_tokens: 120,
      output_tokens: 60,
    });
    const byKey = Object.fromEntries(usage.keys.map((k) => [k.key_name, k]));
    expect(byKey.main).toMatchObject({ key_id: main, requests: 4, errors: 2, input_tokens: 20, output_tokens: 10 });
    expect(byKey.backup).toMatchObject({ key_id: backup, requests: 2, errors: 1, errors_by_class: { rate_limited: 1 }, input_tokens: 100 });
    const byToken = Object.fromEntries(usage.tokens.map((t) => [t.token_name ?? 'main token', t]));
    expect(byToken.aider).toMatchObject({ token_id: tokenId, requests: 3, errors: 1, input_tokens: 110, output_tokens: 55 });
    expect(byToken['main token']).toMatchObject({ token_id: null, requests: 3, errors: 2 });
    expect(usage.totals.last_used_at).not.toBeNull();

    const mine = desk.usage.byToken(tokenId);
    expect(mine.token).toMatchObject({ id: tokenId, name: 'aider' });
    expect(mine.totals).toMatchObject({ requests: 3, errors: 1, input_tokens: 110, output_tokens: 55 });
    expect(mine.providers).toEqual([expect.objectContaining({ provider_id: openai.id, provider_name: 'openai', requests: 3 })]);
  });

  it('writes in batches: nothing per request, one transaction per flush, within about a second', async () => {
    const transactions = vi.spyOn(desk.repo, 'transaction');
    for (let i = 0; i < 1000; i++)
      desk.usage.record(ok({ tokenId, keyId: openai.keys[i % 2]!, outcome: i % 10 === 0 ? 'server_error' : 'ok' }));
    expect(transactions).not.toHaveBeenCalled();
    expect(storedRows(desk)).toBe(0);
    // The timer flushes on its own: ok on both keys, server_error on the first (every tenth request).
    await vi.waitFor(() => expect(storedRows(desk)).toBe(3), { timeout: 3000, interval: 50 });
    expect(transactions).toHaveBeenCalledTimes(1);
    const totals = desk.usage.byToken(tokenId).totals;
    expect(totals).toMatchObject({ requests: 1000, errors: 100, errors_by_class: { server_error: 100 }, input_tokens: 10_000 });
    // The token's last use went out in the same batch.
    const row = desk.db.prepare('SELECT last_used_at FROM tokens WHERE id = ?').get(tokenId) as { last_used_at: string | null };
    expect(row.last_used_at).toBe(totals.last_used_at);
    transactions.mockRestore();
  });

  it('keeps adding to the stored counters across flushes, and writes what is left when the store closes', async () => {
    desk.usage.record(ok({ tokenId }));
    desk.usage.flush();
    desk.usage.record(ok({ tokenId }));
    desk.usage.record(ok({ tokenId }));
    await desk.close();
    desk = openTestDesk({ dataDir: dir.path });
    expect(desk.usage.byProvider('openai').totals).toMatchObject({ requests: 3, input_tokens: 30, output_tokens: 15 });
  });

  it('counts token figures only when they are whole non-negative numbers', () => {
    desk.usage.record(ok({ inputTokens: Number.NaN, outputTokens: -4 }));
    desk.usage.record(ok({ inputTokens: 2.5, outputTokens: Number.POSITIVE_INFINITY }));
    desk.usage.record(ok({ inputTokens: 7, outputTokens: 0 }));
    expect(desk.usage.byProvider('openai').totals).toMatchObject({ requests: 3, input_tokens: 7, output_tokens: 0 });
  });

  it('drops counts of a provider deleted before the flush, keeps the others, and names deleted keys null', async () => {
    const other = await createProvider(desk, 'other', ['k']);
    desk.usage.record(ok({ providerId: other.id, keyId: other.keys[0]! }));
    desk.usage.record(ok());
    const deleted = await desk.dispatch('providers.delete', { idOrName: 'other' }, { transport: 'ipc' });
    expect(deleted.ok).toBe(true);
    desk.usage.flush();
    expect(storedRows(desk)).toBe(1);
    const removedKey = await desk.dispatch('keys.delete', { idOrName: 'openai', keyId: openai.keys[0]! }, { transport: 'ipc' });
    expect(removedKey.ok).toBe(true);
    expect(desk.usage.byProvider('openai').keys).toEqual([
      expect.objectContaining({ key_id: openai.keys[0], key_name: null, requests: 1 }),
    ]);
  });

  it('shows a keyless provider under key_id null and empty counters for a provider never used', async () => {
    const local = await createProvider(desk, 'local', []);
    desk.usage.record(ok({ providerId: local.id, keyId: null }));
    expect(desk.usage.byProvider('local').keys).toEqual([expect.objectContaining({ key_id: null, key_name: null, requests: 1 })]);
    expect(desk.usage.byProvider('openai')).toMatchObject({
      totals: { requests: 0, errors: 0, errors_by_class: {}, input_tokens: 0, output_tokens: 0, last_used_at: null },
      keys: [],
      tokens: [],
    });
  });
});

describe('usage over the native API', () => {
  it('answers per provider and per token, 404 for unknown ones, and stores no request or response text', async () => {
    const t = await startTestServer();
    try {
      const provider = await createProvider(t.desk, 'openai', ['main']);
      const token = await t.request('/api/v1/tokens', { method: 'POST', json: { name: 'cli' } });
      expect(token.status).toBe(201);
      t.desk.usage.record({
        tokenId: token.body.id,
        providerId: provider.id,
        keyId: provider.keys[0]!,
        outcome: 'ok',
        inputTokens: 12,
        outputTokens: 3,
      });

      const byProvider = await t.request('/api/v1/providers/openai/usage');
      expect(byProvider.status, byProvider.text).toBe(200);
      expect(byProvider.body.totals).toMatchObject({ requests: 1, input_tokens: 12, output_tokens: 3 });
      expect(byProvider.body.tokens[0]).toMatchObject({ token_id: token.body.id, token_name: 'cli' });
      const byToken = await t.request(`/api/v1/tokens/${token.body.id}/usage`);
      expect(byToken.status, byToken.text).toBe(200);
      expect(byToken.body.providers[0]).toMatchObject({ provider_name: 'openai', requests: 1 });
      expect(byToken.text).not.toContain(token.body.token);

      expect((await t.request('/api/v1/providers/nope/usage')).status).toBe(404);
      expect((await t.request('/api/v1/tokens/nope/usage')).status).toBe(404);
      // A gateway token reads no usage either: that is management API.
      expect((await t.request('/api/v1/providers/openai/usage', { headers: { authorization: `Bearer ${token.body.token}` } })).status).toBe(
        403,
      );

      const columns = t.desk.db.prepare('SELECT name FROM pragma_table_info(?)').all('usage_counters') as Array<{ name: string }>;
      expect(columns.map((c) => c.name).sort()).toEqual(
        ['input_tokens', 'key_id', 'last_used_at', 'outcome', 'output_tokens', 'provider_id', 'requests', 'token_id'].sort(),
      );
    } finally {
      await t.close();
    }
  });
});
