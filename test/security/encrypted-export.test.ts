/**
 * The encrypted export: a passphrase of at least 12 characters, only ever in a request body (or, in the CLI, a file,
 * the environment or a prompt), scrypt at N=2^17 for new files, and KDF parameters of a crafted file checked and
 * capped before any key derivation runs. Files written by older versions (scrypt N=2^15) still open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/desk.js';

const PASSPHRASE = 'correct horse battery staple';
const SECRET = 'gsk_exported_secret_0123456789abcdef';

/**
 * Written by the previous version (scrypt N=2^15, r=8, p=1) with the 10-character passphrase it still allowed:
 * { providers: { legacy: { provider_desk: { type: 'groq' }, keys: [{ name: 'main', value: LEGACY_KEY, … }] } } }.
 */
const LEGACY_PASSPHRASE = 'legacy-pw1';
const LEGACY_KEY = 'gsk_legacy_key_0123456789abcdef';
const LEGACY_ENVELOPE = {
  format: 'provider-desk-encrypted-config',
  version: 1,
  kdf: { name: 'scrypt', N: 32768, r: 8, p: 1, salt: 'CAl/EzrV//yr2Ct8WybY5A==' },
  cipher: 'aes-256-gcm',
  iv: 'G5UVo6LXRi/x2Usm',
  tag: 'ffSSjRPMzwSEsiEWlDxhMQ==',
  ciphertext:
    '0Vo6wd4vuk4F67Q+5WXDz5d2i1SI727Pjs2eCqA6UQ6JCIt+GRqAL7aEg33MtF4tYoTgW7SzDfnCc3J7P4mJBOKIe+EEoCtkk600l54TdhiOWV5cIuLKJ0COBBASSI+CA7XXDXZCjfWeimm6KtIy83nN4JIlWHJIDUVfOrKXAJ4cy+pK8SU3yUY9rZa8IFD/2RHEvg==',
};

let t: TestServer;
let sealed: Record<string, any>;
beforeAll(async () => {
  t = await startTestServer();
  const seeded = await t.request('/api/v1/config/import', {
    method: 'POST',
    json: { providers: { groq: { keys: [{ name: 'main', value: SECRET, models: [], weight: 1 }] } } },
  });
  expect(seeded.status, seeded.text).toBe(200);
  const res = await t.request('/api/v1/config/export', { method: 'POST', json: { secrets: 'encrypted', passphrase: PASSPHRASE } });
  expect(res.status, res.text).toBe(200);
  sealed = res.body;
});
afterAll(async () => t.close());

const exportEncrypted = (json: object, query = '') => t.request(`/api/v1/config/export${query}`, { method: 'POST', json });

describe('encrypted export over HTTP', () => {
  it('refuses a passphrase shorter than 12 characters, naming the field', async () => {
    const res = await exportEncrypted({ secrets: 'encrypted', passphrase: 'elevenchars' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual([{ path: 'passphrase', message: 'must be at least 12 characters' }]);
    expect(res.text).not.toContain('elevenchars');
    expect((await exportEncrypted({ secrets: 'encrypted', passphrase: 'twelve chars' })).status).toBe(200);
  });

  it('refuses a passphrase in the query string, for export and import alike', async () => {
    const inQuery = await exportEncrypted({ secrets: 'encrypted' }, `?passphrase=${encodeURIComponent(PASSPHRASE)}`);
    expect(inQuery.status).toBe(400);
    expect(inQuery.body.error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'passphrase' }] });
    expect(inQuery.body.error.message).toMatch(/passphrase must be sent in the JSON body/);

    // Also when the body has one too: the URL has already leaked it.
    const both = await exportEncrypted({ secrets: 'encrypted', passphrase: PASSPHRASE }, `?passphrase=${encodeURIComponent(PASSPHRASE)}`);
    expect(both.status).toBe(400);

    const importing = await t.request(`/api/v1/config/import?dry_run=true&passphrase=${encodeURIComponent(PASSPHRASE)}`, {
      method: 'POST',
      json: sealed,
    });
    expect(importing.status).toBe(400);
    expect(importing.body.error.fields).toEqual([{ path: 'passphrase', message: expect.stringMatching(/JSON body/) }]);
  });

  it('seals new exports with scrypt N >= 2^17, and they round-trip into a fresh store', async () => {
    expect(sealed.kdf).toMatchObject({ name: 'scrypt', r: 8, p: 1 });
    expect(sealed.kdf.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(JSON.stringify(sealed)).not.toContain(SECRET);

    const fresh = await startTestServer();
    try {
      const imported = await fresh.request('/api/v1/config/import', { method: 'POST', json: { ...sealed, passphrase: PASSPHRASE } });
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body.added).toEqual(['groq']);
      expect(fresh.desk.providers.revealKey('groq', 'main').value).toBe(SECRET);
      const again = await fresh.request('/api/v1/config/import', { method: 'POST', json: { ...sealed, passphrase: PASSPHRASE } });
      expect(again.body).toMatchObject({ added: [], changed: [], unchanged: ['groq'] });
    } finally {
      await fresh.close();
    }
  });

  it('still imports an envelope written with scrypt N=2^15 by the previous version', async () => {
    const res = await t.request('/api/v1/config/import', { method: 'POST', json: { ...LEGACY_ENVELOPE, passphrase: LEGACY_PASSPHRASE } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.added).toEqual(['legacy']);
    expect(t.desk.providers.revealKey('legacy', 'main').value).toBe(LEGACY_KEY);
  });

  const CRAFTED: Array<[string, Record<string, unknown>, string]> = [
    ['scrypt N=2^30', { name: 'scrypt', N: 2 ** 30, r: 8, p: 1 }, 'kdf.N'],
    ['scrypt N=2^21', { name: 'scrypt', N: 2 ** 21, r: 8, p: 1 }, 'kdf.N'],
    ['scrypt r=1024', { name: 'scrypt', N: 2 ** 17, r: 1024, p: 1 }, 'kdf.r'],
    ['scrypt p=16', { name: 'scrypt', N: 2 ** 17, r: 8, p: 16 }, 'kdf.p'],
    ['scrypt within each bound but too much work together', { name: 'scrypt', N: 2 ** 18, r: 8, p: 4 }, 'kdf.p'],
    ['PBKDF2 10M iterations', { name: 'pbkdf2-sha256', iterations: 10_000_000 }, 'kdf.iterations'],
    ['PBKDF2 1e12 iterations', { name: 'pbkdf2-sha256', iterations: 1e12 }, 'kdf.iterations'],
    ['an unknown KDF', { name: 'argon2id', m: 2 ** 30, t: 1000 }, 'kdf.name'],
  ];
  for (const [what, kdf, field] of CRAFTED) {
    it(`refuses a crafted envelope asking for ${what} at once, with a clear error`, async () => {
      const crafted = { ...sealed, kdf: { ...kdf, salt: sealed.kdf.salt } };
      const started = performance.now();
      const res = await t.request('/api/v1/config/import', { method: 'POST', json: { ...crafted, passphrase: PASSPHRASE } });
      const elapsed = performance.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
      expect(res.body.error.message).toMatch(/^This encrypted config cannot be read: kdf\./);
      expect(elapsed).toBeLessThan(500);
    });
  }
});

describe('provider-desk export --secrets encrypted', () => {
  const dir = tempDir('pd-sec-export-');
  const data = join(dir.path, 'data');
  const file = (name: string) => join(dir.path, name);
  afterAll(() => dir.remove());

  beforeAll(async () => {
    writeFileSync(file('seed.json'), JSON.stringify({ providers: { groq: { keys: [{ name: 'main', value: SECRET }] } } }));
    const seeded = await runCli(['import', file('seed.json'), '--data-dir', data]);
    expect(seeded.code, seeded.stderr).toBe(0);
  });

  it('never takes the passphrase as a command-line value', async () => {
    const run = await runCli(['export', '--secrets', 'encrypted', '--passphrase', PASSPHRASE, '--data-dir', data]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--passphrase'");
    expect(run.stderr + run.stdout).not.toContain(PASSPHRASE);
    const inline = await runCli(['export', '--secrets', 'encrypted', `--passphrase=${PASSPHRASE}`, '--data-dir', data]);
    expect(inline.code).toBe(2);
    expect(inline.stderr + inline.stdout).not.toContain(PASSPHRASE);

    const input = JSON.stringify({ passphrase: PASSPHRASE });
    const generic = await runCli(['call', 'config.exportEncrypted', input, '--data-dir', data]);
    expect(generic.code).toBe(2);
    expect(generic.stderr).toContain('passphrase must not be given on the command line');
    expect(generic.stderr).not.toContain(PASSPHRASE);
    const onStdin = await runCli(['call', 'config.exportEncrypted', '-', '--data-dir', data], {}, input);
    expect(onStdin.code, onStdin.stderr).toBe(0);
    expect(JSON.parse(onStdin.stdout).kdf.N).toBeGreaterThanOrEqual(2 ** 17);
  });

  it('without a passphrase source and no terminal, says where a passphrase can come from', async () => {
    const run = await runCli(['export', '--secrets', 'encrypted', '--data-dir', data], { PROVIDER_DESK_PASSPHRASE: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('at least 12 characters');
    expect(run.stderr).toContain('--passphrase-file');
    expect(run.stderr).toContain('PROVIDER_DESK_PASSPHRASE');
  });

  it('takes it from the environment, a file or standard input, and refuses a short one naming the field', async () => {
    const fromEnv = await runCli(['export', '--secrets', 'encrypted', '-o', file('env.json'), '--data-dir', data], {
      PROVIDER_DESK_PASSPHRASE: PASSPHRASE,
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const envelope = JSON.parse(readFileSync(file('env.json'), 'utf8'));
    expect(envelope.kdf.N).toBeGreaterThanOrEqual(2 ** 17);

    writeFileSync(file('pass.txt'), `${PASSPHRASE}\n`, { mode: 0o600 });
    const imported = await runCli(['import', file('env.json'), '--dry-run', '--json', '--data-dir', join(dir.path, 'other')], {
      PROVIDER_DESK_PASSPHRASE: '',
    });
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('is an encrypted export');
    const withFile = await runCli([
      'import',
      file('env.json'),
      '--passphrase-file',
      file('pass.txt'),
      '--json',
      '--data-dir',
      join(dir.path, 'other'),
    ]);
    expect(withFile.code, withFile.stderr).toBe(0);
    expect(JSON.parse(withFile.stdout).added).toEqual(['groq']);

    const fromStdin = await runCli(
      ['export', '--secrets', 'encrypted', '--passphrase-file', '-', '--data-dir', data],
      {},
      `${PASSPHRASE}\n`,
    );
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(JSON.parse(fromStdin.stdout).format).toBe('provider-desk-encrypted-config');

    const short = await runCli(['export', '--secrets', 'encrypted', '--data-dir', data], { PROVIDER_DESK_PASSPHRASE: 'too-short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('passphrase: must be at least 12 characters');
    expect(short.stderr).not.toContain('too-short');
  });
});
