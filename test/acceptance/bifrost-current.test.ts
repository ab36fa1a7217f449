/**
 * Acceptance: the Bifrost surface as Bifrost's *current* clients use it (docs/peers/bifrost.md): each bullet of issue 12
 * as its UI (ui/lib/types/config.ts, providersApi.ts, the key and custom-provider forms) or its Postman e2e collection
 * (bifrost-api-management) sends it, with the assertion they make. Every response is also validated with ajv against
 * Bifrost's published provider schemas; their facts are transcribed below (nothing of the peer's is vendored).
 */
import { Ajv, type AnySchema } from 'ajv';
import { OPENAPI_REQUEST_FLAGS } from './bifrost-facts.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';

// --- Bifrost's published schemas, transcribed -------------------------------------------------------------------------
// docs/openapi/schemas/management/providers.yaml (@098dff9f), inference/common.yaml (@01bf6a21), and the secret-value
// object of transports/config.schema.json (@003ecc6a). OpenAPI 3 has no `nullable` there: a null where an object,
// string or boolean is typed fails, which is what catches `custom_provider_config: null` and friends.

/** `EnvVar`: the UI's {value, env_var, from_env}; the config schema's form adds ref and type, and allows nothing else. */
const EnvVar = {
  $id: 'EnvVar',
  type: 'object',
  properties: {
    value: { type: 'string' },
    ref: { type: 'string' },
    type: { type: 'string', enum: ['plain_text', 'env', 'vault'] },
    env_var: { type: 'string' },
    from_env: { type: 'boolean' },
  },
  additionalProperties: false,
};

/** `ModelProvider` enum (32 names: Go's StandardProviders minus github-copilot and typesafe, plus zro). */
const MODEL_PROVIDER_ENUM = [
  'anthropic',
  'azure',
  'bedrock',
  'bedrock_mantle',
  'cerebras',
  'cohere',
  'deepseek',
  'gemini',
  'groq',
  'mistral',
  'ollama',
  'opencode-go',
  'opencode-zen',
  'openai',
  'parasail',
  'perplexity',
  'sgl',
  'vertex',
  'openrouter',
  'elevenlabs',
  'huggingface',
  'nebius',
  'xai',
  'replicate',
  'vllm',
  'runway',
  'runware',
  'fireworks',
  'sarvam',
  'wafer',
  'zro',
  'databricks',
];
const ModelProvider = { $id: 'ModelProvider', type: 'string', enum: MODEL_PROVIDER_ENUM };

const NetworkConfig = {
  $id: 'NetworkConfig',
  type: 'object',
  properties: {
    base_url: { type: 'string' },
    extra_headers: { type: 'object', additionalProperties: { type: 'string' } },
    default_request_timeout_in_seconds: { type: 'integer' },
    max_retries: { type: 'integer' },
    retry_backoff_initial: { type: 'integer' },
    retry_backoff_max: { type: 'integer' },
    insecure_skip_verify: { type: 'boolean' },
    ca_cert_pem: { type: 'string' },
    allow_private_network: { type: 'boolean' },
  },
};

const ConcurrencyAndBufferSize = {
  $id: 'ConcurrencyAndBufferSize',
  type: 'object',
  properties: { concurrency: { type: 'integer' }, buffer_size: { type: 'integer' } },
};

const ProxyConfig = {
  $id: 'ProxyConfig',
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['none', 'http', 'socks5', 'environment'] },
    url: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    ca_cert_pem: { type: 'string' },
  },
};

/** `AllowedRequests`: the OpenAPI's 25 boolean flags; no additionalProperties:false, so newer flags validate. */
const OPENAPI_FLAGS = OPENAPI_REQUEST_FLAGS;
const AllowedRequests = {
  $id: 'AllowedRequests',
  type: 'object',
  properties: Object.fromEntries(OPENAPI_FLAGS.map((flag) => [flag, { type: 'boolean' }])),
};

const CustomProviderConfig = {
  $id: 'CustomProviderConfig',
  type: 'object',
  properties: {
    is_key_less: { type: 'boolean' },
    base_provider_type: { $ref: 'ModelProvider' },
    allowed_requests: { $ref: 'AllowedRequests' },
    request_path_overrides: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/**
 * `ProviderResponse`. Deviation, on purpose: the OpenAPI types `name` as the ModelProvider enum, which a custom
 * provider's name (Postman's own `custom-123`) can never satisfy although Bifrost returns it; `name` is checked as a
 * string here and standard names against the enum in their own test. `status` carries the UI's union
 * (ui/lib/types/config.ts ModelProviderConfig.status), which the OpenAPI leaves a plain string.
 */
const ProviderResponse = {
  $id: 'ProviderResponse',
  type: 'object',
  properties: {
    name: { type: 'string' },
    network_config: { $ref: 'NetworkConfig' },
    concurrency_and_buffer_size: { $ref: 'ConcurrencyAndBufferSize' },
    proxy_config: { $ref: 'ProxyConfig' },
    send_back_raw_request: { type: 'boolean' },
    send_back_raw_response: { type: 'boolean' },
    store_raw_request_response: { type: 'boolean' },
    custom_provider_config: { $ref: 'CustomProviderConfig' },
    provider_status: { type: 'string', enum: ['active', 'error', 'deleted'] },
    status: { type: 'string', enum: ['unknown', 'success', 'list_models_failed'] },
    description: { type: 'string' },
    config_hash: { type: 'string' },
  },
};

const ListProvidersResponse = {
  $id: 'ListProvidersResponse',
  type: 'object',
  properties: { providers: { type: 'array', items: { $ref: 'ProviderResponse' } }, total: { type: 'integer' } },
};

const envVars = (...names: string[]) => Object.fromEntries(names.map((name) => [name, { $ref: 'EnvVar' }]));

/** `Key` and its typed configs (every setting an EnvVar, secret or not); Key has no `required`. */
const Key = {
  $id: 'Key',
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    value: { $ref: 'EnvVar' },
    models: { type: 'array', items: { type: 'string' } },
    blacklisted_models: { type: 'array', items: { type: 'string' } },
    weight: { type: 'number' },
    aliases: { type: 'object', propertyNames: { minLength: 1 }, additionalProperties: { type: 'string', minLength: 1 } },
    azure_key_config: {
      type: 'object',
      properties: {
        ...envVars('endpoint', 'api_version', 'client_id', 'client_secret', 'tenant_id'),
        scopes: { type: 'array', items: { type: 'string' } },
      },
    },
    vertex_key_config: { type: 'object', properties: envVars('project_id', 'project_number', 'region', 'auth_credentials') },
    bedrock_key_config: {
      type: 'object',
      properties: {
        ...envVars('access_key', 'secret_key', 'session_token', 'region', 'arn'),
        batch_s3_config: {
          type: 'object',
          properties: {
            buckets: {
              type: 'array',
              items: {
                type: 'object',
                properties: { bucket_name: { type: 'string' }, prefix: { type: 'string' }, is_default: { type: 'boolean' } },
              },
            },
          },
        },
      },
    },
    vllm_key_config: { type: 'object', properties: { ...envVars('url'), model_name: { type: 'string' } }, required: ['url'] },
    ollama_key_config: { type: 'object', properties: envVars('url'), required: ['url'] },
    sgl_key_config: { type: 'object', properties: envVars('url'), required: ['url'] },
    replicate_key_config: { type: 'object', properties: { use_deployments_endpoint: { type: 'boolean' } } },
    enabled: { type: 'boolean' },
    use_for_batch_api: { type: 'boolean' },
    config_hash: { type: 'string' },
    // The UI's union (ModelProviderKey.status); the Go KeyStatusType has success and list_models_failed.
    status: { type: 'string', enum: ['unknown', 'success', 'list_models_failed'] },
    description: { type: 'string' },
  },
};

const ListProviderKeysResponse = {
  $id: 'ListProviderKeysResponse',
  type: 'object',
  properties: { keys: { type: 'array', items: { $ref: 'Key' } }, total: { type: 'integer' } },
};

/** `GET /api/keys` (operation listKeys): an array of Key. */
const ListKeys = { $id: 'ListKeys', type: 'array', items: { $ref: 'Key' } };

const ListModelsResponse = {
  $id: 'ListModelsResponse',
  type: 'object',
  properties: {
    models: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          provider: { type: 'string' },
          accessible_by_keys: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    total: { type: 'integer' },
  },
};

/** `BifrostError` (inference/common.yaml); `extra_fields.provider` is the ModelProvider enum. */
const BifrostError = {
  $id: 'BifrostError',
  type: 'object',
  properties: {
    event_id: { type: 'string' },
    type: { type: 'string' },
    is_bifrost_error: { type: 'boolean' },
    status_code: { type: 'integer' },
    error: {
      type: 'object',
      properties: {
        type: { type: 'string' },
        code: { type: 'string' },
        message: { type: 'string' },
        param: { type: 'string' },
        event_id: { type: 'string' },
      },
    },
    extra_fields: {
      type: 'object',
      properties: {
        provider: { $ref: 'ModelProvider' },
        model_requested: { type: 'string' },
        request_type: { type: 'string' },
        error_type: { type: 'string' },
      },
    },
  },
};

/** The Postman collection's `expectErrorEnvelope`: these four keys present, `error` an object with a message. */
const PostmanErrorEnvelope = {
  $id: 'PostmanErrorEnvelope',
  allOf: [
    { $ref: 'BifrostError' },
    {
      type: 'object',
      required: ['is_bifrost_error', 'status_code', 'error', 'extra_fields'],
      properties: {
        is_bifrost_error: true,
        status_code: true,
        error: { type: 'object', required: ['message'], properties: { message: true } },
        extra_fields: true,
      },
    },
  ],
};

const ajv = new Ajv({ allErrors: true, strict: true });
for (const schema of [
  EnvVar,
  ModelProvider,
  NetworkConfig,
  ConcurrencyAndBufferSize,
  ProxyConfig,
  AllowedRequests,
  CustomProviderConfig,
  ProviderResponse,
  ListProvidersResponse,
  Key,
  ListProviderKeysResponse,
  ListKeys,
  ListModelsResponse,
  BifrostError,
  PostmanErrorEnvelope,
] as AnySchema[])
  ajv.addSchema(schema);

/** Fails with ajv's own error list when `body` does not validate against the named Bifrost schema. */
function expectSchema(name: string, body: unknown): void {
  const validate = ajv.getSchema(name);
  if (!validate) throw new Error(`no schema ${name}`);
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `${name}: ${JSON.stringify(body)}`).toEqual([]);
}

/** An error as Bifrost sends it and as Postman checks it: the envelope, and status_code equal to the HTTP status. */
function expectBifrostError(res: { status: number; body: unknown }, status: number, message?: string): void {
  expect(res.status).toBe(status);
  expectSchema('PostmanErrorEnvelope', res.body);
  expect(res.body).toMatchObject({ is_bifrost_error: false, status_code: status, extra_fields: {} });
  if (message !== undefined) expect((res.body as { error: { message: string } }).error.message).toBe(message);
}

// --- the clients' request bodies --------------------------------------------------------------------------------------

/** The UI's empty secret value (DefaultModelProviderKey.value, and every unset EnvVar in its default key configs). */
const EMPTY = { value: '', env_var: '', from_env: false };
const envVar = (value: string) => ({ value, env_var: '', from_env: false });
/** The UI's new key (DefaultModelProviderKey) as its key form sends it, with the fields it fills. */
const uiKey = (fields: Record<string, unknown>) => ({
  id: '',
  name: '',
  value: EMPTY,
  models: ['*'],
  blacklisted_models: [],
  weight: 1.0,
  enabled: true,
  ...fields,
});

/** The flags the UI's add-custom-provider form sends (schemas.ts allowedRequestsSchema): all true but realtime. */
const UI_FLAGS: Record<string, boolean> = {
  text_completion: true,
  text_completion_stream: true,
  chat_completion: true,
  chat_completion_stream: true,
  responses: true,
  responses_stream: true,
  embedding: true,
  speech: true,
  speech_stream: true,
  transcription: true,
  transcription_stream: true,
  image_generation: true,
  image_generation_stream: true,
  image_edit: true,
  image_edit_stream: true,
  image_variation: true,
  rerank: true,
  video_generation: true,
  video_retrieve: true,
  video_download: true,
  video_delete: true,
  video_list: true,
  video_remix: true,
  count_tokens: true,
  list_models: true,
  websocket_responses: true,
  realtime: false,
  ocr: true,
  ocr_stream: true,
};

/** The UI's add-custom-provider request (addNewCustomProviderSheet.tsx). */
const uiCustomProvider = (provider: string, base: string, baseUrl: string, flags: Record<string, boolean> = UI_FLAGS) => ({
  provider,
  custom_provider_config: { base_provider_type: base, allowed_requests: flags, is_key_less: false },
  network_config: {
    base_url: baseUrl,
    default_request_timeout_in_seconds: 30,
    max_retries: 0,
    retry_backoff_initial: 500,
    retry_backoff_max: 5000,
  },
});

// --- the test server ---------------------------------------------------------------------------------------------------

let t: TestServer;
let fake: FakeProvider;
const API = '/bifrost/api';
const P = `${API}/providers`;
const GOOD_KEY = 'sk-current-good-key-000111222333';
const BAD_KEY = 'sk-current-revoked-key-999888777';

const post = (path: string, json: unknown) => t.request(path, { method: 'POST', json });
const put = (path: string, json: unknown) => t.request(path, { method: 'PUT', json });
const del = (path: string) => t.request(path, { method: 'DELETE' });
const get = (path: string) => t.request(path);

/** Postman's provider assertions: these keys exist and are not null, and the blocks are non-empty objects. */
function expectPostmanProvider(body: Record<string, unknown>, name: string, statusMayBeEmpty = false): void {
  for (const key of ['name', 'network_config', 'concurrency_and_buffer_size', 'provider_status']) {
    if (key === 'provider_status' && statusMayBeEmpty) continue;
    expect(body[key], key).not.toBeNull();
    expect(body[key], key).not.toBeUndefined();
  }
  expect(body.name).toBe(name);
  expect(Object.keys(body.network_config as object).length).toBeGreaterThan(0);
  expect(Object.keys(body.concurrency_and_buffer_size as object).length).toBeGreaterThan(0);
  if (!statusMayBeEmpty) expect(typeof body.provider_status === 'string' && body.provider_status !== '').toBe(true);
}

beforeAll(async () => {
  t = await startTestServer();
  fake = await startFakeProvider('openai', { keys: [GOOD_KEY] });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

describe('Bifrost current: keys with an empty value where Bifrost accepts them', () => {
  it('accepts the UI’s Ollama, vLLM and SGL keys that carry only their server URL', async () => {
    for (const [provider, block, extra] of [
      ['ollama', 'ollama_key_config', {}],
      ['vllm', 'vllm_key_config', { model_name: 'meta-llama/Llama-3.1-8B-Instruct' }],
      ['sgl', 'sgl_key_config', {}],
    ] as const) {
      expect((await post(P, { provider })).status).toBe(200);
      const res = await post(
        `${P}/${provider}/keys`,
        uiKey({ name: `${provider}-local`, [block]: { url: envVar('http://127.0.0.1:11434'), ...extra } }),
      );
      expect(res.status, res.text).toBe(200);
      expectSchema('Key', res.body);
      expect(res.body.value).toMatchObject({ value: '', from_env: false });
      expect(res.body[block]).toMatchObject({ url: { value: 'http://127.0.0.1:11434', from_env: false }, ...extra });
      // Read back and sent back unchanged (the UI's edit dialog): still accepted, nothing changes.
      const shown = (await get(`${P}/${provider}/keys/${res.body.id}`)).body;
      const echoed = await put(`${P}/${provider}/keys/${res.body.id}`, shown);
      expect(echoed.status, echoed.text).toBe(200);
      expect(echoed.body).toEqual(shown);
    }
  });

  it('accepts a key with no value field at all, only the URL (as Bifrost clients send it)', async () => {
    const res = await post(`${P}/ollama/keys`, { ollama_key_config: { url: 'http://127.0.0.1:11434' } });
    expect(res.status, res.text).toBe(200);
    expectSchema('Key', res.body);
  });

  it('accepts Bedrock keys that carry IAM credentials or a role only, with the UI’s default key config', async () => {
    expect((await post(P, { provider: 'bedrock' })).status).toBe(200);
    const iam = await post(
      `${P}/bedrock/keys`,
      uiKey({
        name: 'iam',
        bedrock_key_config: {
          access_key: envVar('AKIAFAKEEXAMPLE00001'),
          secret_key: envVar('fakeSecretAccessKey/EXAMPLE+0123456789abcd'),
          region: envVar('us-east-1'),
          arn: EMPTY,
        },
      }),
    );
    expect(iam.status, iam.text).toBe(200);
    expectSchema('Key', iam.body);
    expect(iam.body.bedrock_key_config.access_key.value).toBe(`AKIA${'*'.repeat(24)}0001`);
    expect(iam.text).not.toContain('fakeSecretAccessKey');
    const role = await post(
      `${P}/bedrock/keys`,
      uiKey({
        name: 'role',
        bedrock_key_config: { region: envVar('eu-west-1'), role_arn: envVar('arn:aws:iam::123456789012:role/bedrock') },
      }),
    );
    expect(role.status, role.text).toBe(200);
    expect(role.body.bedrock_key_config.region.value).toBe('eu-west-1');
  });

  it('still refuses what Bifrost refuses: an empty value where a key needs one, a URL-only key without its URL', async () => {
    await post(P, { provider: 'openai', network_config: { base_url: fake.baseUrl } });
    expectBifrostError(await post(`${P}/openai/keys`, uiKey({ name: 'empty' })), 400, 'Key value must not be empty');
    expectBifrostError(await post(`${P}/ollama/keys`, uiKey({ name: 'no-url' })), 400, 'ollama_key_config.url is required for Ollama keys');
    expectBifrostError(
      await post(`${P}/vllm/keys`, uiKey({ name: 'no-model', vllm_key_config: { url: envVar('http://127.0.0.1:8000') } })),
      400,
      'vllm_key_config.model_name is required for VLLM keys',
    );
    expectBifrostError(
      await post(`${P}/bedrock/keys`, uiKey({ name: 'no-region', bedrock_key_config: { arn: EMPTY } })),
      400,
      'bedrock_key_config.region is required for Bedrock keys',
    );
    expectBifrostError(
      await post(`${P}/sgl/keys`, uiKey({ name: 'metadata', sgl_key_config: { url: envVar('http://169.254.169.254') } })),
      400,
    );
  });
});

describe('Bifrost current: non-secret key settings in the secret-value object form', () => {
  it('answers azure_key_config.endpoint and api_version as objects the UI reads .value of, from either input form', async () => {
    expect((await post(P, { provider: 'azure' })).status).toBe(200);
    const fromUi = await post(
      `${P}/azure/keys`,
      uiKey({
        name: 'az-ui',
        value: envVar('0123456789abcdef0123456789abcdef'),
        models: [],
        azure_key_config: {
          endpoint: envVar('https://res.openai.azure.com'),
          api_version: envVar('2024-02-01'),
          client_id: EMPTY,
          client_secret: EMPTY,
          tenant_id: EMPTY,
          scopes: [],
        },
      }),
    );
    expect(fromUi.status, fromUi.text).toBe(200);
    expectSchema('Key', fromUi.body);
    expect(fromUi.body.azure_key_config.endpoint).toEqual({
      value: 'https://res.openai.azure.com',
      ref: '',
      type: 'plain_text',
      env_var: '',
      from_env: false,
    });
    expect(fromUi.body.azure_key_config.api_version.value).toBe('2024-02-01');
    const fromString = await post(`${P}/azure/keys`, {
      name: 'az-plain',
      value: 'fedcba9876543210fedcba9876543210',
      azure_key_config: { endpoint: 'env.AZURE_ENDPOINT', api_version: '2024-10-21' },
    });
    expect(fromString.status, fromString.text).toBe(200);
    expectSchema('Key', fromString.body);
    expect(fromString.body.azure_key_config).toMatchObject({
      endpoint: { value: 'env.AZURE_ENDPOINT', env_var: 'env.AZURE_ENDPOINT', from_env: true, type: 'env' },
      api_version: { value: '2024-10-21', from_env: false },
    });
    const listed = await get(`${P}/azure/keys`);
    expectSchema('ListProviderKeysResponse', listed.body);
  });

  it('answers bedrock_key_config.region and vertex_key_config.project_id / region the same way', async () => {
    const bedrock = (await get(`${P}/bedrock/keys`)).body.keys.find((k: { name: string }) => k.name === 'iam');
    expect(bedrock.bedrock_key_config.region).toMatchObject({ value: 'us-east-1', type: 'plain_text' });
    expect((await post(P, { provider: 'vertex' })).status).toBe(200);
    const vertex = await post(
      `${P}/vertex/keys`,
      uiKey({
        name: 'vx',
        vertex_key_config: { project_id: envVar('proj-1'), project_number: EMPTY, region: envVar('us-central1'), auth_credentials: EMPTY },
      }),
    );
    expect(vertex.status, vertex.text).toBe(200);
    expectSchema('Key', vertex.body);
    expect(vertex.body.vertex_key_config).toEqual({
      project_id: { value: 'proj-1', ref: '', type: 'plain_text', env_var: '', from_env: false },
      region: { value: 'us-central1', ref: '', type: 'plain_text', env_var: '', from_env: false },
    });
  });
});

describe('Bifrost current: status, description, provider_status and refresh-models', () => {
  it('omits status before any discovery, then sets each key’s status on refresh-models (one good key, one 401 key)', async () => {
    const good = await post(`${P}/openai/keys`, uiKey({ name: 'good', value: envVar(GOOD_KEY) }));
    const bad = await post(`${P}/openai/keys`, uiKey({ name: 'revoked', value: envVar(BAD_KEY) }));
    expect([good.status, bad.status]).toEqual([200, 200]);
    const before = await get(`${P}/openai`);
    expectSchema('ProviderResponse', before.body);
    expect(before.body).not.toHaveProperty('status');
    expect(good.body).not.toHaveProperty('status');

    const refreshed = await post(`${P}/openai/refresh-models`, {});
    expect(refreshed.status).toBe(200);
    expectSchema('ListProviderKeysResponse', refreshed.body);
    const statuses = refreshed.body.keys.map((k: { status?: string }) => k.status);
    expect(statuses).toEqual(['success', 'list_models_failed']);
    const failed = refreshed.body.keys[1];
    expect(failed.description).toMatch(/401/);
    expect(refreshed.text).not.toContain(BAD_KEY);
    // The UI's own check after a refresh (its key form): some key failed model discovery.
    expect(refreshed.body.keys.some((key: { status?: string }) => key.status === 'list_models_failed')).toBe(true);
    expect((await get(`${P}/openai/keys/${good.body.id}`)).body.status).toBe('success');
  });

  it('keeps provider_status "active" (initialised) when a key fails; the provider’s status says how discovery went', async () => {
    const shown = await get(`${P}/openai`);
    expectSchema('ProviderResponse', shown.body);
    expect(shown.body).toMatchObject({ provider_status: 'active', status: 'success' });
    await post(P, { provider: 'xai', network_config: { base_url: fake.baseUrl } });
    await post(`${P}/xai/keys`, uiKey({ name: 'xai-revoked', value: envVar(BAD_KEY) }));
    await post(`${P}/xai/refresh-models`, {});
    const xai = await get(`${P}/xai`);
    expectSchema('ProviderResponse', xai.body);
    expect(xai.body).toMatchObject({ provider_status: 'active', status: 'list_models_failed', description: expect.stringMatching(/401/) });
    const list = await get(P);
    expectSchema('ListProvidersResponse', list.body);
  });

  it('refreshes one key on POST …/keys/{key_id}/refresh-models and answers that key', async () => {
    const keys = (await get(`${P}/openai/keys`)).body.keys as Array<{ id: string; name: string }>;
    const revoked = keys.find((k) => k.name === 'revoked')!;
    const res = await post(`${P}/openai/keys/${revoked.id}/refresh-models`, {});
    expect(res.status).toBe(200);
    expectSchema('Key', res.body);
    expect(res.body).toMatchObject({ id: revoked.id, status: 'list_models_failed' });
  });
});

describe('Bifrost current: GET /api/keys and GET /api/models (OpenAPI "Providers", used by the UI)', () => {
  it('lists every key as a bare array of DBKey-shaped entries, never a secret (Postman "List Keys": body is an array)', async () => {
    const res = await get(`${API}/keys`);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expectSchema('ListKeys', res.body);
    const good = res.body.find((k: { name: string }) => k.name === 'good');
    expect(good).toEqual({ key_id: expect.any(String), name: 'good', provider: 'openai', provider_id: expect.any(String), models: ['*'] });
    expect(res.text).not.toContain(GOOD_KEY);
    expect(res.text).not.toContain('fakeSecretAccessKey');
    // Like every route of the surface, the new ones need the token.
    for (const path of [`${API}/keys`, `${API}/models`, `${API}/models/details`, `${API}/models/base`]) {
      expectBifrostError(await t.request(path, { noAuth: true }), 401);
    }
  });

  it('lists models as {models, total} with the UI’s query, provider, keys, limit and unfiltered parameters', async () => {
    const all = await get(`${API}/models?provider=openai&limit=50`);
    expect(all.status).toBe(200);
    expectSchema('ListModelsResponse', all.body);
    expect(Object.keys(all.body).sort()).toEqual(['models', 'total']);
    expect(all.body.models.map((m: { name: string }) => m.name)).toEqual([
      'dall-e-3',
      'gpt-4o',
      'gpt-4o-mini',
      'text-embedding-3-small',
      'whisper-1',
    ]);
    expect(all.body.models[0]).toEqual({ name: 'dall-e-3', provider: 'openai' });
    // Default limit 5, `total` before the limit.
    const defaults = await get(`${API}/models`);
    expect(defaults.body.models.length).toBeLessThanOrEqual(5);
    expect(defaults.body.total).toBeGreaterThanOrEqual(5);
    const query = await get(`${API}/models?query=GPT4o&provider=openai`);
    expect(query.body.models.map((m: { name: string }) => m.name)).toEqual(['gpt-4o', 'gpt-4o-mini']);

    // Keys narrow the list to what they may use, and say which key grants each model.
    const keys = (await get(`${P}/openai/keys`)).body.keys as Array<{ id: string; name: string }>;
    const good = keys.find((k) => k.name === 'good')!;
    const narrow = await post(`${P}/openai/keys`, uiKey({ name: 'narrow', value: envVar('sk-narrow-key-0123456789'), models: ['gpt-4o'] }));
    const byKeys = await get(`${API}/models?provider=openai&limit=50&keys=${narrow.body.id},${good.id}`);
    expectSchema('ListModelsResponse', byKeys.body);
    expect(byKeys.body.models.find((m: { name: string }) => m.name === 'gpt-4o').accessible_by_keys).toEqual([narrow.body.id, good.id]);
    expect(byKeys.body.models.find((m: { name: string }) => m.name === 'whisper-1').accessible_by_keys).toEqual([good.id]);
    const onlyNarrow = await get(`${API}/models?provider=openai&keys=${narrow.body.id}`);
    expect(onlyNarrow.body).toEqual({ models: [{ name: 'gpt-4o', provider: 'openai', accessible_by_keys: [narrow.body.id] }], total: 1 });
    const unfiltered = await get(`${API}/models?provider=openai&keys=${narrow.body.id}&unfiltered=true&limit=50`);
    expect(unfiltered.body.total).toBe(5);
  });

  it('answers the other model routes the UI calls: details, base names, and 404 for parameters it falls back on', async () => {
    const details = await get(`${API}/models/details?provider=openai`);
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({
      total: 5,
      models: expect.arrayContaining([expect.objectContaining({ name: 'gpt-4o', provider: 'openai' })]),
    });
    const base = await get(`${API}/models/base?query=gpt`);
    expect(base.body).toEqual({ models: ['gpt-4o', 'gpt-4o-mini'], total: 2 });
    expectBifrostError(await get(`${API}/models/parameters?model=gpt-4o`), 404, 'no parameters found for model gpt-4o');
    expectBifrostError(await get(`${API}/models/parameters`), 400, 'model query parameter is required');
  });
});

describe('Bifrost current: omitted fields, error bodies, DELETE', () => {
  it('omits custom_provider_config, allowed_requests, request_path_overrides and every *_key_config instead of null', async () => {
    const standard = await get(`${P}/openai`);
    expect(standard.body).not.toHaveProperty('custom_provider_config');
    const custom = await post(P, { provider: 'plain-gw', custom_provider_config: { base_provider_type: 'openai' } });
    expectSchema('ProviderResponse', custom.body);
    expect(custom.body.custom_provider_config).toEqual({ is_key_less: false, base_provider_type: 'openai' });
    const key = (await get(`${P}/openai/keys`)).body.keys[0];
    for (const block of [
      'azure_key_config',
      'vertex_key_config',
      'bedrock_key_config',
      'ollama_key_config',
      'vllm_key_config',
      'sgl_key_config',
    ])
      expect(key).not.toHaveProperty(block);
    expect(JSON.stringify((await get(P)).body)).not.toContain(':null');
    expect(JSON.stringify((await get(`${API}/keys`)).body)).not.toContain(':null');
  });

  it('sends every error with extra_fields and status_code equal to the HTTP status (Postman’s error envelope)', async () => {
    expectBifrostError(await get(`${P}/never-made`), 404, 'Provider not found: never-made');
    expectBifrostError(await post(P, {}), 400, 'Missing provider');
    expectBifrostError(await post(P, { provider: 'openai' }), 409, 'Provider openai already exists');
    expectBifrostError(await t.request(P, { noAuth: true }), 401);
    expectBifrostError(await get(`${API}/nothing-here`), 404);
    // Postman's key coverage probes on a provider that does not exist: any 4xx/5xx, in the envelope.
    const probe = `${P}/coverage-probe-provider/keys`;
    for (const res of [
      await get(probe),
      await post(probe, { name: 'coverage-probe-key', value: 'coverage-probe-value' }),
      await put(`${probe}/coverage-probe-key`, { name: 'coverage-probe-key', value: 'coverage-probe-value-updated' }),
      await del(`${probe}/coverage-probe-key`),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectBifrostError(res, res.status);
    }
  });

  it('runs Postman’s Add → Get → Update → Delete of custom-123, DELETE answering the provider object', async () => {
    const added = await post(P, {
      provider: 'custom-123',
      custom_provider_config: { base_provider_type: 'openai', is_key_less: true },
      network_config: {
        base_url: 'https://api.openai.com/',
        default_request_timeout_in_seconds: 30,
        max_retries: 0,
        retry_backoff_initial: 500,
        retry_backoff_max: 5000,
      },
      keys: [],
    });
    expect(added.status, added.text).toBe(200);
    expectSchema('ProviderResponse', added.body);
    expectPostmanProvider(added.body, 'custom-123');
    const got = await get(`${P}/custom-123`);
    expectPostmanProvider(got.body, 'custom-123');
    const updated = await put(`${P}/custom-123`, {
      name: 'custom-123',
      keys: [],
      network_config: {
        base_url: 'https://api.openai.com/',
        default_request_timeout_in_seconds: 30,
        max_retries: 0,
        retry_backoff_initial: 500,
        retry_backoff_max: 5000,
      },
      concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      proxy_config: null,
      send_back_raw_request: false,
      send_back_raw_response: false,
      custom_provider_config: { is_key_less: true, base_provider_type: 'openai' },
      provider_status: 'active',
    });
    expect(updated.status, updated.text).toBe(200);
    expectSchema('ProviderResponse', updated.body);
    expectPostmanProvider(updated.body, 'custom-123');
    const deleted = await del(`${P}/custom-123`);
    expect(deleted.status).toBe(200);
    expectSchema('ProviderResponse', deleted.body);
    expectPostmanProvider(deleted.body, 'custom-123', true);
    expect(deleted.body).toEqual({ ...updated.body, provider_status: 'deleted' });
    expect((await get(`${P}/custom-123`)).status).toBe(404);
  });
});

describe('Bifrost current: standard names, the sgl base format, newer request flags', () => {
  it('accepts every current standard provider name without a custom block, names with "_" included', async () => {
    const names = [
      'anthropic',
      'bedrock_mantle',
      'cerebras',
      'cohere',
      'deepseek',
      'gemini',
      'groq',
      'mistral',
      'opencode-go',
      'opencode-zen',
      'parasail',
      'perplexity',
      'openrouter',
      'elevenlabs',
      'huggingface',
      'nebius',
      'replicate',
      'runway',
      'runware',
      'fireworks',
      'sarvam',
      'wafer',
      'github-copilot',
      'databricks',
      'typesafe',
    ];
    for (const name of names) {
      const res = await post(
        P,
        name === 'databricks'
          ? { provider: name, network_config: { base_url: 'https://ws.cloud.databricks.com/serving-endpoints' } }
          : { provider: name },
      );
      expect(res.status, `${name}: ${res.text}`).toBe(200);
      expectSchema('ProviderResponse', res.body);
      expect(res.body.name).toBe(name);
      if (MODEL_PROVIDER_ENUM.includes(name)) expectSchema('ModelProvider', res.body.name);
    }
    expect((await get('/api/v1/providers/deepseek')).body.type).toBe('deepseek');
    expect((await get('/api/v1/providers/bedrock_mantle')).body.type).toBe('bedrock');
    expectBifrostError(
      await post(P, { provider: 'deepseek-2', custom_provider_config: {} }),
      400,
      'BaseProviderType is required when CustomProviderConfig is provided',
    );
    expectBifrostError(
      await post(P, { provider: 'sarvam-x', custom_provider_config: { base_provider_type: 'sarvam' } }),
      400,
      'BaseProviderType must be a standard provider',
    );
  });

  it('accepts the UI’s custom provider with base format sgl', async () => {
    const res = await post(P, uiCustomProvider('my-sglang', 'sgl', 'http://127.0.0.1:30000'));
    expect(res.status, res.text).toBe(200);
    expectSchema('ProviderResponse', res.body);
    expect(res.body.custom_provider_config.base_provider_type).toBe('sgl');
    expect((await get('/api/v1/providers/my-sglang')).body.type).toBe('sgl');
  });

  it('keeps the UI’s newer allowed_requests flags, and flags it does not know, through a GET → PUT round trip', async () => {
    const flags = { ...UI_FLAGS, some_future_flag: true };
    const res = await post(P, uiCustomProvider('flags-gw', 'openai', fake.baseUrl, flags));
    expect(res.status, res.text).toBe(200);
    expectSchema('ProviderResponse', res.body);
    const shown = res.body.custom_provider_config.allowed_requests as Record<string, boolean>;
    for (const [flag, allowed] of Object.entries(flags)) expect(shown[flag], flag).toBe(allowed);
    const read = (await get(`${P}/flags-gw`)).body;
    const echoed = await put(`${P}/flags-gw`, read);
    expect(echoed.status, echoed.text).toBe(200);
    expect(echoed.body).toEqual(read);
    expect((await get('/api/v1/providers/flags-gw')).body.custom_provider_config.allowed_requests).toMatchObject({
      realtime: false,
      image_edit: true,
      some_future_flag: true,
    });
  });
});
