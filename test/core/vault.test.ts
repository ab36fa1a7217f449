import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { Vault } from '../../src-main/core/vault/vault.js';
import { keyfileWrapper } from '../../src-main/core/vault/key-slots.js';
import { DeskError } from '../../src-main/core/contract/errors.js';

const CANARY = 'sk-canary-VAULT-7f3a9c1e5b2d4f6a8c0e1a3b5d7f9e2c';

function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('vault', () => {
  it('round-trips a key while its plaintext never reaches the database file or its WAL', async () => {
    const dir = tempDir();
    const desk = openTestDesk({ dataDir: dir.path });
    const provider = desk.providers.create({ name: 'openai', type: 'openai', api_keys: [{ value: CANARY }] });
    const keyId = provider.api_keys[0]!.id;
    expect(desk.providers.revealKey('openai', keyId).value).toBe(CANARY);
    expect(provider.api_keys[0]!.masked).toBe('sk-c...9e2c');
    // Before checkpointing the WAL holds the writes; after closing, the main file does. Both are scanned.
    for (const file of filesOf(dir.path)) expect(readFileSync(file).includes(CANARY), file).toBe(false);
    await desk.close();
    for (const file of filesOf(dir.path)) expect(readFileSync(file).includes(CANARY), file).toBe(false);
    dir.remove();
  });

  it('keeps everything across a restart with the same data dir', async () => {
    const dir = tempDir();
    const first = openTestDesk({ dataDir: dir.path });
    const created = first.providers.create({
      name: 'anthropic',
      type: 'anthropic',
      api_keys: [{ name: 'main', value: 'sk-ant-api03-abcdefgh' }],
    });
    const token = first.token.current();
    await first.close();
    const second = openTestDesk({ dataDir: dir.path });
    const again = second.providers.get('anthropic');
    expect(again.id).toBe(created.id);
    expect(again.api_keys.map((k) => k.name)).toEqual(['main']);
    expect(second.providers.revealKey('anthropic', 'main').value).toBe('sk-ant-api03-abcdefgh');
    expect(second.token.current()).toBe(token);
    await second.close();
    dir.remove();
  });

  it('writes the master key file with mode 0600', async () => {
    const dir = tempDir();
    const desk = openTestDesk({ dataDir: dir.path });
    expect(statSync(join(dir.path, 'master.key')).mode & 0o777).toBe(0o600);
    await desk.close();
    dir.remove();
  });

  it('refuses a wrong master key with a clear error instead of opening silently', async () => {
    const dir = tempDir();
    const right = 'a'.repeat(64);
    const desk = openTestDesk({ dataDir: dir.path, env: { PROVIDER_DESK_MASTER_KEY: right } });
    desk.providers.create({ name: 'openai', type: 'openai', api_keys: [{ value: 'sk-secret-value-1234567890' }] });
    await desk.close();
    expect(existsSync(join(dir.path, 'master.key'))).toBe(false);
    expect(() => openTestDesk({ dataDir: dir.path, env: { PROVIDER_DESK_MASTER_KEY: 'b'.repeat(64) } })).toThrow(
      /Cannot unlock the vault.*wrong master key/,
    );
    expect(() => openTestDesk({ dataDir: dir.path, env: { PROVIDER_DESK_MASTER_KEY: 'not-hex' } })).toThrow(/64 hexadecimal/);
    expect(() => openTestDesk({ dataDir: dir.path, env: {} })).toThrow(/master key file .* is missing/);
    const reopened = openTestDesk({ dataDir: dir.path, env: { PROVIDER_DESK_MASTER_KEY: right } });
    expect(reopened.providers.revealKey('openai', 'key-1').value).toBe('sk-secret-value-1234567890');
    await reopened.close();
    dir.remove();
  });

  it('binds each ciphertext to its row: a sealed secret moved to another row does not open', () => {
    const slots: Array<{ kind: string; wrapped: Buffer }> = [];
    const dir = tempDir();
    const vault = Vault.open({ listSlots: () => slots, putSlot: (kind, wrapped) => slots.push({ kind, wrapped }) }, [
      keyfileWrapper(dir.path, {}),
    ]);
    const sealed = vault.sealText('secret', 'api_keys:one:value');
    expect(vault.openText(sealed, 'api_keys:one:value')).toBe('secret');
    expect(() => vault.openText(sealed, 'api_keys:two:value')).toThrow(DeskError);
    // Same plaintext, fresh IV: two ciphertexts differ.
    expect(vault.sealText('secret', 'x').equals(vault.sealText('secret', 'x'))).toBe(false);
    dir.remove();
  });

  it('stores env.VAR references as references and resolves them only when used', async () => {
    const dir = tempDir();
    const env: NodeJS.ProcessEnv = {};
    const desk = openTestDesk({ dataDir: dir.path, env });
    const provider = desk.providers.create({ name: 'groq', type: 'groq', api_keys: [{ value: 'env.GROQ_KEY_FOR_TEST' }] });
    expect(provider.api_keys[0]).toMatchObject({ masked: 'env.GROQ_KEY_FOR_TEST', source: 'env' });
    expect(() => desk.providers.revealKey('groq', 'key-1')).toThrow(/GROQ_KEY_FOR_TEST.*not set/);
    env.GROQ_KEY_FOR_TEST = 'gsk_live_value_123456';
    expect(desk.providers.revealKey('groq', 'key-1').value).toBe('gsk_live_value_123456');
    await desk.close();
    for (const file of filesOf(dir.path)) expect(readFileSync(file).includes('gsk_live_value_123456')).toBe(false);
    dir.remove();
  });
});
