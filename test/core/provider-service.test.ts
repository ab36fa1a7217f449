import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk } from '../helpers/desk.js';
import type { Desk } from '../../src-main/core/desk.js';
import { DeskError } from '../../src-main/core/contract/errors.js';
import type { OperationName } from '../../src-main/core/contract/operations.js';

let desk: Desk;
afterEach(async () => desk?.close());

async function call<N extends OperationName>(name: N, input: unknown) {
  return desk.dispatch(name, input, { transport: 'http' });
}

describe('ProviderService', () => {
  it('fills the catalog default base URL and local defaults', () => {
    desk = openTestDesk();
    const openai = desk.providers.create({ name: 'openai', type: 'openai' });
    expect(openai).toMatchObject({
      base_url: 'https://api.openai.com/v1',
      enabled: true,
      status: 'untested',
      state: 'unknown',
      revision: 1,
      seq: 1,
    });
    expect(openai.network_config.allow_private_network).toBe(false);
    const ollama = desk.providers.create({ name: 'ollama', type: 'ollama' });
    expect(ollama).toMatchObject({ base_url: 'http://localhost:11434', seq: 2 });
    expect(ollama.network_config.allow_private_network).toBe(true);
  });

  it('resolves aliases: google is gemini, other is openai-compat', async () => {
    desk = openTestDesk();
    const result = await call('providers.create', { name: 'g', type: 'google' });
    expect(result.ok && result.data.type).toBe('gemini');
    const other = await call('providers.create', { name: 'o', type: 'other', base_url: 'http://127.0.0.1:9/v1' });
    expect(other.ok && other.data.type).toBe('openai-compat');
  });

  it('names each invalid field', async () => {
    desk = openTestDesk();
    const result = await call('providers.create', {
      name: 'Bad Name',
      type: 'nope',
      base_url: 'ftp://x',
      api_keys: [{ value: ' padded ' }],
      surprise: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation_failed');
    const paths = result.error.fields?.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'type', 'base_url', 'api_keys[0].value', '']));
    expect(result.error.message).toContain('surprise');
  });

  it('requires a base URL for types without a default', () => {
    desk = openTestDesk();
    expect(() => desk.providers.create({ name: 'compat', type: 'openai-compat' })).toThrow(
      /base_url is required|is required for type openai-compat/,
    );
  });

  it('rejects a duplicate name with conflict and writes nothing', () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'openai', type: 'openai' });
    expect(() => desk.providers.create({ name: 'openai', type: 'openai', api_keys: [{ value: 'sk-1234567890' }] })).toThrow(DeskError);
    expect(desk.providers.list({}).total).toBe(1);
    expect(desk.repo.db.prepare('SELECT COUNT(*) AS n FROM api_keys').get()).toEqual({ n: 0 });
  });

  it('rolls back the whole create when one key is invalid', () => {
    desk = openTestDesk();
    expect(() =>
      desk.providers.create({
        name: 'x',
        type: 'openai',
        api_keys: [
          { name: 'a', value: 'sk-1111111111' },
          { name: 'a', value: 'sk-2222222222' },
        ],
      }),
    ).toThrow(/already exists/);
    expect(desk.providers.list({}).total).toBe(0);
  });

  it('merges patches, bumps the revision and refuses stale revisions with 412', async () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'openai', type: 'openai' });
    const updated = desk.providers.update('openai', { display_name: 'Work', network_config: { max_retries: 3 } });
    expect(updated).toMatchObject({ display_name: 'Work', revision: 2 });
    expect(updated.network_config).toMatchObject({ max_retries: 3, default_request_timeout_in_seconds: 30 });
    const again = desk.providers.update('openai', { network_config: { default_request_timeout_in_seconds: 10 } }, 2);
    expect(again.network_config).toMatchObject({ max_retries: 3, default_request_timeout_in_seconds: 10 });
    const stale = await call('providers.update', { idOrName: 'openai', revision: 2, display_name: 'lost' });
    expect(!stale.ok && stale.error.code).toBe('precondition_failed');
    expect(desk.providers.get('openai').display_name).toBe('Work');
  });

  it('reads backoffs as milliseconds or Go durations, and names a bad one', async () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'openai', type: 'openai' });
    const ok = await call('providers.update', {
      idOrName: 'openai',
      network_config: { retry_backoff_initial: '250ms', retry_backoff_max: '1m30s' },
    });
    expect(ok.ok && ok.data.network_config).toMatchObject({ retry_backoff_initial: 250, retry_backoff_max: 90_000 });
    const bad = await call('providers.update', { idOrName: 'openai', network_config: { retry_backoff_max: 'soon' } });
    expect(!bad.ok && bad.error.fields?.map((f) => f.path)).toEqual(['network_config.retry_backoff_max']);
  });

  it('changes the config hash when config changes and only then', () => {
    desk = openTestDesk();
    const a = desk.providers.create({ name: 'openai', type: 'openai' });
    const same = desk.providers.update('openai', { description: 'notes' });
    expect(same.config_hash).toBe(a.config_hash);
    const changed = desk.providers.update('openai', { network_config: { max_retries: 1 } });
    expect(changed.config_hash).not.toBe(a.config_hash);
  });

  it('changes the config hash when the proxy password changes, without storing the password', () => {
    desk = openTestDesk();
    const a = desk.providers.create({
      name: 'p',
      type: 'openai',
      proxy_config: { type: 'http', url: 'http://127.0.0.1:8080', password: 'first-pass' },
    });
    const same = desk.providers.update('p', { description: 'notes' });
    expect(same.config_hash).toBe(a.config_hash);
    const kept = desk.providers.update('p', { proxy_config: { password: '<REDACTED>' } });
    expect(kept.config_hash).toBe(a.config_hash);
    const changed = desk.providers.update('p', { proxy_config: { password: 'second-pass' } });
    expect(changed.config_hash).not.toBe(a.config_hash);
    const row = desk.providers.requireRow('p');
    expect(`${row.proxy_config}${row.settings}${row.config_hash}`).not.toMatch(/first-pass|second-pass/);
  });

  it('keeps secret settings and the proxy password in the vault and shows them only as redacted', async () => {
    desk = openTestDesk();
    const created = desk.providers.create({
      name: 'bedrock',
      type: 'bedrock',
      settings: { region: 'eu-west-1', access_key: 'AKIAEXAMPLE123', access_key_secret: 'bedrock-secret-canary' },
      proxy_config: { type: 'http', url: 'http://127.0.0.1:8080', username: 'me', password: 'proxy-pass-canary' },
    });
    expect(created.settings).toEqual({ region: 'eu-west-1', access_key: '<REDACTED>', access_key_secret: '<REDACTED>' });
    expect(created.proxy_config).toMatchObject({ type: 'http', username: 'me', has_password: true });
    expect(JSON.stringify(created)).not.toMatch(/canary/);
    // Sending the redacted marker back keeps the stored secret; a new value replaces it.
    desk.providers.update('bedrock', { settings: { region: 'us-east-1', access_key_secret: '<REDACTED>' } });
    const row = desk.providers.requireRow('bedrock');
    const { openProviderSecrets } = await import('../../src-main/core/service/provider-writer.js');
    expect(openProviderSecrets(desk.vault, row)).toEqual({
      access_key: 'AKIAEXAMPLE123',
      access_key_secret: 'bedrock-secret-canary',
      'proxy.password': 'proxy-pass-canary',
    });
    desk.providers.update('bedrock', { proxy_config: null });
    expect(openProviderSecrets(desk.vault, desk.providers.requireRow('bedrock'))).not.toHaveProperty('proxy.password');
  });

  it('adds, renames, disables and deletes keys, bumping the provider revision', () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'openai', type: 'openai', api_keys: [{ value: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa' }] });
    const added = desk.providers.addKey('openai', { name: 'backup', value: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', weight: 2 });
    expect(added).toMatchObject({ name: 'backup', weight: 2, enabled: true, status: 'untested' });
    const renamed = desk.providers.updateKey('openai', added.id, { name: 'spare', enabled: false });
    expect(renamed).toMatchObject({ name: 'spare', enabled: false });
    expect(() => desk.providers.updateKey('openai', added.id, { name: 'key-1' })).toThrow(/already exists/);
    desk.providers.removeKey('openai', 'key-1');
    const provider = desk.providers.get('openai');
    expect(provider.api_keys.map((k) => k.name)).toEqual(['spare']);
    expect(provider.revision).toBe(4);
  });

  it('replaces the key list in one go (Coder semantics)', () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'openai', type: 'openai', api_keys: [{ value: 'sk-aaaaaaaaaaaa' }, { value: 'sk-bbbbbbbbbbbb' }] });
    const [first] = desk.providers.get('openai').api_keys;
    const row = desk.providers.requireRow('openai');
    desk.repo.transaction(() => desk.providers.replaceKeys(row, [{ value: 'sk-cccccccccccc' }, { id: first!.id }]));
    const keys = desk.providers.get('openai').api_keys;
    expect(keys.map((k) => k.id)[1]).toBe(first!.id);
    expect(keys).toHaveLength(2);
    expect(() => desk.repo.transaction(() => desk.providers.replaceKeys(row, [{ id: 'nope' }]))).toThrow(/unknown id/);
    expect(desk.providers.get('openai').api_keys).toHaveLength(2);
  });

  it('searches, filters, sorts and pages in SQL', () => {
    desk = openTestDesk();
    for (const [name, type] of [
      ['alpha', 'openai'],
      ['beta', 'anthropic'],
      ['gamma', 'openai'],
      ['delta', 'groq'],
    ] as const) {
      desk.providers.create({ name, type });
    }
    expect(
      desk.providers
        .list({ search: 'ta' })
        .items.map((p) => p.name)
        .sort(),
    ).toEqual(['beta', 'delta']);
    expect(desk.providers.list({ types: ['openai'], sortBy: 'name', order: 'desc' }).items.map((p) => p.name)).toEqual(['gamma', 'alpha']);
    const page = desk.providers.list({ sortBy: 'name', order: 'asc', limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.items.map((p) => p.name)).toEqual(['beta', 'delta']);
    expect(desk.providers.list({ search: '%' }).total).toBe(0);
  });

  it('sorts by display name as shown: a provider without one sorts under its name', () => {
    desk = openTestDesk();
    desk.providers.create({ name: 'mistral', type: 'mistral' });
    desk.providers.create({ name: 'a', type: 'openai', display_name: 'Zulu' });
    desk.providers.create({ name: 'b', type: 'openai', display_name: 'alpha' });
    expect(desk.providers.list({ sortBy: 'display_name', order: 'asc' }).items.map((p) => p.name)).toEqual(['b', 'mistral', 'a']);
  });

  it('filters by the stored health, the word every view shows: ok, degraded, error, offline, untested', () => {
    desk = openTestDesk();
    const set = (name: string, health: string) => {
      desk.providers.create({ name, type: 'openai' });
      const row = desk.providers.requireRow(name);
      desk.repo.updateProvider({ ...row, health }, row.revision);
    };
    set('up', 'ok');
    set('half', 'degraded');
    set('refused', 'offline');
    set('rejected', 'error');
    desk.providers.create({ name: 'fresh', type: 'openai' });
    const names = (health: 'ok' | 'degraded' | 'offline' | 'error' | 'untested') =>
      desk.providers.list({ health, sortBy: 'name', order: 'asc' }).items.map((p) => p.name);
    expect(names('ok')).toEqual(['up']);
    expect(names('degraded')).toEqual(['half']);
    expect(names('offline')).toEqual(['refused']);
    expect(names('error')).toEqual(['rejected']);
    expect(names('untested')).toEqual(['fresh']);
    // Sorting by health puts the worst first.
    expect(desk.providers.list({ sortBy: 'health', order: 'asc' }).items.map((p) => p.name)).toEqual([
      'rejected',
      'refused',
      'half',
      'up',
      'fresh',
    ]);
  });
});
