// The main token is compared on every API request without hashing (service/api-token.ts): these hold the comparison
// to exact equality, and the fast path's Authorization check to the one form the full path reads the same way.
import { afterEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import { equalInConstantTime, TOKEN_ENV } from '../../src-main/core/service/api-token.js';
import { openTestDesk } from '../helpers/desk.js';

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

describe('the main token comparison', () => {
  it('is exact: equal strings only, whatever differs and wherever', () => {
    const token = 'pd_0123456789abcdefghijABCDEFGHIJ-_xyzXYZ01234';
    expect(equalInConstantTime(token, token)).toBe(true);
    expect(equalInConstantTime(`${token}`.slice(0), token)).toBe(true);
    for (const candidate of [
      '',
      token.slice(0, -1),
      `${token}x`,
      `x${token}`,
      token.toUpperCase(),
      `${token.slice(0, -1)}5`,
      `Q${token.slice(1)}`,
    ])
      expect(equalInConstantTime(candidate, token), JSON.stringify(candidate)).toBe(false);
    // A candidate that matches the expected one's start and then only NUL characters is not it either.
    expect(equalInConstantTime(`${token}\u0000`, token)).toBe(false);
    expect(equalInConstantTime('', '')).toBe(true);
  });

  it('accepts the generated token as Bearer, and no near miss', () => {
    desk = openTestDesk();
    const token = desk.token.current();
    expect(desk.token.verify(token)).toBe(true);
    expect(desk.token.verifyBearer(`Bearer ${token}`)).toBe(true);
    for (const value of [
      `bearer ${token}`,
      `Bearer  ${token}`,
      `Bearer ${token} `,
      token,
      `Bearer ${token.slice(0, -1)}`,
      `Basic ${token}`,
    ])
      expect(desk.token.verifyBearer(value), value).toBe(false);
    expect(desk.token.verify(`${token}x`)).toBe(false);
    expect(desk.token.verify(undefined)).toBe(false);
  });

  it('leaves a PROVIDER_DESK_TOKEN with whitespace in it to verify(), which reads the header as the full path does', () => {
    desk = openTestDesk({ env: { ...process.env, [TOKEN_ENV]: 'local  secret\tvalue' } });
    expect(desk.token.verifyBearer('Bearer local  secret\tvalue')).toBe(false);
    expect(desk.token.verify('local  secret\tvalue')).toBe(true);
  });

  it('follows a rotation at the store version it is given', () => {
    desk = openTestDesk();
    const before = desk.token.current();
    const other = openTestDesk({ dataDir: desk.options.dataDir });
    const rotated = other.token.rotate();
    return other.close().then(() => {
      const version = desk?.http.store.version() ?? '';
      expect(desk?.token.verifyBearer(`Bearer ${before}`, version)).toBe(false);
      expect(desk?.token.verifyBearer(`Bearer ${rotated}`, version)).toBe(true);
    });
  });
});
