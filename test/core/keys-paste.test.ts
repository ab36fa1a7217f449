import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk } from '../helpers/desk.js';
import type { Desk } from '../../src-main/core/desk.js';
import type { OperationName } from '../../src-main/core/contract/operations.js';

const A = 'sk-paste-0123456789-aaaa';
const B = 'sk-paste-0123456789-bbbb';
const C = 'sk-paste-0123456789-cccc';

let desk: Desk;
afterEach(async () => desk?.close());

function call<N extends OperationName>(name: N, input: unknown) {
  return desk.dispatch(name, input, { transport: 'http' });
}

async function ok<N extends OperationName>(name: N, input: unknown) {
  const result = await call(name, input);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.data;
}

async function providerWithOneKey() {
  desk = openTestDesk();
  return ok('providers.create', { name: 'pasted', type: 'openai', api_keys: [{ name: 'default', value: A }] });
}

describe('adding several keys at once (keys.createMany)', () => {
  it('creates one key per value with generated names that do not collide, and bumps the revision once', async () => {
    const created = await providerWithOneKey();
    await ok('keys.create', { idOrName: 'pasted', name: 'key-3', value: 'env.PD_PASTE_OTHER' });
    const before = await ok('providers.get', { idOrName: 'pasted' });
    const { keys } = await ok('keys.createMany', { idOrName: 'pasted', keys: [{ value: B }, { value: C }, { value: 'env.PD_PASTE_X' }] });
    expect(keys.map((k) => k.name)).toEqual(['key-4', 'key-5', 'key-6']);
    expect(keys.map((k) => k.masked.slice(-4))).toEqual(['bbbb', 'cccc', 'TE_X']);
    expect(keys[2]).toMatchObject({ source: 'env', masked: 'env.PD_PASTE_X' });
    const after = await ok('providers.get', { idOrName: 'pasted' });
    expect(after.api_keys.map((k) => k.name)).toEqual(['default', 'key-3', 'key-4', 'key-5', 'key-6']);
    expect(after.revision).toBe(before.revision + 1);
    expect(created.api_keys).toHaveLength(1);
  });

  it('names the next free key-N after the existing keys (key-2, key-3 for a provider with one key)', async () => {
    await providerWithOneKey();
    const { keys } = await ok('keys.createMany', { idOrName: 'pasted', keys: [{ value: B }, { value: C }] });
    expect(keys.map((k) => k.name)).toEqual(['key-2', 'key-3']);
  });

  it('refuses the whole batch when a value repeats within it or is already stored, naming each by index and never the value', async () => {
    await providerWithOneKey();
    const result = await call('keys.createMany', { idOrName: 'pasted', keys: [{ value: B }, { value: A }, { value: B }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    expect(result.error.fields).toEqual([
      { path: 'keys[1].value', message: 'is already stored as key "default"' },
      { path: 'keys[2].value', message: 'is the same key as keys[0]' },
    ]);
    expect(JSON.stringify(result.error)).not.toContain(B);
    expect(JSON.stringify(result.error)).not.toContain(A);
    expect((await ok('providers.get', { idOrName: 'pasted' })).api_keys).toHaveLength(1);
  });

  it('is all or nothing: a name taken by an earlier key in the batch rolls every key back', async () => {
    await providerWithOneKey();
    const result = await call('keys.createMany', {
      idOrName: 'pasted',
      keys: [
        { value: B, name: 'twin' },
        { value: C, name: 'twin' },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('conflict');
    expect(result.error.fields).toEqual([{ path: 'keys[1].name', message: 'is already used' }]);
    expect((await ok('providers.get', { idOrName: 'pasted' })).api_keys.map((k) => k.name)).toEqual(['default']);
  });

  it('checks the revision (If-Match) and validates each value by path', async () => {
    const created = await providerWithOneKey();
    const stale = await call('keys.createMany', { idOrName: 'pasted', revision: created.revision + 5, keys: [{ value: B }] });
    expect(!stale.ok && stale.error.code).toBe('precondition_failed');
    const padded = await call('keys.createMany', { idOrName: 'pasted', keys: [{ value: B }, { value: ` ${C}` }] });
    expect(!padded.ok && padded.error.fields?.map((f) => f.path)).toEqual(['keys[1].value']);
    const empty = await call('keys.createMany', { idOrName: 'pasted', keys: [] });
    expect(!empty.ok && empty.error.fields).toEqual([{ path: 'keys', message: 'must list at least one key' }]);
    expect((await ok('providers.get', { idOrName: 'pasted' })).api_keys).toHaveLength(1);
  });
});
