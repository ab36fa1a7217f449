/**
 * Acceptance: config.json import/export (issue 6, SPEC §7, specs/bifrost.md "In config.json") over the native routes of
 * a real server: validation with JSON paths, dry-run diff, apply, prune, and redacted/plain/encrypted round trips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

let t: TestServer;
let fake: FakeProvider;

const OPENAI_KEY = 'sk-proj-acceptance-9f8e7d6c5b4a3f2e1d0c';
const ANTHROPIC_KEY = 'sk-ant-acceptance-0a1b2c3d4e5f6a7b8c9d';
const AZURE_KEY = 'fedcba9876543210fedcba9876543210';
const AWS_SECRET = 'acceptanceSecretAccessKey/ABCDEFGHIJKLMNOP';
const PROXY_PASSWORD = 'proxy-acceptance-pw-77';
const GOVERNANCE_SECRET = 'gov-acceptance-admin-pw';
const LITERALS = [OPENAI_KEY, ANTHROPIC_KEY, AZURE_KEY, AWS_SECRET, PROXY_PASSWORD, GOVERNANCE_SECRET];
const NAMES = ['anthropic', 'azure', 'bedrock', 'my-gateway', 'ollama', 'openai', 'vertex'];
const PASSPHRASE = 'correct horse battery staple';
const PEM_ACC = '-----BEGIN CERTIFICATE-----\nMIIBacceptanceCA\n-----END CERTIFICATE-----\n';

function document(): Record<string, any> {
  return {
    client: { drop_excess_requests: false, initial_pool_size: 300, allowed_origins: ['http://localhost:3000'] },
    providers: {
      openai: {
        keys: [
          { id: 'a0000000-0000-4000-8000-000000000001', name: 'primary', value: OPENAI_KEY, models: ['gpt-4o'], weight: 0.6 },
          { name: 'from-env', value: 'env.ACCEPTANCE_OPENAI_KEY', models: [], weight: 0.4, enabled: false },
        ],
        network_config: { base_url: fake.baseUrl, max_retries: 2, retry_backoff_initial: '500ms', retry_backoff_max: '3s' },
        concurrency_and_buffer_size: { concurrency: 8, buffer_size: 64 },
      },
      anthropic: {
        keys: [{ name: 'claude', value: ANTHROPIC_KEY, models: ['*'], weight: 1 }],
        send_back_raw_response: true,
        proxy_config: { type: 'http', url: 'http://proxy.corp.example:3128', username: 'svc', password: PROXY_PASSWORD },
      },
      azure: {
        keys: [
          {
            name: 'eastus',
            value: AZURE_KEY,
            models: ['gpt-4o'],
            weight: 1,
            azure_key_config: {
              endpoint: 'https://acc-resource.openai.azure.com',
              api_version: '2024-10-21',
              deployments: { 'gpt-4o': 'gpt-4o-prod' },
            },
          },
        ],
        network_config: { base_url: 'https://acc-resource.openai.azure.com' },
      },
      bedrock: {
        keys: [
          {
            name: 'iam',
            models: [],
            weight: 1,
            bedrock_key_config: { access_key: 'env.ACCEPTANCE_AWS_ACCESS_KEY_ID', secret_key: AWS_SECRET, region: 'eu-west-1' },
          },
        ],
      },
      vertex: {
        keys: [
          {
            name: 'sa',
            value: '',
            models: [],
            weight: 1,
            vertex_key_config: { project_id: 'acc-project', region: 'us-central1', auth_credentials: 'env.ACCEPTANCE_VERTEX_CREDS' },
          },
        ],
      },
      ollama: {
        keys: [{ name: 'local', value: '', models: ['*'], weight: 1, ollama_key_config: { url: 'http://localhost:11434' } }],
        network_config: { base_url: 'http://localhost:11434' },
      },
      'my-gateway': {
        keys: [],
        network_config: { base_url: 'https://gateway.acceptance.example/v1' },
        custom_provider_config: { is_key_less: true, base_provider_type: 'openai', allowed_requests: { chat_completion: true } },
      },
    },
    governance: { auth_config: { admin_username: 'admin', admin_password: GOVERNANCE_SECRET, is_enabled: true } },
    mcp: { client_configs: [{ name: 'fs', connection_type: 'stdio', stdio_config: { command: 'npx', args: ['fs-server'] } }] },
    config_store: { enabled: true, type: 'sqlite', config: { path: './config.db' } },
    plugins: [{ name: 'telemetry', enabled: true, config: {} }],
  };
}

const importDoc = (doc: unknown, query = '') => t.request(`/api/v1/config/import${query}`, { method: 'POST', json: doc });
const count = async () => (await t.request('/api/v1/providers')).body.total as number;
const sorted = (list: string[]) => [...list].sort();

beforeAll(async () => {
  t = await startTestServer();
  fake = await startFakeProvider('openai', { keys: [OPENAI_KEY] });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

describe('config.json acceptance: validation', () => {
  it('names the JSON path of every invalid field (e.g. providers.openai.keys[1].value) and changes nothing', async () => {
    const doc = document();
    doc.providers.openai.keys[1].value = 42;
    doc.providers.anthropic.keys[0].models = 'all';
    doc.providers.azure.network_config.base_url = 'not a url';
    doc.providers.mystery = { keys: [] };
    const res = await importDoc(doc);
    expect(res.status).toBe(400);
    const paths = (res.body.error.fields as Array<{ path: string }>).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'providers.openai.keys[1].value',
        'providers.anthropic.keys[0].models',
        'providers.azure.network_config.base_url',
      ]),
    );
    expect(paths.some((p) => p.startsWith('providers.mystery'))).toBe(true);
    expect(res.body.error.message).toContain('providers.');
    expect(await count()).toBe(0);
  });

  it('refuses <REDACTED> where nothing is stored, naming the path, and changes nothing', async () => {
    const doc = document();
    doc.providers.anthropic.keys[0].value = '<REDACTED>';
    const res = await importDoc(doc);
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('providers.anthropic.keys[0].value');
    expect(await count()).toBe(0);
  });

  it('requires a value for a key of a provider that needs one, but accepts keyless entries with "" and a *_key_config', async () => {
    const doc = { providers: { groq: { keys: [{ name: 'k', value: '' }] } } };
    const res = await importDoc(doc, '?dry_run=true');
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('providers.groq.keys[0].value');
    const keyless = await importDoc(
      {
        providers: {
          vllm: { keys: [{ value: '', vllm_key_config: { url: 'http://127.0.0.1:8000' } }] },
          sgl: { keys: [{ value: '', sgl_key_config: { url: 'http://127.0.0.1:30000' } }] },
        },
      },
      '?dry_run=true',
    );
    expect(keyless.status, keyless.text).toBe(200);
    expect(sorted(keyless.body.added)).toEqual(['sgl', 'vllm']);
  });
});

describe('config.json acceptance: import', () => {
  it('dry_run=true answers {added, changed, unchanged, removed} and writes nothing', async () => {
    const res = await importDoc(document(), '?dry_run=true');
    expect(res.status).toBe(200);
    expect(sorted(res.body.added)).toEqual(NAMES);
    expect(res.body.changed).toEqual([]);
    expect(res.body.unchanged).toEqual([]);
    expect(res.body.removed).toEqual([]);
    expect(await count()).toBe(0);
  });

  it('applies in one go: types from names and base_provider_type, keys, env refs, typed configs', async () => {
    const res = await importDoc(document());
    expect(res.status).toBe(200);
    expect(sorted(res.body.added)).toEqual(NAMES);
    expect(await count()).toBe(NAMES.length);
    const gateway = (await t.request('/api/v1/providers/my-gateway')).body;
    expect(gateway.type).toBe('openai');
    const openai = (await t.request('/api/v1/providers/openai')).body;
    expect(openai.network_config).toMatchObject({ max_retries: 2, retry_backoff_initial: 500, retry_backoff_max: 3000 });
    expect(openai.concurrency_and_buffer_size).toEqual({ concurrency: 8, buffer_size: 64 });
    expect(t.desk.providers.revealKey('openai', 'a0000000-0000-4000-8000-000000000001').value).toBe(OPENAI_KEY);
    const bifrostKeys = (await t.request('/bifrost/api/providers/openai/keys')).body.keys;
    expect(bifrostKeys.find((k: { name: string }) => k.name === 'from-env').value.ref).toBe('env.ACCEPTANCE_OPENAI_KEY');
    const azureKey = (await t.request('/bifrost/api/providers/azure/keys')).body.keys[0];
    // Bifrost's current UI reads non-secret key settings in the secret-value object form.
    expect(azureKey.azure_key_config).toMatchObject({ api_version: { value: '2024-10-21' }, deployments: { 'gpt-4o': 'gpt-4o-prod' } });
  });

  it('reports everything unchanged when the same file comes again', async () => {
    const res = await importDoc(document());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ added: [], changed: [], removed: [] });
    expect(sorted(res.body.unchanged)).toEqual(NAMES);
  });

  it('reports exactly what changed: a network field, a key weight, a flag', async () => {
    const doc = document();
    doc.providers.openai.network_config.max_retries = 3;
    doc.providers.azure.keys[0].weight = 2;
    doc.providers.anthropic.send_back_raw_response = false;
    const dry = await importDoc(doc, '?dry_run=true');
    expect(sorted(dry.body.changed)).toEqual(['anthropic', 'azure', 'openai']);
    expect((await t.request('/api/v1/providers/openai')).body.network_config.max_retries).toBe(2);
    const applied = await importDoc(doc);
    expect(sorted(applied.body.changed)).toEqual(['anthropic', 'azure', 'openai']);
    expect((await t.request('/api/v1/providers/openai')).body.network_config.max_retries).toBe(3);
    // Restore for the next tests.
    expect(sorted((await importDoc(document())).body.changed)).toEqual(['anthropic', 'azure', 'openai']);
  });

  it('matches keys by id, then by name: renaming a key by id changes it in place', async () => {
    const doc = document();
    doc.providers.openai.keys[0].name = 'renamed-primary';
    doc.providers.openai.keys[0].value = '<REDACTED>';
    const res = await importDoc(doc);
    expect(res.body.changed).toEqual(['openai']);
    const keys = (await t.request('/bifrost/api/providers/openai/keys')).body.keys as Array<{ id: string; name: string }>;
    expect(keys.find((k) => k.id === 'a0000000-0000-4000-8000-000000000001')?.name).toBe('renamed-primary');
    expect(t.desk.providers.revealKey('openai', 'a0000000-0000-4000-8000-000000000001').value).toBe(OPENAI_KEY);
    await importDoc(document());
  });

  it('deletes nothing without prune; with prune removes what the file does not list', async () => {
    const partial = document();
    delete partial.providers.vertex;
    const kept = await importDoc(partial);
    expect(kept.body.removed).toEqual([]);
    expect(await count()).toBe(NAMES.length);
    const dry = await importDoc(partial, '?dry_run=true&prune=true');
    expect(dry.body.removed).toEqual(['vertex']);
    expect(await count()).toBe(NAMES.length);
    const pruned = await importDoc(partial, '?prune=true');
    expect(pruned.status).toBe(200);
    expect(pruned.body.removed).toEqual(['vertex']);
    expect((await t.request('/api/v1/providers/vertex')).status).toBe(404);
    expect((await importDoc(document())).body.added).toEqual(['vertex']);
  });

  it('an invalid file changes nothing, even when most of it is valid', async () => {
    const doc = document();
    doc.providers.openai.network_config.max_retries = 5;
    doc.providers.brand_new = { provider_desk: { type: 'groq' }, keys: [{ name: 'k', value: 'gsk_valid_key_0000000000' }] };
    doc.providers.anthropic.keys[0].weight = 'heavy';
    const res = await importDoc(doc);
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('providers.anthropic.keys[0].weight');
    expect((await t.request('/api/v1/providers/openai')).body.network_config.max_retries).toBe(2);
    expect(await count()).toBe(NAMES.length);
  });
});

describe('config.json acceptance: export round trips', () => {
  it('redacted (the default): literal secrets become <REDACTED>, env refs stay, other sections kept in order', async () => {
    const res = await t.request('/api/v1/config/export');
    expect(res.status).toBe(200);
    for (const secret of LITERALS) expect(res.text).not.toContain(secret);
    const doc = res.body;
    expect(Object.keys(doc)).toEqual(['client', 'providers', 'governance', 'mcp', 'config_store', 'plugins']);
    expect(doc.client).toEqual(document().client);
    expect(doc.mcp).toEqual(document().mcp);
    expect(doc.config_store).toEqual(document().config_store);
    expect(doc.plugins).toEqual(document().plugins);
    expect(doc.governance.auth_config).toMatchObject({ admin_username: 'admin', admin_password: '<REDACTED>' });
    expect(sorted(Object.keys(doc.providers))).toEqual(NAMES);
    const openai = doc.providers.openai;
    expect(openai.keys.find((k: { name: string }) => k.name === 'primary').value).toBe('<REDACTED>');
    expect(openai.keys.find((k: { name: string }) => k.name === 'from-env').value).toBe('env.ACCEPTANCE_OPENAI_KEY');
    expect(doc.providers.anthropic.proxy_config).toMatchObject({ url: 'http://proxy.corp.example:3128', password: '<REDACTED>' });
    expect(doc.providers.bedrock.keys[0].bedrock_key_config).toMatchObject({
      access_key: 'env.ACCEPTANCE_AWS_ACCESS_KEY_ID',
      secret_key: '<REDACTED>',
      region: 'eu-west-1',
    });
    expect(doc.providers['my-gateway'].custom_provider_config).toMatchObject({ base_provider_type: 'openai', is_key_less: true });
  });

  it('re-importing the redacted export changes nothing and keeps working secrets', async () => {
    const exported = (await t.request('/api/v1/config/export?secrets=redacted')).body;
    const res = await importDoc(exported);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ added: [], changed: [], removed: [] });
    expect(sorted(res.body.unchanged)).toEqual(NAMES);
    expect(t.desk.providers.revealKey('openai', 'a0000000-0000-4000-8000-000000000001').value).toBe(OPENAI_KEY);
    // The secret still works against the (fake) provider.
    const refresh = await t.request('/bifrost/api/providers/openai/refresh-models', { method: 'POST', json: {} });
    expect(refresh.status, refresh.text).toBe(200);
    const enabled = refresh.body.keys.filter((k: { enabled: boolean }) => k.enabled);
    expect(enabled.length).toBeGreaterThan(0);
    for (const key of enabled) expect(key.status, key.description).toBe('success');
    // And the governance secret is kept: a plain export shows it.
    expect((await t.request('/api/v1/config/export?secrets=plain')).text).toContain(GOVERNANCE_SECRET);
  });

  it('plain writes every secret out, and re-importing it changes nothing', async () => {
    const res = await t.request('/api/v1/config/export?secrets=plain');
    for (const secret of LITERALS) expect(res.text).toContain(secret);
    const again = await importDoc(res.body);
    expect(again.body).toMatchObject({ added: [], changed: [], removed: [] });
    expect(sorted(again.body.unchanged)).toEqual(NAMES);
  });

  it('encrypted seals the whole document; import opens it only with the right passphrase and changes nothing', async () => {
    const sealed = await t.request('/api/v1/config/export', { method: 'POST', json: { secrets: 'encrypted', passphrase: PASSPHRASE } });
    expect(sealed.status).toBe(200);
    for (const secret of LITERALS) expect(sealed.text).not.toContain(secret);
    expect(sealed.text).not.toContain('acc-resource');
    const wrong = await importDoc({ ...sealed.body, passphrase: 'the wrong passphrase' });
    expect(wrong.status).toBe(400);
    const missing = await importDoc(sealed.body);
    expect(missing.status).toBe(400);
    const right = await importDoc({ ...sealed.body, passphrase: PASSPHRASE });
    expect(right.status, right.text).toBe(200);
    expect(right.body).toMatchObject({ added: [], changed: [], removed: [] });
    expect(sorted(right.body.unchanged)).toEqual(NAMES);
  });

  it('a plain export moves the whole setup into a fresh store, which then exports the same document', async () => {
    const plain = (await t.request('/api/v1/config/export?secrets=plain')).body;
    const other = await startTestServer();
    try {
      const res = await other.request('/api/v1/config/import', { method: 'POST', json: plain });
      expect(res.status, res.text).toBe(200);
      expect(sorted(res.body.added)).toEqual(NAMES);
      const back = (await other.request('/api/v1/config/export?secrets=plain')).body;
      expect(back).toEqual(plain);
      expect(other.desk.providers.revealKey('openai', 'a0000000-0000-4000-8000-000000000001').value).toBe(OPENAI_KEY);
      // A redacted export cannot seed a fresh store: nothing is there to keep.
      const redacted = (await t.request('/api/v1/config/export')).body;
      const fresh = await startTestServer();
      try {
        const refused = await fresh.request('/api/v1/config/import', { method: 'POST', json: redacted });
        expect(refused.status).toBe(400);
        expect((await fresh.request('/api/v1/providers')).body.total).toBe(0);
      } finally {
        await fresh.close();
      }
    } finally {
      await other.close();
    }
  });

  it('a config_hash change through another surface shows up as changed on the next import', async () => {
    const exported = (await t.request('/api/v1/config/export')).body;
    const shown = (await t.request('/bifrost/api/providers/anthropic')).body;
    await t.request('/bifrost/api/providers/anthropic', {
      method: 'PUT',
      json: { ...shown, network_config: { ...shown.network_config, max_retries: 4 } },
    });
    const res = await importDoc(exported, '?dry_run=true');
    expect(res.body.changed).toEqual(['anthropic']);
    expect((await importDoc(exported)).body.changed).toEqual(['anthropic']);
    expect((await t.request('/bifrost/api/providers/anthropic')).body.config_hash).toBe(shown.config_hash);
  });
});

describe('config.json acceptance: any store round-trips', () => {
  it('re-imports redacted, plain and encrypted exports of a store built through every surface with nothing changed', async () => {
    const s = await startTestServer();
    try {
      const native = (json: unknown) => s.request('/api/v1/providers', { method: 'POST', json });
      const ok = (res: { status: number; text: string }) => expect(res.status, res.text).toBeLessThan(300);
      ok(
        await native({
          name: 'az-native',
          type: 'azure',
          display_name: 'Azure (EU)',
          description: 'made natively',
          enabled: false,
          base_url: 'https://eu-res.openai.azure.com',
          settings: { api_version: '2024-10-21', deployments: { 'gpt-4o': 'eu-4o' } },
          network_config: { extra_headers: { 'X-Team': 'ml' }, ca_cert_pem: PEM_ACC, max_retries: 1 },
          api_keys: [
            { name: 'k1', value: AZURE_KEY, blacklisted_models: ['gpt-3.5'], weight: 0.25, use_for_batch_api: true, enabled: false },
          ],
        }),
      );
      ok(
        await native({
          name: 'br',
          type: 'bedrock',
          settings: { region: 'us-west-2', access_key: 'AKIAACCEPTANCE000001', access_key_secret: AWS_SECRET },
        }),
      );
      ok(await native({ name: 'vx', type: 'vertex', settings: { project_id: 'p-acc', region: 'europe-west4' } }));
      ok(
        await native({ name: 'wx', type: 'watsonx', settings: { space_id: 'space-acc' }, api_keys: [{ value: 'ibm-key-acceptance-000' }] }),
      );
      ok(await native({ name: 'ds', type: 'deepseek', api_keys: [{ value: 'env.ACCEPTANCE_DEEPSEEK' }] }));
      ok(
        await native({
          name: 'compat',
          type: 'openai-compat',
          base_url: 'http://10.0.0.5:8000/v1',
          network_config: { allow_private_network: true },
        }),
      );
      const bif = (path: string, method: string, json: unknown) => s.request(`/bifrost/api/providers${path}`, { method, json });
      ok(
        await bif('', 'POST', {
          provider: 'gw',
          network_config: { base_url: 'https://gw.acc.example/v1', retry_backoff_initial: '250ms', retry_backoff_max: '2s' },
          proxy_config: { type: 'socks5', url: 'socks5://127.0.0.1:1080', username: 'u', password: PROXY_PASSWORD, ca_cert_pem: PEM_ACC },
          custom_provider_config: {
            base_provider_type: 'anthropic',
            allowed_requests: { chat_completion: true },
            request_path_overrides: { chat_completion: '/v1/messages' },
          },
          send_back_raw_request: true,
          store_raw_request_response: true,
        }),
      );
      ok(await bif('/gw/keys', 'POST', { name: 'gk', value: ANTHROPIC_KEY, models: ['*'] }));
      ok(await bif('', 'POST', { provider: 'vertex' }));
      ok(
        await bif('/vertex/keys', 'POST', {
          value: 'vertex-placeholder-0000',
          vertex_key_config: {
            project_id: 'proj',
            region: 'us-central1',
            auth_credentials: '{"type":"service_account","private_key":"acc-pk"}',
          },
        }),
      );
      ok(await bif('', 'POST', { provider: 'sgl', network_config: { base_url: 'http://127.0.0.1:30000' } }));
      ok(await bif('/sgl/keys', 'POST', { value: 'sgl-token-acceptance', sgl_key_config: { url: 'http://127.0.0.1:30000' } }));
      const names = sorted((await s.request('/api/v1/providers?limit=100')).body.items.map((p: { name: string }) => p.name));

      const redactedText = (await s.request('/api/v1/config/export')).text;
      for (const secret of [
        AZURE_KEY,
        AWS_SECRET,
        PROXY_PASSWORD,
        ANTHROPIC_KEY,
        'acc-pk',
        'sgl-token-acceptance',
        'ibm-key-acceptance-000',
      ])
        expect(redactedText).not.toContain(secret);
      expect(redactedText).toContain('env.ACCEPTANCE_DEEPSEEK');
      for (const mode of ['redacted', 'plain']) {
        const doc = (await s.request(`/api/v1/config/export?secrets=${mode}`)).body;
        const res = await s.request('/api/v1/config/import', { method: 'POST', json: doc });
        expect(res.status, `${mode}: ${res.text}`).toBe(200);
        expect(res.body, mode).toMatchObject({ added: [], changed: [], removed: [] });
        expect(sorted(res.body.unchanged), mode).toEqual(names);
      }
      const sealed = (await s.request('/api/v1/config/export', { method: 'POST', json: { secrets: 'encrypted', passphrase: PASSPHRASE } }))
        .body;
      const res = await s.request('/api/v1/config/import', { method: 'POST', json: { ...sealed, passphrase: PASSPHRASE } });
      expect(res.body).toMatchObject({ added: [], changed: [], removed: [] });
      expect(sorted(res.body.unchanged)).toEqual(names);
      // Secrets survived the redacted re-import.
      const plain = (await s.request('/api/v1/config/export?secrets=plain')).text;
      for (const secret of [AZURE_KEY, AWS_SECRET, PROXY_PASSWORD, ANTHROPIC_KEY, 'acc-pk']) expect(plain).toContain(secret);

      // Into a fresh store: the plain export recreates the same document.
      const fresh = await startTestServer();
      try {
        const plainDoc = JSON.parse(plain);
        const added = await fresh.request('/api/v1/config/import', { method: 'POST', json: plainDoc });
        expect(added.status, added.text).toBe(200);
        expect(sorted(added.body.added)).toEqual(names);
        expect((await fresh.request('/api/v1/config/export?secrets=plain')).body).toEqual(plainDoc);
        const again = await fresh.request('/api/v1/config/import', { method: 'POST', json: plainDoc });
        expect(sorted(again.body.unchanged)).toEqual(names);
      } finally {
        await fresh.close();
      }
    } finally {
      await s.close();
    }
  });
});
