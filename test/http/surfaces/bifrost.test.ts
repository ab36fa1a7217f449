import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../../fakes/providers.js';
import { openKey, openProviderSecrets } from '../../../src-main/core/service/provider-writer.js';
import { PROXY_PASSWORD_PATH } from '../../../src-main/core/service/codec.js';
import { REQUEST_TYPES } from '../../../src-main/core/contract/config-schemas.js';

let t: TestServer;
let openai: FakeProvider;
let slow: FakeProvider;

const P = '/bifrost/api/providers';
const NETWORK_DEFAULTS = {
  extra_headers: {},
  default_request_timeout_in_seconds: 30,
  max_retries: 0,
  retry_backoff_initial: 500,
  retry_backoff_max: 5000,
  insecure_skip_verify: false,
  ca_cert_pem: '',
  allow_private_network: false,
};
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

const err = (status: number, message: string) => ({ is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} });

beforeAll(async () => {
  t = await startTestServer();
  openai = await startFakeProvider('openai', { keys: ['sk-good-key-0123456789abcdef'] });
  slow = await startFakeProvider('openai', { keys: ['sk-slow-key-0123456789abcdef'], delayMs: 400 });
});
afterAll(async () => {
  await t.close();
  await openai.close();
  await slow.close();
});

const post = (path: string, json: unknown) => t.request(path, { method: 'POST', json });
const put = (path: string, json: unknown) => t.request(path, { method: 'PUT', json });
const del = (path: string) => t.request(path, { method: 'DELETE' });
const rowOf = (name: string) => t.desk.providers.requireRow(name);

describe('Bifrost surface: auth and error bodies', () => {
  it('answers 401 in the Bifrost error body without a token, and accepts Bearer and Basic', async () => {
    const res = await t.request(P, { noAuth: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(err(401, 'Authentication required'));
    const basic = Buffer.from(`bifrost:${t.token}`).toString('base64');
    expect((await t.request(P, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
    expect((await t.request(P)).status).toBe(200);
  });

  it('answers malformed JSON with 400 "Invalid request payload"', async () => {
    for (const path of [P, `${P}/openai`]) {
      const res = await t.request(path, {
        method: path === P ? 'POST' : 'PUT',
        body: '{"provider": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(err(400, 'Invalid request payload'));
    }
  });

  it('answers a body of the wrong JSON types as an invalid payload, like a Go decoder', async () => {
    for (const body of [
      [1, 2],
      'text',
      { provider: 7 },
      { provider: 'x-custom', network_config: 'fast' },
      { provider: 'openai', send_back_raw_request: 'yes' },
    ]) {
      const res = await post(P, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual(err(400, 'Invalid request payload'));
    }
  });
});

describe('Bifrost surface: providers', () => {
  it('lists nothing at first', async () => {
    const res = await t.request(P);
    expect(res.body).toEqual({ providers: [], total: 0 });
  });

  it('adds a standard provider and answers the ProviderResponse with every default filled', async () => {
    const res = await post(P, { provider: 'anthropic' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'anthropic',
      network_config: { base_url: 'https://api.anthropic.com', ...NETWORK_DEFAULTS },
      concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      proxy_config: { type: 'none', url: '', username: '', password: '', ca_cert_pem: '' },
      send_back_raw_request: false,
      send_back_raw_response: false,
      store_raw_request_response: false,
      // Bifrost omits an unset custom block and an unknown discovery status instead of writing null / "".
      provider_status: 'active',
      config_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const native = await t.request('/api/v1/providers/anthropic');
    expect(native.body).toMatchObject({ name: 'anthropic', type: 'anthropic', base_url: 'https://api.anthropic.com' });
  });

  it('replays the seed "add provider" example (custom provider, every block) with secrets redacted', async () => {
    const allowed = Object.fromEntries(REQUEST_TYPES.map((r) => [r, true]));
    const res = await post(P, {
      provider: 'my-gateway',
      network_config: {
        base_url: 'https://gateway.example.com/v1',
        extra_headers: { 'X-Team': 'ml' },
        default_request_timeout_in_seconds: 123,
        max_retries: 3,
        retry_backoff_initial: 123,
        retry_backoff_max: 123,
        insecure_skip_verify: true,
        ca_cert_pem: PEM,
        allow_private_network: false,
      },
      concurrency_and_buffer_size: { concurrency: 123, buffer_size: 123 },
      proxy_config: { url: 'http://proxy.example.com:3128', username: 'proxy-user', password: 'proxy-pass-123', ca_cert_pem: PEM },
      send_back_raw_request: true,
      send_back_raw_response: true,
      store_raw_request_response: true,
      custom_provider_config: { is_key_less: true, base_provider_type: 'openai', allowed_requests: allowed, request_path_overrides: {} },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'my-gateway',
      network_config: {
        base_url: 'https://gateway.example.com/v1',
        extra_headers: { 'X-Team': 'ml' },
        default_request_timeout_in_seconds: 123,
        max_retries: 3,
        retry_backoff_initial: 123,
        retry_backoff_max: 123,
        insecure_skip_verify: true,
        ca_cert_pem: '<REDACTED>',
        allow_private_network: false,
      },
      concurrency_and_buffer_size: { concurrency: 123, buffer_size: 123 },
      proxy_config: {
        type: 'http',
        url: 'http://proxy.example.com:3128',
        username: 'proxy-user',
        password: '<REDACTED>',
        ca_cert_pem: '<REDACTED>',
      },
      send_back_raw_request: true,
      send_back_raw_response: true,
      store_raw_request_response: true,
      custom_provider_config: { is_key_less: true, base_provider_type: 'openai', allowed_requests: allowed },
      provider_status: 'active',
      config_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.text).not.toContain('proxy-pass-123');
    expect(res.text).not.toContain('MIIBfake');
    // A custom provider's type is its base type's catalog id.
    expect((await t.request('/api/v1/providers/my-gateway')).body.type).toBe('openai');
  });

  it('replays the seed "get provider" example and 404s an unknown name', async () => {
    const res = await t.request(`${P}/my-gateway`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'name',
        'network_config',
        'concurrency_and_buffer_size',
        'proxy_config',
        'send_back_raw_request',
        'send_back_raw_response',
        'store_raw_request_response',
        'custom_provider_config',
        'provider_status',
        'config_hash',
      ].sort(),
    );
    const missing = await t.request(`${P}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(err(404, 'Provider not found: nope'));
  });

  it('shows only the true flags as allowed when allowed_requests is set, and no list (omitted) means all', async () => {
    const res = await post(P, {
      provider: 'narrow',
      custom_provider_config: { base_provider_type: 'anthropic', allowed_requests: { chat_completion: true, embedding: false } },
    });
    const flags = res.body.custom_provider_config.allowed_requests;
    expect(Object.keys(flags)).toHaveLength(REQUEST_TYPES.length);
    expect(Object.entries(flags).filter(([, v]) => v)).toEqual([['chat_completion', true]]);
    const all = await post(P, { provider: 'wide', custom_provider_config: { base_provider_type: 'cohere' } });
    expect(all.body.custom_provider_config).toEqual({ is_key_less: false, base_provider_type: 'cohere' });
  });

  it('accepts retry backoffs as duration strings', async () => {
    const res = await post(P, {
      provider: 'durations',
      custom_provider_config: { base_provider_type: 'openai' },
      network_config: { retry_backoff_initial: '250ms', retry_backoff_max: '2s' },
    });
    expect(res.status).toBe(200);
    expect(res.body.network_config).toMatchObject({ retry_backoff_initial: 250, retry_backoff_max: 2000 });
  });

  it('lists every provider sorted by name, without keys', async () => {
    const res = await t.request(P);
    const names = res.body.providers.map((p: { name: string }) => p.name);
    expect(names).toEqual([...names].sort());
    expect(res.body.total).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['anthropic', 'my-gateway', 'narrow', 'wide']));
    expect(res.body.providers.every((p: object) => !('keys' in p))).toBe(true);
  });

  it.each([
    [{}, 'Missing provider'],
    [{ provider: '' }, 'Missing provider'],
    [
      { provider: 'openai', custom_provider_config: { base_provider_type: 'openai' } },
      'Custom provider cannot be same as a standard provider',
    ],
    [
      { provider: 'custom-x', custom_provider_config: { is_key_less: true } },
      'BaseProviderType is required when CustomProviderConfig is provided',
    ],
    [{ provider: 'custom-x', custom_provider_config: { base_provider_type: 'mistral' } }, 'BaseProviderType must be a standard provider'],
    [{ provider: 'groq', concurrency_and_buffer_size: { concurrency: 0, buffer_size: 10 } }, 'Concurrency must be greater than 0'],
    [{ provider: 'groq', concurrency_and_buffer_size: { concurrency: 5, buffer_size: 0 } }, 'Buffer size must be greater than 0'],
    [
      { provider: 'groq', concurrency_and_buffer_size: { concurrency: 50, buffer_size: 10 } },
      'Concurrency must be less than or equal to buffer size',
    ],
    [
      { provider: 'groq', network_config: { retry_backoff_initial: 50 } },
      'Invalid retry backoff: retry backoff initial must be at least 100ms',
    ],
    [
      { provider: 'groq', network_config: { retry_backoff_max: 2_000_000 } },
      'Invalid retry backoff: retry backoff max must be at most 1000000ms',
    ],
    [
      { provider: 'groq', network_config: { retry_backoff_initial: 3000, retry_backoff_max: 1000 } },
      'Invalid retry backoff: retry backoff initial must be less than or equal to retry backoff max',
    ],
    [{ provider: 'groq', network_config: { base_url: 'not a url' } }, 'Invalid base URL: not a url must be an absolute http(s) URL'],
    [
      { provider: 'groq', network_config: { base_url: 'ftp://example.com' } },
      'Invalid base URL: ftp://example.com must be an absolute http(s) URL',
    ],
  ])('rejects %j with 400 %s', async (body, message) => {
    const res = await post(P, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(err(400, message));
    expect((await t.request(`${P}/groq`)).status).toBe(404);
  });

  it('requires a base type for a name that is not standard, and a name we can store', async () => {
    const custom = await post(P, { provider: 'my-deepseek' });
    expect(custom.status).toBe(400);
    expect(custom.body.error.message).toBe(
      'Provider my-deepseek is not a standard provider: custom_provider_config with a base_provider_type is required',
    );
    const bad = await post(P, { provider: 'My_Provider', custom_provider_config: { base_provider_type: 'openai' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^Invalid provider name "My_Provider"/);
  });

  it('answers 409 "Provider <name> already exists"', async () => {
    const res = await post(P, { provider: 'anthropic' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(err(409, 'Provider anthropic already exists'));
  });

  it('deletes with 200 and the provider it deleted, and 200 with a zero-valued body when it is absent', async () => {
    const created = await post(P, { provider: 'cerebras' });
    const res = await del(`${P}/cerebras`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, provider_status: 'deleted' });
    expect((await t.request(`${P}/cerebras`)).status).toBe(404);
    const again = await del(`${P}/cerebras`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      name: 'cerebras',
      concurrency_and_buffer_size: { concurrency: 0, buffer_size: 0 },
      provider_status: '',
    });
  });
});

describe('Bifrost surface: PUT (upsert)', () => {
  it('creates a provider that does not exist', async () => {
    const res = await put(`${P}/mistral`, { concurrency_and_buffer_size: { concurrency: 10, buffer_size: 100 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'mistral', concurrency_and_buffer_size: { concurrency: 10, buffer_size: 100 } });
    expect((await t.request('/api/v1/providers/mistral')).body.type).toBe('mistral');
  });

  it('requires concurrency_and_buffer_size', async () => {
    const res = await put(`${P}/mistral`, { network_config: { base_url: 'https://api.mistral.ai/v1' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(err(400, 'Concurrency must be greater than 0'));
  });

  it('rejects keys with the exact message, and accepts an empty list', async () => {
    const res = await put(`${P}/mistral`, { concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 }, keys: [{ value: 'sk-x' }] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      err(400, 'keys are not accepted on this endpoint; use POST/PUT /api/providers/{provider}/keys[/{key_id}] to manage keys'),
    );
    expect((await put(`${P}/mistral`, { concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 }, keys: [] })).status).toBe(200);
  });

  it('replaces the network block whole: what is left out goes back to its default', async () => {
    await put(`${P}/mistral`, {
      concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 },
      network_config: {
        base_url: 'https://eu.mistral.example/v1',
        extra_headers: { 'X-A': '1' },
        default_request_timeout_in_seconds: 90,
        max_retries: 4,
      },
    });
    const res = await put(`${P}/mistral`, {
      concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 },
      network_config: { max_retries: 2 },
    });
    expect(res.body.network_config).toEqual({ ...NETWORK_DEFAULTS, base_url: 'https://api.mistral.ai/v1', max_retries: 2 });
  });

  it('changes proxy and custom blocks only when present; "<REDACTED>" keeps a stored secret; null clears', async () => {
    const body = {
      concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 },
      network_config: { base_url: 'https://api.mistral.ai/v1', ca_cert_pem: PEM },
      proxy_config: { type: 'http', url: 'http://proxy.example.com:3128', username: 'u', password: 'p-secret-1', ca_cert_pem: PEM },
    };
    await put(`${P}/mistral`, body);
    const redacted = (await t.request(`${P}/mistral`)).body;
    expect(redacted.proxy_config.password).toBe('<REDACTED>');
    // Sending back what GET showed keeps every secret.
    const echoed = await put(`${P}/mistral`, { ...redacted, concurrency_and_buffer_size: redacted.concurrency_and_buffer_size });
    expect(echoed.status).toBe(200);
    expect(openProviderSecrets(t.desk.vault, rowOf('mistral'))[PROXY_PASSWORD_PATH]).toBe('p-secret-1');
    const native = (await t.request('/api/v1/providers/mistral')).body;
    expect(native.network_config.ca_cert_pem).toBe(PEM);
    expect(native.proxy_config.ca_cert_pem).toBe(PEM);
    // Absent: unchanged.
    await put(`${P}/mistral`, { concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 } });
    expect((await t.request(`${P}/mistral`)).body.proxy_config).toMatchObject({ type: 'http', password: '<REDACTED>' });
    // null: cleared.
    const cleared = await put(`${P}/mistral`, { concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 }, proxy_config: null });
    expect(cleared.body.proxy_config).toEqual({ type: 'none', url: '', username: '', password: '', ca_cert_pem: '' });
    expect(openProviderSecrets(t.desk.vault, rowOf('mistral'))[PROXY_PASSWORD_PATH]).toBeUndefined();
  });

  it('sets the raw flags only when present', async () => {
    await put(`${P}/mistral`, { concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 }, send_back_raw_request: true });
    const res = await put(`${P}/mistral`, {
      concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 },
      send_back_raw_response: true,
    });
    expect(res.body).toMatchObject({ send_back_raw_request: true, send_back_raw_response: true, store_raw_request_response: false });
  });

  it('keeps base_provider_type fixed and the custom block in place', async () => {
    const base = { concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 } };
    const changed = await put(`${P}/wide`, { ...base, custom_provider_config: { base_provider_type: 'openai' } });
    expect(changed.status).toBe(400);
    expect(changed.body.error.message).toBe(
      'Invalid custom provider config: provider wide: base_provider_type cannot be changed from cohere to openai after creation',
    );
    const removed = await put(`${P}/wide`, { ...base, custom_provider_config: null });
    expect(removed.status).toBe(400);
    expect(removed.body.error.message).toBe(
      'Invalid custom provider config: custom_provider_config cannot be removed after creation for provider wide',
    );
    const keyless = await put(`${P}/wide`, { ...base, custom_provider_config: { base_provider_type: 'cohere', is_key_less: true } });
    expect(keyless.body.custom_provider_config).toMatchObject({ base_provider_type: 'cohere', is_key_less: true });
    const standard = await put(`${P}/mistral`, { ...base, custom_provider_config: { base_provider_type: 'openai' } });
    expect(standard.body.error.message).toBe('Custom provider cannot be same as a standard provider');
  });

  it('keeps config_hash for identical config, changes it for any change, and ignores keys', async () => {
    const body = {
      concurrency_and_buffer_size: { concurrency: 5, buffer_size: 50 },
      network_config: { base_url: 'https://api.groq.com/openai/v1', max_retries: 1 },
    };
    const first = (await put(`${P}/groq`, body)).body.config_hash;
    expect((await put(`${P}/groq`, body)).body.config_hash).toBe(first);
    expect((await t.request(`${P}/groq`)).body.config_hash).toBe(first);
    // GET → PUT round trip changes nothing.
    const shown = (await t.request(`${P}/groq`)).body;
    expect((await put(`${P}/groq`, shown)).body.config_hash).toBe(first);
    // Keys are not part of it.
    await post(`${P}/groq/keys`, { value: 'gsk_abcdefghijklmnopqrstuvwxyz' });
    expect((await t.request(`${P}/groq`)).body.config_hash).toBe(first);
    const changed = (await put(`${P}/groq`, { ...body, network_config: { ...body.network_config, max_retries: 2 } })).body.config_hash;
    expect(changed).not.toBe(first);
    const flagged = (await put(`${P}/groq`, { ...body, store_raw_request_response: true })).body.config_hash;
    expect(flagged).not.toBe(changed);
  });
});

describe('Bifrost surface: keys', () => {
  const K = `${P}/openai/keys`;
  let keyId = '';

  beforeAll(async () => {
    await post(P, { provider: 'openai', network_config: { base_url: openai.baseUrl } });
  });

  it('creates a key (id a uuid, enabled by default) and shows the Key schema with the value masked 4 + 24 + 4', async () => {
    const res = await post(K, { name: 'main', value: 'sk-good-key-0123456789abcdef', models: ['gpt-4o'], weight: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'main',
      value: { value: `sk-g${'*'.repeat(24)}cdef`, ref: '', type: 'plain_text', env_var: '', from_env: false },
      models: ['gpt-4o'],
      blacklisted_models: [],
      weight: 2,
      enabled: true,
      use_for_batch_api: false,
      // Typed configs, status and description are omitted until set (Bifrost's omitempty), never null.
      config_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.text).not.toContain('0123456789');
    keyId = res.body.id;
  });

  it('masks a value of 8 characters or fewer as all stars, and shows an env.VAR reference as written', async () => {
    const short = await post(K, { name: 'short', value: 'abcdefgh', id: 'short-key' });
    expect(short.body.id).toBe('short-key');
    expect(short.body.value).toEqual({ value: '********', ref: '', type: 'plain_text', env_var: '', from_env: false });
    const env = await post(K, { name: 'from-env', value: 'env.OPENAI_API_KEY', enabled: false });
    expect(env.body.value).toEqual({
      value: 'env.OPENAI_API_KEY',
      ref: 'env.OPENAI_API_KEY',
      type: 'env',
      env_var: 'env.OPENAI_API_KEY',
      from_env: true,
    });
    expect(env.body.enabled).toBe(false);
    const asObject = await post(K, { name: 'obj-env', value: { value: '', env_var: 'env.OTHER_KEY', from_env: true } });
    expect(asObject.body.value.ref).toBe('env.OTHER_KEY');
    const asPlain = await post(K, { name: 'obj-plain', value: { value: 'sk-plain-object-value-123', env_var: '', from_env: false } });
    expect(asPlain.body.value.value).toBe(`sk-p${'*'.repeat(24)}-123`);
  });

  it('lists keys as {keys, total} and reads one; 404 for an unknown provider or key', async () => {
    const list = await t.request(K);
    expect(list.body.total).toBe(list.body.keys.length);
    expect(list.body.keys.map((k: { name: string }) => k.name)).toEqual(['main', 'short', 'from-env', 'obj-env', 'obj-plain']);
    expect((await t.request(`${K}/${keyId}`)).body.name).toBe('main');
    const noKey = await t.request(`${K}/nope`);
    expect(noKey.status).toBe(404);
    expect(noKey.body).toEqual(err(404, 'Provider key not found: nope'));
    for (const [method, path] of [
      ['GET', `${P}/ghost/keys`],
      ['POST', `${P}/ghost/keys`],
      ['GET', `${P}/ghost/keys/x`],
      ['PUT', `${P}/ghost/keys/x`],
      ['DELETE', `${P}/ghost/keys/x`],
      ['POST', `${P}/ghost/refresh-models`],
    ] as const) {
      const res = await t.request(path, {
        method,
        ...(method === 'POST' || method === 'PUT' ? { json: { value: 'sk-abcdefghijkl' } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual(err(404, 'Provider not found: ghost'));
    }
  });

  it.each([
    [{ value: '' }, 'Key value must not be empty'],
    [{}, 'Key value must not be empty'],
    [{ value: { value: '', from_env: false } }, 'Key value must not be empty'],
    [
      { value: 'sk-abcdefghijkl', models: ['*', 'gpt-4o'] },
      "Invalid models: wildcard '*' cannot be used with other values in the whitelist",
    ],
    [{ value: 'sk-abcdefghijkl', models: ['gpt-4o', 'GPT-4o'] }, "Invalid models: duplicate value 'GPT-4o' in whitelist"],
    [
      { value: 'sk-abcdefghijkl', blacklisted_models: ['*', 'x'] },
      "Invalid blacklisted_models: wildcard '*' cannot be used with other values in the blacklist",
    ],
    [{ value: `sk-a${'*'.repeat(24)}bcde` }, 'masked preview cannot be used for value without a stored value'],
  ])('rejects key %j with 400 %s', async (body, message) => {
    const res = await post(K, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(err(400, message));
  });

  it('accepts "*" alone as the model list', async () => {
    const res = await post(K, { name: 'all-models', value: 'sk-all-models-abcdefgh', models: ['*'] });
    expect(res.body.models).toEqual(['*']);
    await del(`${K}/${res.body.id}`);
  });

  it('rejects keys for a keyless provider', async () => {
    const res = await post(`${P}/my-gateway/keys`, { value: 'sk-abcdefghijkl' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(err(400, 'Cannot add keys to a keyless provider'));
  });

  it('answers 409 for a duplicate key name (on create and on rename)', async () => {
    const res = await post(K, { name: 'main', value: 'sk-another-value-0000' });
    expect(res.status).toBe(409);
    expect(res.body.is_bifrost_error).toBe(false);
    expect(res.body.status_code).toBe(409);
    const rename = await put(`${K}/short-key`, { name: 'main' });
    expect(rename.status).toBe(409);
  });

  it('keeps the stored secret when PUT sends the masked value back, and replaces it when a new one is sent', async () => {
    const shown = (await t.request(`${K}/${keyId}`)).body;
    const res = await put(`${K}/${keyId}`, { ...shown, weight: 5, models: ['gpt-4o', 'gpt-4o-mini'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ weight: 5, models: ['gpt-4o', 'gpt-4o-mini'], value: shown.value });
    expect(t.desk.providers.revealKey('openai', keyId).value).toBe('sk-good-key-0123456789abcdef');
    // The masked string alone, and <REDACTED>, keep it too.
    await put(`${K}/${keyId}`, { value: shown.value.value });
    await put(`${K}/${keyId}`, { value: '<REDACTED>' });
    expect(t.desk.providers.revealKey('openai', keyId).value).toBe('sk-good-key-0123456789abcdef');
    const short = (await t.request(`${K}/short-key`)).body;
    await put(`${K}/short-key`, { value: short.value });
    expect(t.desk.providers.revealKey('openai', 'short-key').value).toBe('abcdefgh');
    const changed = await put(`${K}/short-key`, { value: 'sk-brand-new-value-9999' });
    expect(changed.body.value.value).toBe(`sk-b${'*'.repeat(24)}9999`);
    expect(t.desk.providers.revealKey('openai', 'short-key').value).toBe('sk-brand-new-value-9999');
    const empty = await put(`${K}/short-key`, { value: '' });
    expect(empty.body).toEqual(err(400, 'Key value must not be empty'));
  });

  it('stores typed key configs with their secrets redacted, and keeps them when sent back masked', async () => {
    await post(P, { provider: 'azure' });
    const created = await post(`${P}/azure/keys`, {
      name: 'az',
      value: '0123456789abcdef0123456789abcdef',
      azure_key_config: {
        endpoint: 'https://res.openai.azure.com',
        api_version: '2024-10-21',
        deployments: { 'gpt-4o': 'prod-4o' },
        client_secret: 'azure-client-secret-value',
      },
    });
    expect(created.status).toBe(200);
    // Non-secret settings in the EnvVar object form too (Bifrost's UI reads endpoint.value).
    expect(created.body.azure_key_config).toEqual({
      endpoint: { value: 'https://res.openai.azure.com', ref: '', type: 'plain_text', env_var: '', from_env: false },
      api_version: { value: '2024-10-21', ref: '', type: 'plain_text', env_var: '', from_env: false },
      deployments: { 'gpt-4o': 'prod-4o' },
      client_secret: { value: `azur${'*'.repeat(24)}alue`, ref: '', type: 'plain_text', env_var: '', from_env: false },
    });
    expect(created.text).not.toContain('client-secret');
    const id = created.body.id as string;
    const updated = await put(`${P}/azure/keys/${id}`, {
      ...created.body,
      azure_key_config: { ...created.body.azure_key_config, api_version: '2025-01-01' },
    });
    expect(updated.body.azure_key_config.api_version.value).toBe('2025-01-01');
    const row = t.desk.repo.keysOf(rowOf('azure').id).find((k) => k.id === id)!;
    expect(openKey(t.desk.vault, row).keyConfig).toMatchObject({
      azure_key_config: { client_secret: 'azure-client-secret-value', api_version: '2025-01-01' },
    });
    const noStored = await put(`${P}/azure/keys/${id}`, { bedrock_key_config: { access_key: '<REDACTED>' } });
    expect(noStored.body).toEqual(err(400, 'masked preview cannot be used for bedrock_key_config.access_key without a stored value'));
  });

  it('shows vertex, bedrock, ollama, vllm and sgl key configs, each secret as a masked secret variable', async () => {
    await post(P, { provider: 'vertex' });
    const vertex = await post(`${P}/vertex/keys`, {
      value: 'vertex-placeholder-key',
      vertex_key_config: { project_id: 'proj', region: 'us-central1', auth_credentials: '{"type":"service_account","private_key":"xyz"}' },
    });
    expect(vertex.body.vertex_key_config).toMatchObject({
      project_id: { value: 'proj', from_env: false },
      region: { value: 'us-central1', from_env: false },
      auth_credentials: { type: 'plain_text', from_env: false },
    });
    expect(vertex.text).not.toContain('private_key');
    await post(P, { provider: 'bedrock' });
    const bedrock = await post(`${P}/bedrock/keys`, {
      value: 'bedrock-api-key-value',
      bedrock_key_config: {
        access_key: 'AKIAFAKEEXAMPLE00001',
        secret_key: { value: 'env.AWS_SECRET', env_var: 'env.AWS_SECRET', from_env: true },
        region: 'us-east-1',
      },
    });
    expect(bedrock.body.bedrock_key_config).toEqual({
      access_key: { value: `AKIA${'*'.repeat(24)}0001`, ref: '', type: 'plain_text', env_var: '', from_env: false },
      secret_key: { value: 'env.AWS_SECRET', ref: 'env.AWS_SECRET', type: 'env', env_var: 'env.AWS_SECRET', from_env: true },
      region: { value: 'us-east-1', ref: '', type: 'plain_text', env_var: '', from_env: false },
    });
    for (const [provider, block] of [
      ['ollama', 'ollama_key_config'],
      ['vllm', 'vllm_key_config'],
      ['sgl', 'sgl_key_config'],
    ] as const) {
      await post(P, { provider });
      // vLLM keys name their model too (Bifrost: "vllm_key_config.model_name is required for VLLM keys").
      const extra = provider === 'vllm' ? { model_name: 'llama-3' } : {};
      const res = await post(`${P}/${provider}/keys`, { value: 'local-token-123', [block]: { url: 'http://127.0.0.1:9999', ...extra } });
      expect(res.body[block]).toEqual({
        url: { value: 'http://127.0.0.1:9999', ref: '', type: 'plain_text', env_var: '', from_env: false },
        ...extra,
      });
    }
    // A typed block sent as null removes it.
    const id = bedrock.body.id as string;
    const cleared = await put(`${P}/bedrock/keys/${id}`, { bedrock_key_config: null });
    expect(cleared.body).not.toHaveProperty('bedrock_key_config');
  });

  it('deletes a key, answering the key it deleted', async () => {
    const res = await del(`${K}/obj-plain`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('obj-plain');
    expect((await t.request(`${K}/obj-plain`)).status).toBe(404);
    expect((await del(`${K}/obj-plain`)).status).toBe(404);
  });
});

describe('Bifrost surface: refresh-models, health and the one store', () => {
  it('re-checks every enabled key through the health service and answers {keys, total}, each key with its own status', async () => {
    const res = await post(`${P}/openai/refresh-models`, {});
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['keys', 'total']);
    expect(res.body.keys.length).toBe(res.body.total);
    const main = res.body.keys.find((k: { name: string }) => k.name === 'main');
    expect(main.status).toBe('success');
    expect(main).not.toHaveProperty('description');
    const models = await t.request('/api/v1/providers/openai/models');
    expect(models.body.models.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['gpt-4o']));

    await post(P, { provider: 'xai', network_config: { base_url: openai.baseUrl } });
    await post(`${P}/xai/keys`, { value: 'xai-wrong-key-000000000' });
    const failed = await post(`${P}/xai/refresh-models`, {});
    expect(failed.status).toBe(200);
    expect(failed.body.keys[0]).toMatchObject({ status: 'list_models_failed', description: expect.any(String) });
    expect(failed.text).not.toContain('xai-wrong-key-000000000');
    expect((await t.request(`${P}/xai`)).body).toMatchObject({ status: 'list_models_failed', description: expect.any(String) });
  });

  it('answers 409 while a refresh for the same provider is running', async () => {
    await post(P, { provider: 'fireworks', network_config: { base_url: slow.baseUrl } });
    await post(`${P}/fireworks/keys`, { value: 'sk-slow-key-0123456789abcdef' });
    const [a, b] = await Promise.all([post(`${P}/fireworks/refresh-models`, {}), post(`${P}/fireworks/refresh-models`, {})]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.body).toEqual(err(409, 'model refresh already in progress for this provider'));
  });

  it('keeps provider_status active when a key fails (that is status), and shows error only when disabled', async () => {
    await t.request('/api/v1/providers/xai/test', { method: 'POST', json: {} });
    expect((await t.request(`${P}/xai`)).body).toMatchObject({ provider_status: 'active', status: 'list_models_failed' });
    expect((await t.request(`${P}/xai/keys`)).body.keys[0]).toMatchObject({
      status: 'list_models_failed',
      description: expect.any(String),
    });
    const main = (await t.request(`${P}/openai/keys/main`)).body.id as string;
    await t.request('/api/v1/providers/openai/test', { method: 'POST', json: { key_id: main } });
    expect((await t.request(`${P}/openai`)).body.provider_status).toBe('active');
    expect((await t.request(`${P}/openai/keys/main`)).body).toMatchObject({ status: 'success' });
    await t.request('/api/v1/providers/openai', { method: 'PATCH', json: { enabled: false } });
    expect((await t.request(`${P}/openai`)).body.provider_status).toBe('error');
  });

  it('shares one store with the native API, both ways', async () => {
    const native = await t.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'perplexity', type: 'perplexity', api_keys: [{ name: 'pk', value: 'pplx-abcdefghijklmnopqrstuvwxyz' }] },
    });
    expect(native.status).toBe(201);
    const viaBifrost = await t.request(`${P}/perplexity`);
    expect(viaBifrost.body).toMatchObject({
      name: 'perplexity',
      network_config: { base_url: 'https://api.perplexity.ai' },
      config_hash: native.body.config_hash,
    });
    const keys = await t.request(`${P}/perplexity/keys`);
    expect(keys.body.keys[0]).toMatchObject({ name: 'pk', value: { value: `pplx${'*'.repeat(24)}wxyz` } });

    await post(P, { provider: 'nebius', network_config: { default_request_timeout_in_seconds: 45 } });
    const back = await t.request('/api/v1/providers/nebius');
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ name: 'nebius', type: 'nebius', network_config: { default_request_timeout_in_seconds: 45 } });
    await del(`${P}/nebius`);
    expect((await t.request('/api/v1/providers/nebius')).status).toBe(404);
  });

  it('never answers 5xx or a stack trace, whatever the input', async () => {
    const bodies: unknown[] = [
      null,
      {},
      [],
      'x',
      42,
      { provider: 'a'.repeat(500) },
      { provider: 'odd', custom_provider_config: { base_provider_type: 'openai', allowed_requests: { nope: true } } },
      {
        provider: 'odd2',
        custom_provider_config: { base_provider_type: 'openai' },
        network_config: { extra_headers: { 'bad header': 'x' } },
      },
      {
        provider: 'odd3',
        custom_provider_config: { base_provider_type: 'openai' },
        network_config: { default_request_timeout_in_seconds: 1.5 },
      },
      { provider: 'odd4', custom_provider_config: { base_provider_type: 'openai' }, proxy_config: { type: 'socks9' } },
      { provider: 'odd5', custom_provider_config: { base_provider_type: 'openai' }, proxy_config: { type: 'http' } },
      { concurrency_and_buffer_size: { concurrency: 1.5, buffer_size: 3 } },
      { value: 12 },
      { value: 'sk-abcdefghijkl', weight: -1 },
      { value: 'sk-abcdefghijkl', azure_key_config: 'x' },
      { value: ' padded-key ' },
    ];
    const routes: Array<[string, string]> = [
      ['POST', P],
      ['PUT', `${P}/odd`],
      ['POST', `${P}/openai/keys`],
      ['PUT', `${P}/openai/keys/short-key`],
      ['POST', `${P}/openai/refresh-models`],
      ['GET', `${P}/%E2%98%83`],
      ['DELETE', `${P}/%20`],
    ];
    for (const [method, path] of routes) {
      for (const body of method === 'GET' || method === 'DELETE' ? [undefined] : bodies) {
        const res = await t.request(path, { method, ...(body === undefined ? {} : { json: body }) });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
        if (res.status >= 400)
          expect(res.body).toMatchObject({ is_bifrost_error: false, status_code: res.status, error: { message: expect.any(String) } });
        expect(res.text).not.toMatch(/\bat .*\.ts:\d+/);
      }
    }
  });
});
