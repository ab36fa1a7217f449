/**
 * Facts of Bifrost's `transports/config.schema.json` (maximhq/bifrost @003ecc6a, draft 2019-09) that an exported
 * config.json must satisfy, transcribed from docs/peers/bifrost-config.md §3 — not a copy of the file. What it says about
 * providers, keys and their blocks is written out; the other top-level sections are only named (the top level is closed).
 */
import Ajv2019, { type ErrorObject } from 'ajv/dist/2019.js';

const string = { type: 'string' };
const boolean = { type: 'boolean' };
const int = (minimum: number, maximum?: number) => ({ type: 'integer', minimum, ...(maximum !== undefined ? { maximum } : {}) });
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
});

const NETWORK_FIELDS = {
  extra_headers: { type: 'object', additionalProperties: string },
  default_request_timeout_in_seconds: int(1),
  max_retries: int(0),
  retry_backoff_initial: int(100),
  retry_backoff_max: int(100),
  enforce_http2: boolean,
  insecure_skip_verify: boolean,
  ca_cert_pem: string,
  stream_idle_timeout_in_seconds: int(5, 3600),
  keep_alive_timeout_in_seconds: int(1, 3600),
  max_conns_per_host: int(1, 10000),
  beta_header_overrides: { type: 'object', additionalProperties: boolean },
  allow_private_network: { type: 'boolean', default: false },
};

/** The 60 request flags of `custom_provider_config.allowed_requests` (a closed object). */
const ALLOWED_REQUEST_FLAGS = [
  'list_models',
  'text_completion',
  'text_completion_stream',
  'chat_completion',
  'chat_completion_stream',
  'responses',
  'responses_stream',
  'responses_retrieve',
  'responses_delete',
  'responses_cancel',
  'responses_input_items',
  'count_tokens',
  'compaction',
  'embedding',
  'rerank',
  'ocr',
  'speech',
  'speech_stream',
  'transcription',
  'transcription_stream',
  'image_generation',
  'image_generation_stream',
  'image_edit',
  'image_edit_stream',
  'image_variation',
  'video_generation',
  'video_retrieve',
  'video_download',
  'video_delete',
  'video_list',
  'video_remix',
  'batch_create',
  'batch_list',
  'batch_retrieve',
  'batch_cancel',
  'batch_delete',
  'batch_results',
  'file_upload',
  'file_list',
  'file_retrieve',
  'file_delete',
  'file_content',
  'container_create',
  'container_list',
  'container_retrieve',
  'container_delete',
  'container_file_create',
  'container_file_list',
  'container_file_retrieve',
  'container_file_content',
  'container_file_delete',
  'passthrough',
  'passthrough_stream',
  'websocket_responses',
  'realtime',
  'cached_content_create',
  'cached_content_list',
  'cached_content_retrieve',
  'cached_content_update',
  'cached_content_delete',
];

/** `base_provider_type` of a custom provider in this schema version (30 names). */
const BASE_PROVIDER_TYPES = [
  'openai',
  'azure',
  'anthropic',
  'bedrock',
  'bedrock_mantle',
  'cohere',
  'vertex',
  'mistral',
  'ollama',
  'groq',
  'opencode-go',
  'opencode-zen',
  'sgl',
  'parasail',
  'perplexity',
  'cerebras',
  'deepseek',
  'gemini',
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
  'deepgram',
];

const aliasObject = closed(
  {
    model_id: { type: 'string', minLength: 1 },
    model_name: string,
    model_family: { enum: ['anthropic', 'openai', 'mistral', 'cohere', 'gemini', 'nova', 'titan'] },
    description: string,
    region: string,
    api_version: string,
    anthropic_version: string,
    endpoint: string,
    project_id: string,
    project_number: string,
    force_single_region: boolean,
    inference_profile_arn: string,
    use_deployments_endpoint: boolean,
  },
  ['model_id'],
);

/** A key: open (extra fields such as id, enabled, blacklisted_models validate), `name` and `weight` required. */
const baseKey = {
  type: 'object',
  properties: {
    name: string,
    value: string,
    models: { type: 'array', items: string },
    weight: { type: 'number', minimum: 0 },
    use_for_batch_api: { type: 'boolean', default: false },
    aliases: {
      type: 'object',
      propertyNames: { minLength: 1 },
      additionalProperties: { anyOf: [{ type: 'string', minLength: 1 }, aliasObject] },
    },
  },
  required: ['name', 'weight'],
};

/** A key of a provider with a typed config block. */
const typedKey = (field: string, config: unknown, configRequired: boolean) => ({
  allOf: [{ $ref: '#/$defs/base_key' }, { properties: { [field]: config }, ...(configRequired ? { required: [field] } : {}) }],
});

const awsFields = {
  access_key: string,
  secret_key: string,
  session_token: string,
  region: string,
  role_arn: string,
  external_id: string,
  session_name: string,
  project_id: string,
};

const urlConfig = closed({ url: { type: 'string', minLength: 1 } }, ['url']);

/** A provider entry (closed) whose keys are `keyRef`; `keysRequired` false for ollama and sgl. */
const providerEntry = (keyRef: string, keysRequired = true, networkRef = '#/$defs/network_config') =>
  closed(
    {
      keys: { type: 'array', items: { $ref: keyRef }, minItems: 1 },
      network_config: { $ref: networkRef },
      concurrency_and_buffer_size: { $ref: '#/$defs/concurrency_and_buffer_size' },
      proxy_config: { $ref: '#/$defs/proxy_config' },
      send_back_raw_request: boolean,
      send_back_raw_response: boolean,
      store_raw_request_response: boolean,
      custom_provider_config: { $ref: '#/$defs/custom_provider_config' },
    },
    keysRequired ? ['keys'] : [],
  );

const PLAIN_PROVIDERS = [
  'openai',
  'anthropic',
  'cohere',
  'mistral',
  'groq',
  'gemini',
  'opencode-go',
  'opencode-zen',
  'openrouter',
  'parasail',
  'perplexity',
  'elevenlabs',
  'deepgram',
  'cerebras',
  'deepseek',
  'huggingface',
  'fireworks',
  'nebius',
  'xai',
  'runway',
  'runware',
  'sarvam',
];

/** Names the schema validates; any other provider name is accepted as it is (`additionalProperties: true`). */
export const SCHEMA_PROVIDER_NAMES = [
  ...PLAIN_PROVIDERS,
  'bedrock',
  'bedrock_mantle',
  'azure',
  'vertex',
  'replicate',
  'vllm',
  'ollama',
  'sgl',
];

export const BIFROST_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2019-09/schema',
  type: 'object',
  properties: {
    $schema: { type: 'string', default: 'https://www.getbifrost.ai/schema' },
    version: { type: 'integer', enum: [1, 2], default: 2 },
    server: { type: 'object' },
    source_of_truth: { enum: ['split', 'config.json'] },
    encryption_key: string,
    env_label: { type: 'string', maxLength: 10 },
    auth_config: { type: 'object' },
    client: { type: 'object' },
    framework: { type: 'object' },
    governance: { type: 'object' },
    mcp: { type: 'object' },
    config_store: { type: 'object' },
    logs_store: { type: 'object' },
    vector_store: { type: 'object' },
    plugins: { type: 'array' },
    providers: {
      type: 'object',
      properties: {
        ...Object.fromEntries(PLAIN_PROVIDERS.map((name) => [name, { $ref: '#/$defs/provider' }])),
        bedrock: { $ref: '#/$defs/provider_with_bedrock_config' },
        bedrock_mantle: { $ref: '#/$defs/provider_with_bedrock_mantle_config' },
        azure: { $ref: '#/$defs/provider_with_azure_config' },
        vertex: { $ref: '#/$defs/provider_with_vertex_config' },
        replicate: { $ref: '#/$defs/provider_with_replicate_config' },
        vllm: { $ref: '#/$defs/provider_with_vllm_config' },
        ollama: { $ref: '#/$defs/provider_with_ollama_config' },
        sgl: { $ref: '#/$defs/provider_with_sgl_config' },
      },
      additionalProperties: true,
    },
  },
  additionalProperties: false,
  $defs: {
    network_config: closed({ base_url: { type: 'string', format: 'uri' }, ...NETWORK_FIELDS }),
    network_config_without_base_url: closed(NETWORK_FIELDS),
    concurrency_and_buffer_size: closed({ concurrency: int(1), buffer_size: int(1) }, ['concurrency', 'buffer_size']),
    proxy_config: closed(
      {
        type: { enum: ['none', 'http', 'socks5', 'environment'] },
        url: {
          oneOf: [
            { type: 'string', pattern: '^env\\.[A-Za-z_][A-Za-z0-9_]*$' },
            { type: 'string', format: 'uri' },
          ],
        },
        username: string,
        password: string,
        ca_cert_pem: string,
      },
      ['type'],
    ),
    custom_provider_config: closed(
      {
        is_key_less: boolean,
        base_provider_type: { enum: BASE_PROVIDER_TYPES },
        request_path_overrides: { type: 'object', additionalProperties: string },
        allowed_requests: closed(Object.fromEntries(ALLOWED_REQUEST_FLAGS.map((flag) => [flag, boolean]))),
      },
      ['base_provider_type'],
    ),
    base_key: baseKey,
    bedrock_key: typedKey(
      'bedrock_key_config',
      {
        ...closed(
          {
            ...awsFields,
            arn: string,
            deployments: { type: 'object', additionalProperties: string },
            batch_s3_config: {
              type: 'object',
              properties: {
                buckets: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { bucket_name: string, prefix: string, is_default: boolean },
                    required: ['bucket_name'],
                  },
                },
              },
            },
          },
          ['region'],
        ),
      },
      false,
    ),
    bedrock_mantle_key: typedKey('bedrock_mantle_key_config', closed(awsFields, ['region']), false),
    azure_key: typedKey(
      'azure_key_config',
      {
        ...closed(
          {
            endpoint: string,
            client_id: string,
            client_secret: string,
            tenant_id: string,
            scopes: { type: 'array', items: string },
            api_version: string,
          },
          ['endpoint'],
        ),
        dependentRequired: {
          client_id: ['client_secret', 'tenant_id'],
          client_secret: ['client_id', 'tenant_id'],
          tenant_id: ['client_id', 'client_secret'],
        },
      },
      true,
    ),
    vertex_key: typedKey(
      'vertex_key_config',
      closed({ project_id: string, project_number: string, region: string, auth_credentials: string, force_single_region: boolean }, [
        'project_id',
        'region',
      ]),
      true,
    ),
    replicate_key: typedKey('replicate_key_config', closed({ use_deployments_endpoint: boolean }), false),
    vllm_key: typedKey(
      'vllm_key_config',
      closed({ url: { type: 'string', minLength: 1 }, model_name: { type: 'string', minLength: 1 } }, ['url', 'model_name']),
      true,
    ),
    ollama_key: typedKey('ollama_key_config', urlConfig, true),
    sgl_key: typedKey('sgl_key_config', urlConfig, true),
    provider: providerEntry('#/$defs/base_key'),
    provider_with_bedrock_config: providerEntry('#/$defs/bedrock_key'),
    provider_with_bedrock_mantle_config: providerEntry('#/$defs/bedrock_mantle_key'),
    provider_with_azure_config: providerEntry('#/$defs/azure_key'),
    provider_with_vertex_config: providerEntry('#/$defs/vertex_key'),
    provider_with_replicate_config: providerEntry('#/$defs/replicate_key'),
    provider_with_vllm_config: providerEntry('#/$defs/vllm_key', true, '#/$defs/network_config_without_base_url'),
    provider_with_ollama_config: providerEntry('#/$defs/ollama_key', false),
    provider_with_sgl_config: providerEntry('#/$defs/sgl_key', false),
  },
};

/** An absolute URI with a scheme, as `format: uri` asks (`env.X` is not one). */
function isUri(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

const ajv = new Ajv2019({ allErrors: true, strict: false });
ajv.addFormat('uri', isUri);
const validate = ajv.compile(BIFROST_CONFIG_SCHEMA);

/** The schema's errors for a document, as `path message` lines (empty when it validates). */
export function bifrostSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
