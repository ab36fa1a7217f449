import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import type { Desk } from '../../src-main/core/desk.js';
import type { OperationName } from '../../src-main/core/contract/operations.js';

const OLD = 'sk-replace-old-value-0123456789abcd';
const NEW = 'sk-replace-new-value-9876543210wxyz';

let fake: FakeProvider;
let desk: Desk;
let dir: { path: string; remove(): void };

beforeAll(async () => {
  fake = await startFakeProvider('openai', { keys: [OLD, NEW] });
});
afterAll(async () => fake?.close());
afterEach(async () => {
  await desk?.close();
  dir?.remove();
});

async function call<N extends OperationName>(name: N, input: unknown) {
  const result = await desk.dispatch(name, input, { transport: 'http' });
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.data;
}

/** A provider with one tested key that has a name, weight, lists and a check history worth keeping. */
async function testedProvider() {
  dir = tempDir();
  desk = openTestDesk({ dataDir: dir.path });
  await call('providers.create', {
    name: 'rotating',
    type: 'openai',
    base_url: fake.baseUrl,
    api_keys: [{ name: 'work', value: OLD, weight: 3, models: ['gpt-4o'], blacklisted_models: ['o1'] }],
  });
  const tested = await call('providers.test', { idOrName: 'rotating' });
  expect(tested.health).toBe('ok');
  return (await call('providers.get', { idOrName: 'rotating' })).api_keys[0]!;
}

/** Every byte SQLite wrote for the store (main file, WAL, journal), as latin1 text to search. */
function storeBytes(): string {
  return readdirSync(dir.path)
    .filter((f) => f.startsWith('provider-desk.sqlite'))
    .map((f) => readFileSync(join(dir.path, f)).toString('latin1'))
    .join('\n');
}

describe('replacing a key value in place (keys.update with value)', () => {
  it('keeps id, name, weight, enabled and the model lists; shows the new masked tail; resets the verdict to untested', async () => {
    const before = await testedProvider();
    expect(before.health).toBe('ok');
    const replaced = await call('keys.update', { idOrName: 'rotating', keyId: before.id, value: NEW });
    expect(replaced).toMatchObject({
      id: before.id,
      name: 'work',
      weight: 3,
      enabled: true,
      models: ['gpt-4o'],
      blacklisted_models: ['o1'],
      health: 'untested',
      last_check: null,
      headroom: null,
      created_at: before.created_at,
    });
    expect(replaced.masked).not.toBe(before.masked);
    expect(replaced.masked.endsWith(NEW.slice(-4))).toBe(true);
    const provider = await call('providers.get', { idOrName: 'rotating' });
    expect(provider.health).toBe('untested');
    expect(provider.api_keys.map((k) => k.id)).toEqual([before.id]);
  });

  it('keeps the key check history and seals the new value (the old one is gone from the vault, neither is in the file in plain)', async () => {
    const before = await testedProvider();
    const history = (await call('providers.checks', { idOrName: 'rotating' })).checks;
    expect(history.filter((c) => c.key_id === before.id)).toHaveLength(1);
    await call('keys.update', { idOrName: 'rotating', keyId: before.id, value: NEW });
    const after = (await call('providers.checks', { idOrName: 'rotating' })).checks;
    expect(after.filter((c) => c.key_id === before.id)).toHaveLength(1);
    expect(desk.providers.revealKey('rotating', before.id).value).toBe(NEW);
    desk.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = storeBytes();
    expect(bytes).not.toContain(NEW);
    expect(bytes).not.toContain(OLD);
    // The new value proves itself in the next test, recorded against the same key id.
    const retested = await call('providers.test', { idOrName: 'rotating' });
    expect(retested.results.map((r) => [r.key_id, r.ok])).toEqual([[before.id, true]]);
  });

  it('replaces a literal with an env.VAR reference and back', async () => {
    const before = await testedProvider();
    const env = await call('keys.update', { idOrName: 'rotating', keyId: 'work', value: 'env.PD_REPLACE_TEST_KEY' });
    expect(env).toMatchObject({ id: before.id, source: 'env', masked: 'env.PD_REPLACE_TEST_KEY', health: 'untested' });
    const literal = await call('keys.update', { idOrName: 'rotating', keyId: before.id, value: NEW });
    expect(literal).toMatchObject({ id: before.id, source: 'literal' });
  });

  it('keeps the verdict when the value sent is the stored one or <REDACTED>', async () => {
    const before = await testedProvider();
    for (const value of [OLD, '<REDACTED>']) {
      const same = await call('keys.update', { idOrName: 'rotating', keyId: before.id, value });
      expect(same).toMatchObject({ id: before.id, masked: before.masked, health: 'ok' });
    }
  });

  it('refuses a value with surrounding whitespace by field, and stores nothing', async () => {
    const before = await testedProvider();
    const result = await desk.dispatch('keys.update', { idOrName: 'rotating', keyId: before.id, value: ` ${NEW}` }, { transport: 'http' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    expect(result.error.fields?.map((f) => f.path)).toEqual(['value']);
    expect(JSON.stringify(result.error)).not.toContain(NEW);
    expect(desk.providers.revealKey('rotating', before.id).value).toBe(OLD);
  });
});
