/** mergeSecrets returns a deep copy (the probe may change what it gets; the stored settings must not change). */
import { describe, expect, it } from 'vitest';
import { mergeSecrets } from '../../src-main/core/service/secret-fields.js';

describe('mergeSecrets', () => {
  it('copies nested objects and arrays instead of sharing them, and puts the secrets at their paths', () => {
    const plain: Record<string, unknown> = { region: 'eu', aws: { profile: 'p', tags: ['a', { b: 1 }] }, list: [1, [2]] };
    const merged = mergeSecrets(plain, { 'aws.secret_key': 'S', token: 'T' });
    expect(merged).toEqual({ region: 'eu', aws: { profile: 'p', tags: ['a', { b: 1 }], secret_key: 'S' }, list: [1, [2]], token: 'T' });
    expect(merged.aws).not.toBe(plain.aws);
    expect((merged.aws as { tags: unknown[] }).tags).not.toBe((plain.aws as { tags: unknown[] }).tags);
    expect(merged.list).not.toBe(plain.list);
    expect(plain).toEqual({ region: 'eu', aws: { profile: 'p', tags: ['a', { b: 1 }] }, list: [1, [2]] });
  });

  it("keeps an own __proto__ key as a key, without changing the copy's prototype", () => {
    const plain = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const merged = mergeSecrets(plain, {});
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(merged)).toEqual(['__proto__', 'x']);
  });

  it('copies values other than plain data as structuredClone does', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    const merged = mergeSecrets({ when }, {});
    expect(merged.when).toEqual(when);
    expect(merged.when).not.toBe(when);
  });
});
