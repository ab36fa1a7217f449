import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServe, waitForExit } from '../helpers/cli.js';
import { tempDir } from '../helpers/desk.js';
import { LITERAL_SECRETS, OPENAI_KEY, PROVIDER_NAMES, realWorldConfig } from '../core/config-file/fixtures.js';

const dir = tempDir('pd-cli-config-');
const data = join(dir.path, 'data');
const file = (name: string) => join(dir.path, name);

beforeAll(() => {
  writeFileSync(file('config.json'), JSON.stringify(realWorldConfig(), null, 2));
  writeFileSync(file('passphrase.txt'), 'correct horse battery staple\n', { mode: 0o600 });
  writeFileSync(file('wrong.txt'), 'incorrect horse battery staple\n', { mode: 0o600 });
});
afterAll(() => dir.remove());

function expectNoSecrets(text: string): void {
  for (const secret of LITERAL_SECRETS) expect(text).not.toContain(secret);
}

describe('provider-desk import / export', () => {
  it('imports with a dry-run table first, then applies; exports in each mode; re-imports with nothing changed', async () => {
    const dry = await runCli(['import', file('config.json'), '--dry-run', '--data-dir', data]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^PROVIDER\s+CHANGE$/m);
    expect(dry.stdout).toMatch(/^embark\s+added$/m);
    expect(dry.stdout).toContain('7 added, 0 changed, 0 unchanged, 0 removed. Dry run: nothing was changed');
    expectNoSecrets(dry.stdout + dry.stderr);

    const applied = await runCli(['import', file('config.json'), '--data-dir', data]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('7 added, 0 changed, 0 unchanged, 0 removed. Applied.');
    expect(applied.stdout).toContain('Other sections: $schema (added), client (added), governance (added)');

    const redacted = await runCli(['export', '--data-dir', data]);
    expect(redacted.code, redacted.stderr).toBe(0);
    expectNoSecrets(redacted.stdout);
    expect(Object.keys(JSON.parse(redacted.stdout).providers).sort()).toEqual([...PROVIDER_NAMES].sort());

    const plain = await runCli(['export', '--secrets', 'plain', '-o', file('plain.json'), '--data-dir', data]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(statSync(file('plain.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(file('plain.json'), 'utf8')).toContain(OPENAI_KEY);
    expect(plain.stderr).toMatch(/plain export .* of 7 providers to /);
    expectNoSecrets(plain.stdout + plain.stderr);

    const sealed = await runCli([
      'export',
      '--secrets',
      'encrypted',
      '--passphrase-file',
      file('passphrase.txt'),
      '-o',
      file('sealed.json'),
      '--data-dir',
      data,
    ]);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(statSync(file('sealed.json')).mode & 0o777).toBe(0o600);
    expectNoSecrets(readFileSync(file('sealed.json'), 'utf8'));

    const reimport = await runCli([
      'import',
      file('sealed.json'),
      '--passphrase-file',
      file('passphrase.txt'),
      '--json',
      '--data-dir',
      data,
    ]);
    expect(reimport.code, reimport.stderr).toBe(0);
    expect(JSON.parse(reimport.stdout)).toMatchObject({ added: [], changed: [], removed: [], applied: true });
    expect(JSON.parse(reimport.stdout).unchanged).toHaveLength(7);

    const wrong = await runCli(['import', file('sealed.json'), '--passphrase-file', file('wrong.txt'), '--data-dir', data]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('The passphrase does not open this encrypted config');
    const none = await runCli(['import', file('sealed.json'), '--data-dir', data]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('is an encrypted export: give its passphrase with --passphrase-file');
  });

  it('exits non-zero with a readable message listing every bad path, or the JSON error', async () => {
    const doc = realWorldConfig();
    doc.providers.openai.keys[0].value = '';
    doc.providers.anthropic.network_config = { max_retries: 'many' };
    writeFileSync(file('bad.json'), JSON.stringify(doc));
    writeFileSync(file('broken.json'), '{"providers": {');
    const [bad, broken] = await Promise.all([
      runCli(['import', file('bad.json'), '--data-dir', join(dir.path, 'other')]),
      runCli(['import', file('broken.json'), '--data-dir', join(dir.path, 'other')]),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('  - providers.openai.keys[0].value: is required');
    expect(bad.stderr).toContain('  - providers.anthropic.network_config.max_retries:');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON/);
  });

  it('works while a server runs on the same data dir', async () => {
    const shared = join(dir.path, 'shared');
    const { child, url } = await startServe(['--port', '0', '--data-dir', shared]);
    try {
      const run = await runCli(['import', file('config.json'), '--data-dir', shared]);
      expect(run.code, run.stderr).toBe(0);
      const token = readFileSync(join(shared, 'api-token'), 'utf8').trim();
      const list = await fetch(`${url}/api/v1/providers?limit=100`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await list.json()) as { total: number }).total).toBe(7);
      const exported = await runCli(['export', '--data-dir', shared]);
      expect(exported.code, exported.stderr).toBe(0);
      expectNoSecrets(exported.stdout);
    } finally {
      child.kill('SIGTERM');
      await waitForExit(child);
    }
  });
});
