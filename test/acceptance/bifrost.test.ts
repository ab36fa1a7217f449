/**
 * Acceptance: the Bifrost surface against specs/bifrost.md and the seeds (bifrost-add-provider, bifrost-get-provider),
 * black-box over a real server. Each test names the rule it checks.
 */
import { OPENAPI_REQUEST_FLAGS } from './bifrost-facts.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

let t: TestServer;
let fake: FakeProvider;

const P = '/bifrost/api/providers';
const GOOD_KEY = 'sk-acceptance-good-key-000111222333';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBacceptance\n-----END CERTIFICATE-----\n';
const REQUESTS: string[] = [...OPENAPI_REQUEST_FLAGS];
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
const CONCURRENCY = { concurrency: 1, buffer_size: 1 };

const err = (status: number, message: string) => ({ is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} });
const post = (path: string, json: unknown) => t.request(path, { method: 'POST', json });
const put = (path: string, json: unknown) => t.request(path, { method: 'PUT', json });
const del = (path: string) => t.request(path, { method: 'DELETE' });
const get = (path: string) => t.request(path);

beforeAll(async () => {
  t = await startTestServer();
  fake = await startFakeProvider('openai', { keys: [GOOD_KEY] });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

describe('Bifrost acceptance: ProviderResponse and defaults', () => {
  it('fills every network, concurrency and proxy default on output (POST and GET agree)', async () => {
    const created = await post(P, { provider: 'groq' });
    expect(created.status).toBe(200);
    const shown = await get(`${P}/groq`);
    expect(shown.status).toBe(200);
    for (const body of [created.body, shown.body]) {
      expect(body.network_config).toEqual({ base_url: expect.stringMatching(/^https:\/\//), ...NETWORK_DEFAULTS });
      expect(body.concurrency_and_buffer_size).toEqual({ concurrency: 1000, buffer_size: 5000 });
      expect(body.proxy_config).toEqual({ type: 'none', url: '', username: '', password: '', ca_cert_pem: '' });
      expect(body).toMatchObject({
        name: 'groq',
        send_back_raw_request: false,
        send_back_raw_response: false,
        store_raw_request_response: false,
        provider_status: 'active',
      });
      // Current Bifrost omits an unset custom block and an unknown discovery status (omitempty), never null / "".
      for (const omitted of ['custom_provider_config', 'status', 'description']) expect(body).not.toHaveProperty(omitted);
      expect(body.config_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(shown.body).toEqual(created.body);
  });

  it('fills the defaults left out of a partial block', async () => {
    const res = await post(P, {
      provider: 'cohere',
      network_config: { max_retries: 2 },
      concurrency_and_buffer_size: { concurrency: 7, buffer_size: 70 },
      proxy_config: { type: 'environment' },
    });
    expect(res.status).toBe(200);
    expect(res.body.network_config).toEqual({ ...NETWORK_DEFAULTS, base_url: expect.any(String), max_retries: 2 });
    expect(res.body.concurrency_and_buffer_size).toEqual({ concurrency: 7, buffer_size: 70 });
    expect(res.body.proxy_config).toEqual({ type: 'environment', url: '', username: '', password: '', ca_cert_pem: '' });
  });

  it('shows proxy password and ca_cert_pem as "<REDACTED>" and never the secret', async () => {
    const res = await post(P, {
      provider: 'socks-gw',
      custom_provider_config: { base_provider_type: 'openai' },
      proxy_config: { type: 'socks5', url: 'socks5://127.0.0.1:1080', username: 'me', password: 'sock-pass-987', ca_cert_pem: PEM },
    });
    expect(res.status).toBe(200);
    expect(res.body.proxy_config).toEqual({
      type: 'socks5',
      url: 'socks5://127.0.0.1:1080',
      username: 'me',
      password: '<REDACTED>',
      ca_cert_pem: '<REDACTED>',
    });
    expect(res.text).not.toContain('sock-pass-987');
    expect((await get(`${P}/socks-gw`)).text).not.toContain('sock-pass-987');
    expect((await get(P)).text).not.toContain('sock-pass-987');
  });

  it('omits allowed_requests when unset (all allowed), and shows a set list with only the true flags true', async () => {
    const all = await post(P, { provider: 'all-req', custom_provider_config: { base_provider_type: 'gemini' } });
    expect(all.body.custom_provider_config).toEqual({ is_key_less: false, base_provider_type: 'gemini' });
    const some = await post(P, {
      provider: 'some-req',
      custom_provider_config: {
        base_provider_type: 'openai',
        allowed_requests: { chat_completion: true, chat_completion_stream: true, embedding: false },
        request_path_overrides: { chat_completion: '/v2/chat' },
      },
    });
    expect(some.status).toBe(200);
    const flags = some.body.custom_provider_config.allowed_requests as Record<string, boolean>;
    // Every seed flag is listed (current Bifrost lists its newer flags too).
    expect(Object.keys(flags)).toEqual(expect.arrayContaining(REQUESTS));
    expect(Object.keys(flags).filter((k) => flags[k])).toEqual(['chat_completion', 'chat_completion_stream']);
    expect(some.body.custom_provider_config.request_path_overrides).toEqual({ chat_completion: '/v2/chat' });
  });

  it('accepts every base_provider_type the spec lists and gives the provider that type', async () => {
    for (const base of ['anthropic', 'bedrock', 'cohere', 'gemini', 'openai', 'huggingface', 'replicate']) {
      const res = await post(P, { provider: `base-${base}`, custom_provider_config: { base_provider_type: base } });
      expect(res.status, base).toBe(200);
      expect(res.body.custom_provider_config.base_provider_type).toBe(base);
      expect((await get(`/api/v1/providers/base-${base}`)).body.type).toBe(base === 'gemini' ? 'gemini' : base);
      await del(`${P}/base-${base}`);
    }
  });

  it('accepts every standard provider name without a custom block', async () => {
    const names = [
      'openai',
      'azure',
      'anthropic',
      'bedrock',
      'vertex',
      'vllm',
      'mistral',
      'ollama',
      'sgl',
      'parasail',
      'perplexity',
      'replicate',
      'cerebras',
      'gemini',
      'openrouter',
      'elevenlabs',
      'huggingface',
      'nebius',
      'xai',
      'runway',
      'fireworks',
    ];
    for (const name of names) {
      const res = await post(P, { provider: name });
      expect(res.status, `${name}: ${res.text}`).toBe(200);
      expect(res.body.name).toBe(name);
      expect((await get(`/api/v1/providers/${name}`)).body.type).toBe(name);
    }
    for (const name of names) await del(`${P}/${name}`);
  });
});

describe('Bifrost acceptance: POST validation', () => {
  it.each([
    ['a custom name equal to a standard name', { provider: 'anthropic', custom_provider_config: { base_provider_type: 'openai' } }],
    ['a missing base_provider_type', { provider: 'nobase', custom_provider_config: {} }],
    ['an unsupported base_provider_type', { provider: 'badbase', custom_provider_config: { base_provider_type: 'groq' } }],
    [
      'concurrency 0',
      {
        provider: 'groq2',
        custom_provider_config: { base_provider_type: 'openai' },
        concurrency_and_buffer_size: { concurrency: 0, buffer_size: 5 },
      },
    ],
    [
      'buffer_size 0',
      {
        provider: 'groq2',
        custom_provider_config: { base_provider_type: 'openai' },
        concurrency_and_buffer_size: { concurrency: 5, buffer_size: 0 },
      },
    ],
    [
      'concurrency > buffer_size',
      {
        provider: 'groq2',
        custom_provider_config: { base_provider_type: 'openai' },
        concurrency_and_buffer_size: { concurrency: 6, buffer_size: 5 },
      },
    ],
    [
      'initial backoff below 100',
      { provider: 'groq2', custom_provider_config: { base_provider_type: 'openai' }, network_config: { retry_backoff_initial: 99 } },
    ],
    [
      'initial backoff above max',
      {
        provider: 'groq2',
        custom_provider_config: { base_provider_type: 'openai' },
        network_config: { retry_backoff_initial: '2s', retry_backoff_max: '1s' },
      },
    ],
    [
      'max backoff above 1,000,000',
      { provider: 'groq2', custom_provider_config: { base_provider_type: 'openai' }, network_config: { retry_backoff_max: 1_000_001 } },
    ],
    [
      'a garbage duration',
      { provider: 'groq2', custom_provider_config: { base_provider_type: 'openai' }, network_config: { retry_backoff_initial: 'soon' } },
    ],
  ])('answers 400 in the Bifrost body for %s, creating nothing', async (_label, body) => {
    const res = await post(P, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(err(400, expect.any(String) as unknown as string));
    expect(res.body.error.message.length).toBeGreaterThan(0);
    const name = (body as { provider: string }).provider;
    if (name !== 'anthropic') expect((await get(`${P}/${name}`)).status).toBe(404);
  });

  it('says "Missing provider" for an absent, empty or null provider', async () => {
    for (const body of [{}, { provider: '' }, { provider: null }]) {
      const res = await post(P, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(err(400, 'Missing provider'));
    }
  });

  it('says "Invalid request payload" for malformed JSON on every body route', async () => {
    await post(P, { provider: 'openai', network_config: { base_url: fake.baseUrl } });
    for (const [method, path] of [
      ['POST', P],
      ['PUT', `${P}/openai`],
      ['POST', `${P}/openai/keys`],
      ['PUT', `${P}/openai/keys/whatever`],
    ] as const) {
      const res = await t.request(path, { method, body: '{"oops', headers: { 'content-type': 'application/json' } });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body).toEqual(err(400, 'Invalid request payload'));
    }
  });

  it('says "Invalid base URL" (message starts with it) for a base URL that is not http(s)', async () => {
    for (const base_url of ['not-a-url', 'file:///etc/passwd', 'http//missing-colon']) {
      const res = await post(P, {
        provider: 'bad-url',
        custom_provider_config: { base_provider_type: 'openai' },
        network_config: { base_url },
      });
      expect(res.status).toBe(400);
      expect(res.body.is_bifrost_error).toBe(false);
      expect(res.body.status_code).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid base URL/);
    }
  });

  it('says 409 "Provider <name> already exists" for a second POST of the same name', async () => {
    const res = await post(P, { provider: 'openai' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(err(409, 'Provider openai already exists'));
  });

  it('accepts the backoff bounds exactly (100 ≤ initial ≤ max ≤ 1,000,000) and duration strings', async () => {
    const edge = await post(P, {
      provider: 'edges',
      custom_provider_config: { base_provider_type: 'openai' },
      network_config: { retry_backoff_initial: 100, retry_backoff_max: 1_000_000 },
    });
    expect(edge.status).toBe(200);
    expect(edge.body.network_config).toMatchObject({ retry_backoff_initial: 100, retry_backoff_max: 1_000_000 });
    const equal = await put(`${P}/edges`, {
      concurrency_and_buffer_size: CONCURRENCY,
      network_config: { retry_backoff_initial: '500ms', retry_backoff_max: '500ms' },
    });
    expect(equal.status).toBe(200);
    expect(equal.body.network_config).toMatchObject({ retry_backoff_initial: 500, retry_backoff_max: 500 });
    const seconds = await put(`${P}/edges`, {
      concurrency_and_buffer_size: CONCURRENCY,
      network_config: { retry_backoff_initial: '1s', retry_backoff_max: '1m' },
    });
    expect(seconds.body.network_config).toMatchObject({ retry_backoff_initial: 1000, retry_backoff_max: 60_000 });
    const compound = await put(`${P}/edges`, {
      concurrency_and_buffer_size: CONCURRENCY,
      network_config: { retry_backoff_initial: '1s500ms', retry_backoff_max: '2.5s' },
    });
    expect(compound.status).toBe(200);
    expect(compound.body.network_config).toMatchObject({ retry_backoff_initial: 1500, retry_backoff_max: 2500 });
  });

  it('accepts concurrency equal to buffer_size', async () => {
    const res = await post(P, {
      provider: 'conc-eq',
      custom_provider_config: { base_provider_type: 'openai' },
      concurrency_and_buffer_size: { concurrency: 5, buffer_size: 5 },
    });
    expect(res.status).toBe(200);
    expect(res.body.concurrency_and_buffer_size).toEqual({ concurrency: 5, buffer_size: 5 });
  });
});

describe('Bifrost acceptance: PUT semantics', () => {
  const full = {
    concurrency_and_buffer_size: { concurrency: 4, buffer_size: 40 },
    network_config: {
      base_url: 'https://gw.example.com/v1',
      extra_headers: { 'X-Org': 'acme' },
      default_request_timeout_in_seconds: 45,
      max_retries: 3,
      retry_backoff_initial: 200,
      retry_backoff_max: 4000,
      insecure_skip_verify: false,
      ca_cert_pem: PEM,
      allow_private_network: false,
    },
    proxy_config: { type: 'http', url: 'http://proxy.example.com:3128', username: 'pu', password: 'proxy-secret-42', ca_cert_pem: PEM },
    send_back_raw_request: true,
    custom_provider_config: {
      is_key_less: false,
      base_provider_type: 'anthropic',
      allowed_requests: { chat_completion: true, list_models: true },
      request_path_overrides: { chat_completion: '/v1/messages' },
    },
  };

  it('creates on PUT when absent, then a GET → PUT round trip changes nothing (secrets and config_hash kept)', async () => {
    const created = await put(`${P}/gw`, full);
    expect(created.status).toBe(200);
    const hash = created.body.config_hash as string;
    const shown = (await get(`${P}/gw`)).body;
    expect(shown.config_hash).toBe(hash);
    const echoed = await put(`${P}/gw`, shown);
    expect(echoed.status).toBe(200);
    expect(echoed.body).toEqual(shown);
    const native = (await get('/api/v1/providers/gw')).body;
    expect(native.network_config.ca_cert_pem).toBe(PEM);
    expect(native.proxy_config.ca_cert_pem).toBe(PEM);
    const revealed = await t.request('/api/v1/providers/gw?reveal=true');
    // The password stays in the vault; whatever the native view shows, it must not have been replaced by the marker.
    expect(revealed.text).not.toContain('"password":"<REDACTED>"');
  });

  it('replaces network_config whole: fields left out go back to their defaults (base URL to the type default)', async () => {
    const res = await put(`${P}/gw`, { concurrency_and_buffer_size: full.concurrency_and_buffer_size, network_config: { max_retries: 1 } });
    expect(res.status).toBe(200);
    expect(res.body.network_config).toEqual({ ...NETWORK_DEFAULTS, base_url: expect.any(String), max_retries: 1 });
    // proxy and custom blocks were absent: unchanged.
    expect(res.body.proxy_config).toMatchObject({ type: 'http', password: '<REDACTED>', ca_cert_pem: '<REDACTED>' });
    expect(res.body.custom_provider_config).toMatchObject({ base_provider_type: 'anthropic' });
    expect(res.body.send_back_raw_request).toBe(true);
  });

  it('clears the proxy with an explicit null, and sets it again with a block', async () => {
    const cleared = await put(`${P}/gw`, { concurrency_and_buffer_size: CONCURRENCY, proxy_config: null });
    expect(cleared.body.proxy_config).toEqual({ type: 'none', url: '', username: '', password: '', ca_cert_pem: '' });
    const again = await put(`${P}/gw`, {
      concurrency_and_buffer_size: CONCURRENCY,
      proxy_config: { type: 'http', url: 'http://p2.example.com:8080' },
    });
    expect(again.body.proxy_config).toEqual({
      type: 'http',
      url: 'http://p2.example.com:8080',
      username: '',
      password: '',
      ca_cert_pem: '',
    });
  });

  it('never stores "<REDACTED>" itself as a proxy password when nothing is stored to keep', async () => {
    const res = await put(`${P}/gw`, {
      concurrency_and_buffer_size: CONCURRENCY,
      proxy_config: { type: 'http', url: 'http://p2.example.com:8080', password: '<REDACTED>' },
    });
    // Either refused, or kept as "no password" (spec: the marker keeps the stored secret; here there is none).
    if (res.status === 200) expect(res.body.proxy_config.password).toBe('');
    else expect(res.body).toMatchObject({ is_bifrost_error: false, status_code: 400 });
  });

  it('refuses to change base_provider_type', async () => {
    const res = await put(`${P}/gw`, {
      concurrency_and_buffer_size: CONCURRENCY,
      custom_provider_config: { base_provider_type: 'openai' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/base_provider_type/);
    expect((await get(`${P}/gw`)).body.custom_provider_config.base_provider_type).toBe('anthropic');
  });

  it('requires concurrency_and_buffer_size, and rejects a non-empty keys list with the exact message', async () => {
    const missing = await put(`${P}/gw`, { network_config: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.is_bifrost_error).toBe(false);
    const keys = await put(`${P}/gw`, { concurrency_and_buffer_size: CONCURRENCY, keys: [{ name: 'k', value: 'sk-123456789' }] });
    expect(keys.status).toBe(400);
    expect(keys.body).toEqual(
      err(400, 'keys are not accepted on this endpoint; use POST/PUT /api/providers/{provider}/keys[/{key_id}] to manage keys'),
    );
  });

  it('applies the POST rules on PUT (backoff, concurrency, base URL)', async () => {
    for (const body of [
      { concurrency_and_buffer_size: { concurrency: 9, buffer_size: 3 } },
      { concurrency_and_buffer_size: CONCURRENCY, network_config: { retry_backoff_initial: 50 } },
      { concurrency_and_buffer_size: CONCURRENCY, network_config: { base_url: 'nope' } },
    ]) {
      const res = await put(`${P}/gw`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.is_bifrost_error).toBe(false);
    }
  });
});

describe('Bifrost acceptance: config_hash', () => {
  it('is equal for identical config, and changes with any config change (flags, proxy, headers, custom block, name)', async () => {
    const base = {
      concurrency_and_buffer_size: { concurrency: 2, buffer_size: 20 },
      network_config: { base_url: 'https://h.example.com', extra_headers: { b: '2', a: '1' } },
      custom_provider_config: { base_provider_type: 'openai' },
    };
    const first = (await put(`${P}/hash-a`, base)).body.config_hash as string;
    // Same config, keys listed in another order: same hash.
    const reordered = (
      await put(`${P}/hash-a`, { ...base, network_config: { extra_headers: { a: '1', b: '2' }, base_url: 'https://h.example.com' } })
    ).body.config_hash;
    expect(reordered).toBe(first);
    const other = (await put(`${P}/hash-b`, base)).body.config_hash;
    expect(other).not.toBe(first);

    const seen = new Set<string>([first]);
    const variants: unknown[] = [
      { ...base, network_config: { ...base.network_config, extra_headers: { a: '1' } } },
      { ...base, concurrency_and_buffer_size: { concurrency: 3, buffer_size: 20 } },
      { ...base, send_back_raw_response: true },
      { ...base, send_back_raw_response: false, proxy_config: { type: 'http', url: 'http://proxy.example.com:1', username: 'one' } },
      { ...base, proxy_config: { type: 'http', url: 'http://proxy.example.com:1', username: 'two' } },
      { ...base, proxy_config: { type: 'http', url: 'http://proxy.example.com:1', username: 'two', ca_cert_pem: PEM } },
      { ...base, custom_provider_config: { base_provider_type: 'openai', is_key_less: true } },
    ];
    for (const body of variants) {
      const res = await put(`${P}/hash-a`, body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(seen.has(res.body.config_hash), JSON.stringify(body)).toBe(false);
      seen.add(res.body.config_hash);
    }
  });

  it('is the same whether the defaults were left out or written out', async () => {
    const created = await post(P, { provider: 'defaults-hash', custom_provider_config: { base_provider_type: 'cohere' } });
    const explicit = await put(`${P}/defaults-hash`, {
      concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      network_config: { ...NETWORK_DEFAULTS, base_url: created.body.network_config.base_url },
      proxy_config: { type: 'none', url: '', username: '', password: '', ca_cert_pem: '' },
      custom_provider_config: { base_provider_type: 'cohere', is_key_less: false, allowed_requests: null, request_path_overrides: null },
      send_back_raw_request: false,
      send_back_raw_response: false,
      store_raw_request_response: false,
    });
    expect(explicit.status).toBe(200);
    expect(explicit.body.config_hash).toBe(created.body.config_hash);
  });

  it('does not change when keys are added, changed or removed', async () => {
    const before = (await get(`${P}/hash-b`)).body.config_hash;
    const key = await post(`${P}/hash-b/keys`, { name: 'k1', value: 'sk-hash-key-0123456789' });
    expect(key.status).toBe(200);
    await put(`${P}/hash-b/keys/${key.body.id}`, { weight: 3 });
    expect((await get(`${P}/hash-b`)).body.config_hash).toBe(before);
    await del(`${P}/hash-b/keys/${key.body.id}`);
    expect((await get(`${P}/hash-b`)).body.config_hash).toBe(before);
  });
});

describe('Bifrost acceptance: list and delete', () => {
  it('lists {providers, total} sorted by name, with no keys', async () => {
    const res = await get(P);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['providers', 'total']);
    const names = res.body.providers.map((p: { name: string }) => p.name);
    expect(names).toEqual([...names].sort());
    expect(res.body.total).toBe(names.length);
    for (const p of res.body.providers) expect(p).not.toHaveProperty('keys');
  });

  it('deletes with 200 {name}, also when absent', async () => {
    await post(P, { provider: 'to-go', custom_provider_config: { base_provider_type: 'openai' } });
    expect(await del(`${P}/to-go`)).toMatchObject({ status: 200, body: { name: 'to-go' } });
    expect(await del(`${P}/to-go`)).toMatchObject({ status: 200, body: { name: 'to-go' } });
    expect((await get(`${P}/to-go`)).status).toBe(404);
  });

  it('answers 404 in the Bifrost body for an unknown provider', async () => {
    const res = await get(`${P}/never-made`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ is_bifrost_error: false, status_code: 404, error: { message: expect.any(String) } });
  });

  it('answers 401 and unknown routes in the Bifrost body', async () => {
    const noAuth = await t.request(P, { noAuth: true });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body).toMatchObject({ is_bifrost_error: false, status_code: 401, error: { message: expect.any(String) } });
    const unknown = await get('/bifrost/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ is_bifrost_error: false, status_code: 404, error: { message: expect.any(String) } });
  });
});

describe('Bifrost acceptance: keys', () => {
  const K = `${P}/openai/keys`;
  let id = '';

  it('creates a key: id a uuid, enabled true, the published Key schema, value a masked secret variable', async () => {
    const res = await post(K, { name: 'primary', value: GOOD_KEY, models: ['gpt-4o'], weight: 1 });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'id',
        'name',
        'value',
        'models',
        'blacklisted_models',
        'weight',
        'enabled',
        'use_for_batch_api',
        // Current Bifrost omits unset typed key configs and an unknown status/description (omitempty).
        'config_hash',
      ].sort(),
    );
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body.enabled).toBe(true);
    expect(res.body.value).toEqual({
      value: `${GOOD_KEY.slice(0, 4)}${'*'.repeat(24)}${GOOD_KEY.slice(-4)}`,
      ref: '',
      type: 'plain_text',
      env_var: '',
      from_env: false,
    });
    expect(res.text).not.toContain(GOOD_KEY);
    id = res.body.id;
  });

  it('masks values of 8 characters or fewer entirely', async () => {
    for (const value of ['abc', '12345678']) {
      const res = await post(K, { name: `short-${value}`, value });
      expect(res.status).toBe(200);
      expect(res.body.value.value).toMatch(/^\*+$/);
      expect(res.text).not.toContain(`"${value}"`);
      await del(`${K}/${res.body.id}`);
    }
  });

  it('shows an env reference as the reference, never resolved, in every accepted input form', async () => {
    process.env.ACCEPTANCE_BIFROST_SECRET = 'resolved-secret-must-not-show';
    const forms: unknown[] = [
      'env.ACCEPTANCE_BIFROST_SECRET',
      { value: '', env_var: 'env.ACCEPTANCE_BIFROST_SECRET', from_env: true },
      { value: '', ref: 'env.ACCEPTANCE_BIFROST_SECRET', type: 'env' },
    ];
    for (const [index, value] of forms.entries()) {
      const res = await post(K, { name: `env-${index}`, value });
      expect(res.status, JSON.stringify(value)).toBe(200);
      expect(res.body.value).toEqual({
        value: 'env.ACCEPTANCE_BIFROST_SECRET',
        ref: 'env.ACCEPTANCE_BIFROST_SECRET',
        type: 'env',
        env_var: 'env.ACCEPTANCE_BIFROST_SECRET',
        from_env: true,
      });
      expect(res.text).not.toContain('resolved-secret-must-not-show');
    }
    expect((await get(K)).text).not.toContain('resolved-secret-must-not-show');
  });

  it('lists {keys, total} and gets one by id', async () => {
    const list = await get(K);
    expect(list.status).toBe(200);
    expect(Object.keys(list.body).sort()).toEqual(['keys', 'total']);
    expect(list.body.total).toBe(list.body.keys.length);
    const one = await get(`${K}/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(id);
  });

  it('keeps the stored secret when PUT echoes the whole key back (masked object), and when only the mask string is sent', async () => {
    const shown = (await get(`${K}/${id}`)).body;
    const echoed = await put(`${K}/${id}`, shown);
    expect(echoed.status).toBe(200);
    expect(echoed.body.value).toEqual(shown.value);
    expect(t.desk.providers.revealKey('openai', id).value).toBe(GOOD_KEY);
    await put(`${K}/${id}`, { ...shown, value: shown.value.value });
    expect(t.desk.providers.revealKey('openai', id).value).toBe(GOOD_KEY);
    // The secret still works: a refresh through the fake lists models.
    const refresh = await post(`${P}/openai/refresh-models`, {});
    expect(refresh.status).toBe(200);
    expect(refresh.body.keys.find((k: { id: string }) => k.id === id).status).toBe('success');
  });

  it('rejects an empty value, "*" with other models and duplicate models with 400', async () => {
    for (const body of [
      { name: 'e1', value: '' },
      { name: 'e2', value: 'sk-abcdefghijk', models: ['*', 'gpt-4o'] },
      { name: 'e3', value: 'sk-abcdefghijk', models: ['gpt-4o', 'gpt-4o'] },
      { name: 'e4', value: 'sk-abcdefghijk', blacklisted_models: ['x', 'x'] },
    ]) {
      const res = await post(K, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ is_bifrost_error: false, status_code: 400 });
    }
    expect((await put(`${K}/${id}`, { models: ['*', 'a'] })).status).toBe(400);
  });

  it('answers 409 for a duplicate key name', async () => {
    const res = await post(K, { name: 'primary', value: 'sk-another-one-123456' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ is_bifrost_error: false, status_code: 409, error: { message: expect.any(String) } });
  });

  it('answers 404 for an unknown provider or key', async () => {
    expect((await get(`${P}/nope/keys`)).status).toBe(404);
    expect((await post(`${P}/nope/keys`, { value: 'sk-1234567890' })).status).toBe(404);
    const key = await get(`${K}/00000000-0000-4000-8000-000000000000`);
    expect(key.status).toBe(404);
    expect(key.body).toMatchObject({ is_bifrost_error: false, status_code: 404 });
    expect((await put(`${K}/00000000-0000-4000-8000-000000000000`, { weight: 2 })).status).toBe(404);
    expect((await del(`${K}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('rejects keys on a keyless custom provider', async () => {
    await post(P, { provider: 'keyless-gw', custom_provider_config: { base_provider_type: 'openai', is_key_less: true } });
    const res = await post(`${P}/keyless-gw/keys`, { value: 'sk-1234567890' });
    expect(res.status).toBe(400);
    expect(res.body.is_bifrost_error).toBe(false);
  });

  it('deletes a key and answers it', async () => {
    const made = await post(K, { name: 'temp', value: 'sk-temporary-0000000' });
    const gone = await del(`${K}/${made.body.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ id: made.body.id, name: 'temp' });
    expect((await get(`${K}/${made.body.id}`)).status).toBe(404);
  });
});

describe('Bifrost acceptance: refresh-models', () => {
  it('lists models now and records a failure in status/description', async () => {
    const ok = await post(`${P}/openai/refresh-models`, {});
    expect(ok.status).toBe(200);
    await post(P, { provider: 'xai', network_config: { base_url: fake.baseUrl } });
    await post(`${P}/xai/keys`, { value: 'wrong-key-for-the-fake-0000' });
    const failed = await post(`${P}/xai/refresh-models`, {});
    expect(failed.status).toBe(200);
    // Current Bifrost: refresh answers {keys, total}; the outcome is status "list_models_failed" with the error text.
    expect(failed.body.keys[0]).toMatchObject({ status: 'list_models_failed', description: expect.any(String) });
    const shown = await get(`${P}/xai`);
    expect(shown.body).toMatchObject({ status: 'list_models_failed', description: expect.any(String) });
  });
});

describe('Bifrost acceptance: server guards answer in the Bifrost body', () => {
  it('413 for a body over 1 MiB, 403 for a foreign Origin, 401 for a wrong token', async () => {
    const huge = await t.request(P, {
      method: 'POST',
      body: JSON.stringify({ provider: 'big', pad: 'x'.repeat(1024 * 1024 + 10) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ is_bifrost_error: false, status_code: 413, error: { message: expect.any(String) } });
    const origin = await t.request(P, { headers: { origin: 'https://evil.example' } });
    expect(origin.status).toBe(403);
    expect(origin.body).toMatchObject({ is_bifrost_error: false, status_code: 403 });
    expect(origin.headers.get('access-control-allow-origin')).toBeNull();
    const wrong = await t.request(P, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ is_bifrost_error: false, status_code: 401 });
  });
});
