import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../../src-main/core/desk.js';
import type { OperationName } from '../../../src-main/core/contract/operations.js';
import { openTestDesk } from '../../helpers/desk.js';
import {
  ANTHROPIC_KEY,
  AWS_SECRET,
  AZURE_KEY,
  CUSTOM_KEY,
  GOVERNANCE_PASSWORD,
  LITERAL_SECRETS,
  OPENAI_KEY,
  PROVIDER_NAMES,
  PROXY_PASSWORD,
  realWorldConfig,
} from './fixtures.js';

let desk: Desk;
beforeEach(() => {
  desk = openTestDesk({ env: { ...process.env, OPENAI_API_KEY: 'sk-from-env-1234567890', PROVIDER_DESK_MASTER_KEY: undefined } });
});
afterEach(async () => desk.close());

async function op(name: OperationName, input: unknown): Promise<any> {
  const result = await desk.dispatch(name, input, { transport: 'ipc' });
  if (!result.ok) throw Object.assign(new Error(result.error.message), { body: result.error });
  return result.data;
}

async function failure(
  name: OperationName,
  input: unknown,
): Promise<{ code: string; message: string; fields: Array<{ path: string; message: string }> }> {
  const result = await desk.dispatch(name, input, { transport: 'ipc' });
  if (result.ok) throw new Error(`${name} succeeded but should have failed`);
  return { code: result.error.code, message: result.error.message, fields: result.error.fields ?? [] };
}

/** Everything the import may touch, sealed blobs included. */
function snapshot() {
  const rows = desk.repo.allProviders();
  return { rows, keys: [...desk.repo.keysOfMany(rows.map((r) => r.id)).entries()], meta: desk.repo.getMeta('config_file.state') ?? null };
}

function reveal(provider: string, key: string): string {
  return desk.providers.revealKey(provider, key).value;
}

const importDoc = (doc: object, flags: object = {}) => op('config.import', { ...doc, ...flags });

describe('config.json import', () => {
  it('shows a dry-run diff of a real-world config without changing anything', async () => {
    const before = snapshot();
    const diff = await importDoc(realWorldConfig(), { dry_run: true });
    expect(diff).toEqual({
      added: PROVIDER_NAMES,
      changed: [],
      unchanged: [],
      removed: [],
      applied: false,
      sections: { added: ['$schema', 'client', 'governance', 'mcp', 'config_store', 'plugins'], changed: [], unchanged: [], removed: [] },
      destinations: [],
      changes: {},
    });
    expect(snapshot()).toEqual(before);
  });

  it('applies it: types from names and base_provider_type, typed key configs, env references, keyless entries', async () => {
    const diff = await importDoc(realWorldConfig());
    expect(diff).toMatchObject({ added: PROVIDER_NAMES, applied: true });

    const openai = desk.providers.get('openai');
    expect(openai).toMatchObject({
      type: 'openai',
      base_url: 'https://api.openai.com/v1',
      concurrency_and_buffer_size: { concurrency: 10, buffer_size: 100 },
    });
    expect(openai.network_config).toMatchObject({
      default_request_timeout_in_seconds: 60,
      max_retries: 2,
      retry_backoff_initial: 250,
      retry_backoff_max: 2000,
    });
    expect(openai.proxy_config).toMatchObject({
      type: 'http',
      url: 'http://proxy.corp.example:3128',
      username: 'svc-llm',
      has_password: true,
    });
    expect(openai.api_keys.map((k) => [k.name, k.source, k.enabled, k.weight])).toEqual([
      ['openai-primary', 'literal', true, 0.7],
      ['openai-backup', 'env', false, 0.3],
    ]);
    expect(reveal('openai', 'openai-primary')).toBe(OPENAI_KEY);
    expect(reveal('openai', 'openai-backup')).toBe('sk-from-env-1234567890');

    const azure = desk.providers.get('azure');
    expect(azure.api_keys[0]).toMatchObject({ id: '7d1c7f5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', name: 'azure-eastus' });
    expect(azure.api_keys[0]!.key_config).toEqual({
      azure_key_config: {
        endpoint: 'https://my-resource.openai.azure.com',
        api_version: '2024-10-21',
        deployments: { 'gpt-4o': 'gpt-4o-prod', 'gpt-4o-mini': 'gpt-4o-mini-eu' },
      },
    });
    expect(reveal('azure', 'azure-eastus')).toBe(AZURE_KEY);

    const bedrock = desk.providers.get('bedrock');
    expect(bedrock.api_keys[0]!.key_config).toMatchObject({
      bedrock_key_config: { region: 'us-east-1', access_key: '<REDACTED>', secret_key: '<REDACTED>' },
    });
    expect(bedrock.api_keys[0]!.use_for_batch_api).toBe(true);
    expect(desk.providers.get('vertex').api_keys[0]!.key_config).toMatchObject({
      vertex_key_config: { project_id: 'my-gcp-project', auth_credentials: '<REDACTED>' },
    });
    expect(desk.providers.get('ollama')).toMatchObject({
      type: 'ollama',
      base_url: 'http://localhost:11434',
      network_config: { allow_private_network: true },
    });

    const embark = desk.providers.get('embark');
    expect(embark).toMatchObject({
      type: 'openai',
      base_url: 'https://llm.embark.example/v1',
      network_config: { extra_headers: { 'X-Team': 'platform' } },
    });
    expect(embark.custom_provider_config).toEqual({
      is_key_less: false,
      base_provider_type: 'openai',
      allowed_requests: { list_models: true, chat_completion: true, chat_completion_stream: true, rerank: true },
      request_path_overrides: { chat_completion: '/v1/chat' },
    });
  });

  it('reports everything unchanged when the same file is imported again, and writes nothing', async () => {
    await importDoc(realWorldConfig());
    const before = snapshot();
    const diff = await importDoc(realWorldConfig());
    expect(diff).toMatchObject({ added: [], changed: [], unchanged: PROVIDER_NAMES, removed: [], applied: true });
    expect(diff.sections.unchanged).toEqual(['$schema', 'client', 'governance', 'mcp', 'config_store', 'plugins']);
    expect(snapshot()).toEqual(before);
  });

  it('detects a change of a key value, models, weight, enabled flag, typed config and network settings', async () => {
    await importDoc(realWorldConfig());
    const cases: Array<[string, (doc: any) => void]> = [
      ['openai', (doc) => (doc.providers.openai.keys[0].value = 'sk-proj-rotated-000000000000000000000')],
      ['openai', (doc) => (doc.providers.openai.keys[1].models = ['gpt-4.1'])],
      ['anthropic', (doc) => (doc.providers.anthropic.keys[0].weight = 2)],
      ['anthropic', (doc) => (doc.providers.anthropic.keys[0].enabled = false)],
      ['azure', (doc) => (doc.providers.azure.keys[0].azure_key_config.deployments['gpt-4o'] = 'gpt-4o-canary')],
      ['bedrock', (doc) => (doc.providers.bedrock.keys[0].bedrock_key_config.secret_key = 'another-aws-secret-key-0000000000000000')],
      ['ollama', (doc) => (doc.providers.ollama.network_config.max_retries = 3)],
      ['embark', (doc) => (doc.providers.embark.openai_config.disable_store = false)],
      ['vertex', (doc) => (doc.providers.vertex.provider_desk = { display_name: 'Vertex (prod)' })],
    ];
    for (const [name, mutate] of cases) {
      const doc = realWorldConfig();
      mutate(doc);
      const diff = await importDoc(doc, { dry_run: true });
      expect(diff.changed, `after changing ${name}`).toEqual([name]);
      expect(diff.unchanged).toHaveLength(PROVIDER_NAMES.length - 1);
    }
    const rotated = realWorldConfig();
    rotated.providers.openai.keys[0].value = 'sk-proj-rotated-000000000000000000000';
    rotated.providers.bedrock.keys[0].bedrock_key_config.secret_key = 'another-aws-secret-key-0000000000000000';
    expect((await importDoc(rotated)).changed).toEqual(['openai', 'bedrock']);
    expect(reveal('openai', 'openai-primary')).toBe('sk-proj-rotated-000000000000000000000');
    expect(desk.providers.get('openai').api_keys.map((k) => k.name)).toEqual(['openai-primary', 'openai-backup']);
  });

  it('rejects an invalid file naming every bad path, and changes nothing', async () => {
    await importDoc(realWorldConfig());
    const before = snapshot();
    const doc = realWorldConfig();
    doc.providers.openai.keys[1].value = '';
    // Bifrost sets no maximum (12 retries are valid), only the minimum of 0.
    doc.providers.openai.network_config.max_retries = -1;
    doc.providers.anthropic.keys[0].weight = -1;
    doc.providers.anthropic.concurrency_and_buffer_size = { concurrency: 50, buffer_size: 10 };
    doc.providers.azure.keys.push({ name: 'azure-eastus', value: 'x'.repeat(40) });
    doc.providers.embark.custom_provider_config.base_provider_type = 'mystery';
    doc.providers['Bad_Name'] = { keys: [] };
    doc.providers.mystery = { keys: [{ value: 'k-123456789' }] };
    doc.providers.openai.proxy_config.url = 'ftp://nope';
    doc.providers.openai.keys[0].value = 'env.1BAD';
    const error = await failure('config.import', doc);
    expect(error.code).toBe('validation_failed');
    expect(error.fields.map((f) => f.path).sort()).toEqual(
      [
        'providers.openai.keys[1].value',
        'providers.openai.keys[0].value',
        'providers.openai.network_config.max_retries',
        'providers.openai.proxy_config.url',
        'providers.anthropic.keys[0].weight',
        'providers.anthropic.concurrency_and_buffer_size.concurrency',
        'providers.azure.keys[1].name',
        'providers.embark.custom_provider_config.base_provider_type',
        'providers.Bad_Name',
        'providers.Bad_Name.custom_provider_config.base_provider_type',
        'providers.mystery.custom_provider_config.base_provider_type',
      ].sort(),
    );
    expect(error.fields.find((f) => f.path === 'providers.openai.keys[1].value')!.message).toMatch(/needs an API key/);
    expect(snapshot()).toEqual(before);
  });

  it('keeps stored secrets for <REDACTED> and Bifrost masks, and says where nothing is stored to keep', async () => {
    await importDoc(realWorldConfig());
    const doc = realWorldConfig();
    doc.providers.openai.keys[0].value = '<REDACTED>';
    doc.providers.anthropic.keys[0].value = `${ANTHROPIC_KEY.slice(0, 4)}${'*'.repeat(24)}${ANTHROPIC_KEY.slice(-4)}`;
    doc.providers.azure.keys[0].value = { value: '<REDACTED>', env_var: '', from_env: false };
    doc.providers.bedrock.keys[0].bedrock_key_config.secret_key = '<REDACTED>';
    doc.providers.openai.proxy_config.password = '<REDACTED>';
    doc.governance.auth_config.admin_password = '<REDACTED>';
    expect(await importDoc(doc, { dry_run: true })).toMatchObject({ changed: [], unchanged: PROVIDER_NAMES, sections: { changed: [] } });
    await importDoc(doc);
    expect(reveal('openai', 'openai-primary')).toBe(OPENAI_KEY);
    expect(reveal('anthropic', 'claude')).toBe(ANTHROPIC_KEY);
    expect(reveal('azure', 'azure-eastus')).toBe(AZURE_KEY);

    const wrongMask = realWorldConfig();
    wrongMask.providers.anthropic.keys[0].value = `abcd${'*'.repeat(24)}wxyz`;
    expect((await failure('config.import', wrongMask)).fields.map((f) => f.path)).toEqual(['providers.anthropic.keys[0].value']);

    await desk.close();
    desk = openTestDesk();
    const error = await failure('config.import', doc);
    expect(error.fields.map((f) => f.path).sort()).toEqual(
      [
        'providers.openai.keys[0].value',
        'providers.openai.proxy_config.password',
        'providers.anthropic.keys[0].value',
        'providers.azure.keys[0].value',
        'providers.bedrock.keys[0].bedrock_key_config.secret_key',
        'governance.auth_config.admin_password',
      ].sort(),
    );
    expect(desk.repo.allProviders()).toEqual([]);
  });

  it('reads Bifrost secret objects and keeps a key with an empty value for keyless providers only', async () => {
    const doc = {
      providers: {
        openai: {
          keys: [{ name: 'env-object', value: { value: '', env_var: 'env.OPENAI_API_KEY', from_env: true }, models: [], weight: 1 }],
        },
        vllm: { keys: [{ name: 'local', value: '', vllm_key_config: { url: 'http://127.0.0.1:8000', model_name: 'llama' } }] },
        sgl: { keys: [{ name: 'local', value: '', sgl_key_config: { url: 'http://127.0.0.1:30000' } }] },
      },
    };
    await importDoc(doc);
    expect(desk.providers.get('openai').api_keys[0]).toMatchObject({ source: 'env', masked: 'env.OPENAI_API_KEY' });
    expect(desk.providers.get('vllm').api_keys[0]!.key_config).toEqual({
      vllm_key_config: { url: 'http://127.0.0.1:8000', model_name: 'llama' },
    });
    const exported = await op('config.export', {});
    expect(exported.providers.sgl.keys[0]).toMatchObject({ value: '', sgl_key_config: { url: 'http://127.0.0.1:30000' } });
    expect((await importDoc(exported, { dry_run: true })).unchanged).toEqual(['openai', 'sgl', 'vllm']);
  });

  it('matches keys by id, then by name, then (nameless) by value; new keys get free names', async () => {
    await importDoc(realWorldConfig());
    const azureId = desk.providers.get('azure').api_keys[0]!.id;
    const doc = realWorldConfig();
    doc.providers.azure.keys[0].name = 'azure-renamed';
    doc.providers.anthropic.keys = [{ value: ANTHROPIC_KEY, models: ['*'], weight: 1 }, { value: 'sk-ant-second-key-0000000000000' }];
    const diff = await importDoc(doc);
    expect(diff.changed.sort()).toEqual(['anthropic', 'azure']);
    expect(desk.providers.get('azure').api_keys.map((k) => [k.id, k.name])).toEqual([[azureId, 'azure-renamed']]);
    expect(desk.providers.get('anthropic').api_keys.map((k) => k.name)).toEqual(['claude', 'key-2']);
    // Swapping two names through their ids works too.
    const ids = desk.providers.get('anthropic').api_keys.map((k) => k.id);
    const swap = realWorldConfig();
    swap.providers.anthropic.keys = [
      { id: ids[0], name: 'key-2', value: '<REDACTED>', models: ['*'] },
      { id: ids[1], name: 'claude', value: '<REDACTED>', models: [] },
    ];
    await importDoc(swap);
    expect(desk.providers.get('anthropic').api_keys.map((k) => [k.id, k.name])).toEqual([
      [ids[0], 'key-2'],
      [ids[1], 'claude'],
    ]);
    expect(reveal('anthropic', 'key-2')).toBe(ANTHROPIC_KEY);
  });

  it('deletes nothing without prune; with prune removes providers, keys and sections the file lacks', async () => {
    await importDoc(realWorldConfig());
    const doc = realWorldConfig();
    delete doc.providers.anthropic;
    delete doc.providers.embark;
    delete doc.mcp;
    doc.providers.openai.keys.pop();
    expect(await importDoc(doc)).toMatchObject({ removed: [], changed: [], sections: { removed: [] } });
    expect(desk.providers.get('anthropic').name).toBe('anthropic');
    expect(desk.providers.get('openai').api_keys).toHaveLength(2);

    const dry = await importDoc(doc, { prune: true, dry_run: true });
    expect(dry).toMatchObject({ removed: ['anthropic', 'embark'], changed: ['openai'], applied: false, sections: { removed: ['mcp'] } });
    expect(desk.providers.list({}).total).toBe(7);
    await importDoc(doc, { prune: 'true' });
    expect(
      desk.providers
        .list({})
        .items.map((p) => p.name)
        .sort(),
    ).toEqual(['azure', 'bedrock', 'ollama', 'openai', 'vertex']);
    expect(desk.providers.get('openai').api_keys.map((k) => k.name)).toEqual(['openai-primary']);
    const exported = await op('config.export', {});
    expect(exported.mcp).toBeUndefined();
    expect(exported.governance).toBeDefined();

    const missing = await failure('config.import', { client: {}, prune: true });
    expect(missing.fields).toEqual([{ path: 'providers', message: expect.stringMatching(/required when pruning/) }]);
  });

  it('refuses to change the type of a stored provider', async () => {
    await importDoc(realWorldConfig());
    const doc = realWorldConfig();
    doc.providers.embark.custom_provider_config.base_provider_type = 'anthropic';
    const error = await failure('config.import', doc);
    expect(error.fields).toEqual([{ path: 'providers.embark', message: expect.stringMatching(/type cannot change/) }]);
  });

  it('lets a file leave out the type of a provider stored under a non-standard name, and asks it of a new one', async () => {
    desk.providers.create({ name: 'team-llm', type: 'groq', api_keys: [{ name: 'main', value: 'gsk_team_llm_0123456789abcdef' }] });
    const edited = {
      providers: {
        'team-llm': { keys: [{ name: 'main', value: '<REDACTED>', models: [], weight: 1 }], network_config: { max_retries: 5 } },
      },
    };
    const applied = (await importDoc(edited)) as { changed: string[] };
    expect(applied.changed).toEqual(['team-llm']);
    expect(desk.providers.get('team-llm')).toMatchObject({ type: 'groq', network_config: { max_retries: 5 } });
    expect(reveal('team-llm', 'main')).toBe('gsk_team_llm_0123456789abcdef');
    // A new non-standard name still has to say what it is; a stored provider's id is not its name.
    const fresh = { providers: { 'other-llm': edited.providers['team-llm'] } };
    const error = await failure('config.import', fresh);
    expect(error.fields.map((f) => f.path)).toContain('providers.other-llm.custom_provider_config.base_provider_type');
    const byId = { providers: { [desk.providers.get('team-llm').id]: edited.providers['team-llm'] } };
    expect((await failure('config.import', byId)).code).toBe('validation_failed');
  });

  it('gives a key a fresh id when the file reuses one held by another provider', async () => {
    await importDoc(realWorldConfig());
    const doc = {
      providers: { 'azure-copy': { provider_desk: { type: 'azure' }, keys: [{ ...realWorldConfig().providers.azure.keys[0] }] } },
    };
    await importDoc(doc);
    const copy = desk.providers.get('azure-copy').api_keys[0]!;
    expect(copy.name).toBe('azure-eastus');
    expect(copy.id).not.toBe('7d1c7f5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f');
  });
});

describe('config.json export', () => {
  beforeEach(async () => {
    await importDoc(realWorldConfig());
  });

  it('redacts literal secrets by default, keeps env references, sections and fields it does not model', async () => {
    const exported = await op('config.export', {});
    const text = JSON.stringify(exported);
    for (const secret of LITERAL_SECRETS) expect(text).not.toContain(secret);
    expect(Object.keys(exported)).toEqual(['$schema', 'client', 'providers', 'governance', 'mcp', 'config_store', 'plugins']);
    expect(exported.providers.openai.keys[0]).toMatchObject({
      name: 'openai-primary',
      value: '<REDACTED>',
      models: ['gpt-4o', 'gpt-4o-mini'],
      weight: 0.7,
    });
    expect(exported.providers.openai.keys[1]).toMatchObject({ value: 'env.OPENAI_API_KEY', enabled: false });
    expect(exported.providers.openai.proxy_config).toEqual({
      type: 'http',
      url: 'http://proxy.corp.example:3128',
      username: 'svc-llm',
      password: '<REDACTED>',
    });
    expect(exported.providers.bedrock.keys[0].bedrock_key_config).toMatchObject({
      access_key: 'env.AWS_ACCESS_KEY_ID',
      secret_key: '<REDACTED>',
    });
    expect(exported.providers.vertex.keys[0].vertex_key_config.auth_credentials).toBe('env.VERTEX_CREDENTIALS');
    expect(exported.governance).toEqual({
      auth_config: { is_enabled: true, admin_username: 'admin', admin_password: '<REDACTED>' },
      virtual_keys: [{ id: 'vk-1', name: 'team-a', value: 'env.BIFROST_VK_TEAM_A', is_active: true }],
    });
    expect(exported.providers.embark).toMatchObject({
      network_config: { enforce_http2: true, base_url: 'https://llm.embark.example/v1' },
      custom_provider_config: { allowed_requests: { rerank: true, list_models: true } },
      openai_config: { disable_store: true },
    });
    expect(exported.providers.embark.provider_desk).toBeUndefined();
    expect(exported.mcp).toEqual(realWorldConfig().mcp);
  });

  it('round-trips redacted, plain and encrypted exports with everything unchanged and working secrets', async () => {
    const redacted = await op('config.export', { secrets: 'redacted' });
    const plain = await op('config.export', { secrets: 'plain' });
    expect(JSON.stringify(plain)).toContain(OPENAI_KEY);
    expect(plain.providers.bedrock.keys[0].bedrock_key_config.secret_key).toBe(AWS_SECRET);
    expect(plain.providers.openai.proxy_config.password).toBe(PROXY_PASSWORD);
    expect(plain.governance.auth_config.admin_password).toBe(GOVERNANCE_PASSWORD);
    const envelope = await op('config.exportEncrypted', { secrets: 'encrypted', passphrase: 'correct horse battery staple' });
    const before = snapshot();
    for (const doc of [redacted, plain]) {
      expect(await importDoc(doc)).toMatchObject({
        added: [],
        changed: [],
        removed: [],
        unchanged: [...PROVIDER_NAMES].sort(),
        sections: { changed: [] },
      });
    }
    expect(await importDoc(envelope, { passphrase: 'correct horse battery staple' })).toMatchObject({
      changed: [],
      unchanged: [...PROVIDER_NAMES].sort(),
    });
    expect(snapshot()).toEqual(before);
    expect(reveal('embark', 'embark-cluster')).toBe(CUSTOM_KEY);
    expect(reveal('openai', 'openai-primary')).toBe(OPENAI_KEY);
  });

  it('moves a whole setup into a fresh store through plain and encrypted exports', async () => {
    const plain = await op('config.export', { secrets: 'plain' });
    const envelope = await op('config.exportEncrypted', { passphrase: 'correct horse battery staple', kdf: 'pbkdf2-sha256' });
    for (const [doc, flags] of [
      [plain, {}],
      [envelope, { passphrase: 'correct horse battery staple' }],
    ] as const) {
      await desk.close();
      desk = openTestDesk();
      expect((await importDoc(doc, flags)).added).toEqual([...PROVIDER_NAMES].sort());
      expect(desk.providers.get('bedrock').api_keys[0]).toMatchObject({ name: 'bedrock-iam', masked: '' });
      expect(reveal('anthropic', 'claude')).toBe(ANTHROPIC_KEY);
      expect(await op('config.export', { secrets: 'plain' })).toEqual(plain);
    }
  });

  it('seals the encrypted export so that it opens only with the right passphrase', async () => {
    const envelope = await op('config.exportEncrypted', { passphrase: 'correct horse battery staple' });
    expect(Object.keys(envelope)).toEqual(['format', 'version', 'kdf', 'cipher', 'iv', 'tag', 'ciphertext']);
    expect(envelope).toMatchObject({
      format: 'provider-desk-encrypted-config',
      version: 1,
      cipher: 'aes-256-gcm',
      kdf: { name: 'scrypt', N: 131072, r: 8, p: 1 },
    });
    const text = JSON.stringify(envelope);
    for (const secret of LITERAL_SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain('openai');

    const wrong = await failure('config.import', { ...envelope, passphrase: 'Correct horse battery staple' });
    expect(wrong).toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'passphrase', message: expect.stringMatching(/does not open/) }],
    });
    expect((await failure('config.import', envelope)).fields).toEqual([
      { path: 'passphrase', message: 'is required to open an encrypted config' },
    ]);
    const tampered = { ...envelope, kdf: { ...envelope.kdf, N: 65536 } };
    expect((await failure('config.import', { ...tampered, passphrase: 'correct horse battery staple' })).fields[0]!.path).toBe(
      'passphrase',
    );
    const weak = { ...envelope, kdf: { ...envelope.kdf, N: 1024 } };
    expect((await failure('config.import', { ...weak, passphrase: 'correct horse battery staple' })).fields[0]!.path).toBe('kdf.N');
    expect((await failure('config.exportEncrypted', { passphrase: 'short' })).fields).toEqual([
      { path: 'passphrase', message: 'must be at least 12 characters' },
    ]);
  });
});
