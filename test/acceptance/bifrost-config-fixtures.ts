/**
 * config.json files of our own that resemble the ones Bifrost publishes (maximhq/bifrost: config.json at the root,
 * docker-volume/, examples/configs/*, .github/workflows/configs/*), written from the one-line summaries in
 * docs/peers/bifrost-config.md §4 — not copies. Each one is valid against Bifrost's config.schema.json (see
 * bifrost-config-schema.ts); where a published file is not (Azure `deployments`, a vLLM base URL), the fixture leaves
 * that out and a test of its own covers it.
 */

export type Doc = Record<string, any>;

const timeout300 = { default_request_timeout_in_seconds: 300 };
const sqliteStores = {
  config_store: { enabled: true, type: 'sqlite', config: { path: './config.db' } },
  logs_store: { enabled: true, type: 'sqlite', config: { path: './logs.db' } },
};
const postgres = (db: string) => ({
  enabled: true,
  type: 'postgres',
  config: { host: 'env.PG_HOST', port: '5432', user: 'env.PG_USER', password: 'env.PG_PASSWORD', db_name: db, ssl_mode: 'disable' },
});

/** Like the root config.json: many providers, per-provider concurrency, `models: []`, cloud keys without a value, stores. */
function rootLike(): Doc {
  const plain = (env: string) => ({
    keys: [{ name: `${env.toLowerCase()}-main`, value: `env.${env}`, models: [], weight: 1.0 }],
    concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
  });
  return {
    $schema: 'https://www.getbifrost.ai/schema',
    client: { drop_excess_requests: false, initial_pool_size: 300, allowed_origins: ['http://localhost:3000'], enable_logging: true },
    providers: {
      openai: plain('OPENAI_API_KEY'),
      anthropic: plain('ANTHROPIC_API_KEY'),
      bedrock: {
        keys: [
          {
            name: 'bedrock-iam',
            models: [],
            weight: 1.0,
            use_for_batch_api: true,
            bedrock_key_config: {
              access_key: 'env.AWS_ACCESS_KEY_ID',
              secret_key: 'env.AWS_SECRET_ACCESS_KEY',
              region: 'us-east-1',
              arn: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile',
              deployments: { 'claude-sonnet': 'us.anthropic.claude-sonnet-4-v1:0' },
            },
          },
        ],
        concurrency_and_buffer_size: { concurrency: 6321, buffer_size: 10000 },
      },
      azure: {
        keys: [
          {
            name: 'azure-main',
            value: 'env.AZURE_API_KEY',
            models: [],
            weight: 1.0,
            azure_key_config: { endpoint: 'https://fixture-resource.openai.azure.com', api_version: '2024-10-21' },
          },
        ],
        concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000 },
      },
      vertex: {
        keys: [
          {
            name: 'vertex-sa',
            models: [],
            weight: 1.0,
            vertex_key_config: { project_id: 'fixture-project', region: 'us-central1', auth_credentials: 'env.VERTEX_CREDENTIALS' },
          },
        ],
        concurrency_and_buffer_size: { concurrency: 6321, buffer_size: 7123 },
      },
      gemini: plain('GEMINI_API_KEY'),
      nebius: plain('NEBIUS_API_KEY'),
      xai: plain('XAI_API_KEY'),
      huggingface: plain('HUGGING_FACE_API_KEY'),
      elevenlabs: plain('ELEVENLABS_API_KEY'),
      cohere: plain('COHERE_API_KEY'),
      mistral: plain('MISTRAL_API_KEY'),
      groq: plain('GROQ_API_KEY'),
      openrouter: plain('OPENROUTER_API_KEY'),
      cerebras: plain('CEREBRAS_API_KEY'),
      perplexity: plain('PERPLEXITY_API_KEY'),
      parasail: plain('PARASAIL_API_KEY'),
    },
    mcp: { client_configs: [{ name: 'fs', connection_type: 'stdio', stdio_config: { command: 'npx', args: ['-y', 'fs-mcp'] } }] },
    ...sqliteStores,
    vector_store: { enabled: false, type: 'weaviate', config: { scheme: 'http', host: 'localhost:8080' } },
  };
}

/** Like examples/configs/e2e: every provider with only a request timeout, Bifrost's newer names included. */
function e2eLike(): Doc {
  const keyed = (env: string, extra: Doc = {}) => ({
    keys: [{ name: `${env.toLowerCase()}-e2e`, value: `env.${env}`, models: ['*'], weight: 1, ...extra }],
    network_config: { ...timeout300 },
  });
  return {
    $schema: 'https://www.getbifrost.ai/schema',
    client: { drop_excess_requests: false, enable_logging: true },
    providers: {
      openai: keyed('OPENAI_API_KEY', { use_for_batch_api: true }),
      elevenlabs: keyed('ELEVENLABS_API_KEY'),
      xai: keyed('XAI_API_KEY'),
      huggingface: keyed('HUGGING_FACE_API_KEY'),
      anthropic: keyed('ANTHROPIC_API_KEY', { use_for_batch_api: true }),
      gemini: keyed('GEMINI_API_KEY', { use_for_batch_api: true }),
      vertex: {
        keys: [
          {
            name: 'vertex-regional',
            models: ['gemini-2.5-pro', 'claude-sonnet-4'],
            weight: 1,
            vertex_key_config: {
              project_id: 'env.VERTEX_PROJECT_ID',
              region: 'env.VERTEX_REGION',
              auth_credentials: 'env.VERTEX_CREDENTIALS',
            },
          },
          {
            name: 'vertex-global',
            models: ['*'],
            blacklisted_models: ['gemini-1.0-pro'],
            weight: 1,
            vertex_key_config: { project_id: 'env.VERTEX_PROJECT_ID', region: 'global', auth_credentials: 'env.VERTEX_CREDENTIALS' },
          },
        ],
        network_config: { ...timeout300 },
      },
      mistral: keyed('MISTRAL_API_KEY'),
      cohere: keyed('COHERE_API_KEY'),
      parasail: keyed('PARASAIL_API_KEY'),
      groq: keyed('GROQ_API_KEY'),
      perplexity: keyed('PERPLEXITY_API_KEY'),
      cerebras: keyed('CEREBRAS_API_KEY'),
      openrouter: keyed('OPENROUTER_API_KEY'),
      azure: {
        keys: [
          {
            name: 'azure-e2e',
            value: 'env.AZURE_API_KEY',
            models: ['*'],
            weight: 1,
            azure_key_config: { endpoint: 'env.AZURE_ENDPOINT', api_version: '2024-10-21' },
          },
        ],
        network_config: { ...timeout300 },
      },
      bedrock: {
        keys: [
          {
            name: 'bedrock-e2e',
            models: ['*'],
            weight: 1,
            bedrock_key_config: { access_key: 'env.AWS_ACCESS_KEY_ID', secret_key: 'env.AWS_SECRET_ACCESS_KEY', region: 'env.AWS_REGION' },
          },
        ],
        network_config: { ...timeout300 },
      },
      bedrock_mantle: {
        keys: [
          {
            name: 'mantle-e2e',
            models: ['*'],
            weight: 1,
            bedrock_mantle_key_config: {
              access_key: 'env.AWS_ACCESS_KEY_ID',
              secret_key: 'env.AWS_SECRET_ACCESS_KEY',
              region: 'us-east-1',
            },
          },
        ],
        network_config: { ...timeout300 },
      },
      replicate: { keys: [{ name: 'replicate-e2e', value: 'env.REPLICATE_API_KEY', weight: 1 }], network_config: { ...timeout300 } },
      runware: keyed('RUNWARE_API_KEY'),
      runway: keyed('RUNWAY_API_KEY'),
      nebius: keyed('NEBIUS_API_KEY'),
      deepseek: keyed('DEEPSEEK_API_KEY'),
      'opencode-go': keyed('OPENCODE_API_KEY'),
      'opencode-zen': keyed('OPENCODE_API_KEY'),
      sarvam: keyed('SARVAM_API_KEY'),
    },
    mcp: { client_configs: [{ name: 'e2e-sse', connection_type: 'sse', connection_string: 'http://localhost:3001/sse' }] },
    governance: {
      virtual_keys: [
        {
          id: 'vk-e2e',
          name: 'e2e',
          value: 'env.BIFROST_E2E_VK',
          is_active: true,
          provider_configs: [
            { provider: 'openai', weight: 1 },
            { provider: 'deepseek', weight: 1 },
          ],
        },
      ],
    },
    server: { read_buffer_size: 65536 },
    logs_store: { enabled: true, type: 'sqlite', config: { path: './logs.db' }, writer: { batch_size: 100 } },
  };
}

/** Like examples/configs/loadtest (the parts its schema accepts): every provider pointed at one local mock server. */
function loadtestLike(): Doc {
  const mock = 'http://localhost:8000';
  const at = (extra: Doc = {}) => ({
    keys: [{ name: 'load', value: 'sk-123', weight: 1, ...extra }],
    network_config: { base_url: mock },
  });
  return {
    providers: {
      openai: at(),
      anthropic: at(),
      bedrock: at({ bedrock_key_config: { region: 'us-east-1' } }),
      gemini: at(),
      vertex: at({ vertex_key_config: { project_id: 'load-project', region: 'us-central1' } }),
      cohere: at(),
      xai: at(),
      groq: at(),
      perplexity: at(),
      cerebras: at(),
      mistral: at(),
      elevenlabs: at(),
      azure: at({ azure_key_config: { endpoint: mock } }),
      huggingface: at(),
      ollama: at({ value: '', ollama_key_config: { url: mock } }),
      openrouter: at(),
      parasail: at(),
      replicate: at(),
      sgl: at({ value: '', sgl_key_config: { url: mock } }),
      vllm: { keys: [{ name: 'load', value: '', weight: 1, vllm_key_config: { url: mock, model_name: 'load-model' } }] },
    },
  };
}

/** Like withprompushgateway: twelve providers with a timeout, a key without a name, env-valued Azure and Bedrock configs. */
function pushgatewayLike(): Doc {
  const keyed = (env: string) => ({
    keys: [{ name: env.toLowerCase(), value: `env.${env}`, models: ['*'], weight: 1 }],
    network_config: { ...timeout300 },
  });
  return {
    providers: {
      openai: keyed('OPENAI_API_KEY'),
      anthropic: keyed('ANTHROPIC_API_KEY'),
      // The published file leaves this key's name out, which its schema refuses; a test of its own covers that shape.
      gemini: { keys: [{ name: 'gemini', value: 'env.GEMINI_API_KEY', models: ['*'], weight: 1 }], network_config: { ...timeout300 } },
      vertex: {
        keys: [
          {
            name: 'vertex',
            models: ['*'],
            weight: 1,
            vertex_key_config: { project_id: 'env.VERTEX_PROJECT_ID', region: 'us-east5', auth_credentials: 'env.VERTEX_CREDENTIALS' },
          },
        ],
        network_config: { ...timeout300 },
      },
      mistral: keyed('MISTRAL_API_KEY'),
      cohere: keyed('COHERE_API_KEY'),
      groq: keyed('GROQ_API_KEY'),
      perplexity: keyed('PERPLEXITY_API_KEY'),
      cerebras: keyed('CEREBRAS_API_KEY'),
      openrouter: keyed('OPENROUTER_API_KEY'),
      azure: {
        keys: [
          {
            name: 'azure',
            value: 'env.AZURE_API_KEY',
            models: ['*'],
            weight: 1,
            azure_key_config: { endpoint: 'env.AZURE_ENDPOINT', api_version: 'env.AZURE_API_VERSION' },
          },
        ],
        network_config: { ...timeout300 },
      },
      bedrock: {
        keys: [
          {
            name: 'bedrock',
            models: ['*'],
            weight: 1,
            bedrock_key_config: {
              access_key: 'env.AWS_ACCESS_KEY_ID',
              secret_key: 'env.AWS_SECRET_ACCESS_KEY',
              region: 'env.AWS_REGION',
              arn: 'env.AWS_ARN',
            },
          },
        ],
        network_config: { ...timeout300 },
      },
    },
    plugins: [{ enabled: true, name: 'telemetry', config: { push_gateway: { enabled: true, push_gateway_url: 'http://localhost:9091' } } }],
  };
}

/** Like withvirtualkeys: keys with explicit ids that governance refers to, an endpoint with a trailing slash. */
function virtualKeysLike(): Doc {
  const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
  return {
    providers: {
      azure: {
        keys: [1, 2].map((n) => ({
          id: id(n),
          name: `azure-${n}`,
          value: `env.AZURE_API_KEY_${n}`,
          models: ['gpt-4o'],
          weight: 1,
          azure_key_config: { endpoint: `https://fixture-${n}.openai.azure.com/`, api_version: '2024-10-21' },
        })),
      },
      bedrock: {
        keys: [
          {
            id: id(3),
            name: 'bedrock-1',
            models: [],
            weight: 1,
            bedrock_key_config: { access_key: 'env.AWS_ACCESS_KEY_ID', region: 'us-west-2', secret_key: 'env.AWS_SECRET_ACCESS_KEY' },
          },
        ],
      },
      vertex: {
        keys: [
          {
            id: id(4),
            name: 'vertex-1',
            models: [],
            weight: 1,
            vertex_key_config: { auth_credentials: 'env.VERTEX_CREDENTIALS', project_id: 'fixture-project', region: 'europe-west4' },
          },
        ],
      },
      openai: { keys: [{ id: id(5), name: 'openai-1', value: 'env.OPENAI_API_KEY', models: ['*'], weight: 1 }] },
    },
    governance: {
      virtual_keys: [
        {
          id: 'vk-azure',
          name: 'azure-only',
          value: 'env.VK_AZURE',
          is_active: true,
          provider_configs: [{ provider: 'azure', key_ids: [id(1)] }],
        },
      ],
    },
    framework: { pricing: { pricing_sync_interval: 3600 } },
  };
}

/** Like the CI default config and the postgres + MCP examples: one or two env-keyed providers and other sections. */
function ciLike(): Doc {
  return {
    $schema: 'https://www.getbifrost.ai/schema',
    providers: {
      openai: {
        keys: [{ name: 'openai', value: 'env.OPENAI_API_KEY', weight: 1, models: ['*'], use_for_batch_api: true }],
        network_config: { ...timeout300 },
      },
      anthropic: {
        keys: [{ name: 'anthropic', value: 'env.ANTHROPIC_API_KEY', weight: 1, models: ['*'], use_for_batch_api: true }],
        network_config: { ...timeout300 },
      },
    },
    auth_config: { admin_username: 'env.BIFROST_ADMIN', admin_password: 'env.BIFROST_PASSWORD', is_enabled: true },
    config_store: postgres('bifrost'),
    logs_store: postgres('bifrost_logs'),
  };
}

function postgresMcpLike(): Doc {
  return {
    client: { drop_excess_requests: false, enable_litellm_fallbacks: false },
    providers: { openai: { keys: [{ name: 'openai', value: 'env.OPENAI_API_KEY', weight: 1 }] } },
    mcp: {
      client_configs: [
        { name: 'docs', connection_type: 'http', connection_string: 'http://localhost:3100/mcp', is_enabled: true },
        { name: 'search', connection_type: 'http', connection_string: 'http://localhost:3200/mcp', is_enabled: true },
      ],
    },
    governance: {
      virtual_keys: [{ id: 'vk-1', name: 'team', value: 'env.VK_TEAM', is_active: true, mcp_configs: [{ mcp_client_name: 'docs' }] }],
    },
    config_store: postgres('bifrost'),
    logs_store: postgres('bifrost_logs'),
    plugins: [{ enabled: true, name: 'governance', config: {} }],
  };
}

/** Local servers as Bifrost's own UI and docs configure them: the URL on each key, no provider URL, no private-network switch. */
function localServers(): Doc {
  return {
    providers: {
      ollama: { keys: [{ name: 'gpu-box', value: '', models: ['*'], weight: 1, ollama_key_config: { url: 'http://192.168.1.50:11434' } }] },
      sgl: { keys: [{ name: 'sgl-1', value: '', models: ['*'], weight: 1, sgl_key_config: { url: 'http://127.0.0.1:30000' } }] },
      vllm: {
        keys: [
          {
            name: 'vllm-1',
            value: '',
            models: ['*'],
            weight: 1,
            vllm_key_config: { url: 'http://10.0.0.7:8000', model_name: 'llama-3.1-8b' },
          },
        ],
      },
    },
  };
}

/** Files without providers: stores, plugins, caches only (docker-volume, withobservability, withobjectstorage …). */
function observabilityLike(): Doc {
  return {
    ...sqliteStores,
    plugins: [
      {
        enabled: true,
        name: 'otel',
        config: {
          profiles: [
            {
              name: 'default',
              enabled: true,
              service_name: 'bifrost',
              collector_url: 'http://localhost:4318',
              trace_type: 'otel',
              protocol: 'http',
            },
          ],
        },
      },
    ],
  };
}

function objectStorageLike(): Doc {
  return {
    logs_store: {
      enabled: true,
      type: 'sqlite',
      config: { path: './logs.db' },
      object_storage: {
        bucket: 'env.LOGS_BUCKET',
        region: 'env.AWS_REGION',
        access_key_id: 'env.AWS_ACCESS_KEY_ID',
        secret_access_key: 'env.AWS_SECRET_ACCESS_KEY',
        prefix: 'bifrost/',
      },
    },
  };
}

/** Each fixture by a name that says which published file it resembles. */
export const PUBLISHED_LIKE: Record<string, () => Doc> = {
  'root config.json': rootLike,
  'examples/configs/e2e': e2eLike,
  'examples/configs/loadtest (schema-valid part)': loadtestLike,
  'examples/configs/withprompushgateway': pushgatewayLike,
  'examples/configs/withvirtualkeys': virtualKeysLike,
  '.github/workflows/configs/default': ciLike,
  'examples/configs/withpostgresmcpclientsinconfig': postgresMcpLike,
  'local servers as Bifrost configures them': localServers,
  'examples/configs/withobservability': observabilityLike,
  'examples/configs/withobjectstorage': objectStorageLike,
};
