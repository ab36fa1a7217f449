/** Real-world shaped Bifrost config.json documents for the import/export tests. */

export const OPENAI_KEY = 'sk-proj-live-4f9c2a1b8d7e6f5a4b3c2d1e0f9a8b7c';
export const ANTHROPIC_KEY = 'sk-ant-api03-Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE';
export const AZURE_KEY = '0123456789abcdef0123456789abcdef';
export const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const PROXY_PASSWORD = 'proxy-pass-Q8w7e6r5';
export const GOVERNANCE_PASSWORD = 'admin-pass-Zq1Xw2Ce3';
export const CUSTOM_KEY = 'emb-live-9a8b7c6d5e4f3a2b1c0d';
export const LITERAL_SECRETS = [OPENAI_KEY, ANTHROPIC_KEY, AZURE_KEY, AWS_SECRET, PROXY_PASSWORD, GOVERNANCE_PASSWORD, CUSTOM_KEY];

/** Several providers, env references and literal keys, Azure deployments, Bedrock and Vertex key configs, a custom provider, unknown sections. */
export function realWorldConfig(): Record<string, any> {
  return {
    $schema: 'https://www.getbifrost.ai/schema',
    client: { drop_excess_requests: false, initial_pool_size: 300, enable_logging: true, allowed_origins: ['http://localhost:3000'] },
    providers: {
      openai: {
        keys: [
          { name: 'openai-primary', value: OPENAI_KEY, models: ['gpt-4o', 'gpt-4o-mini'], weight: 0.7 },
          { name: 'openai-backup', value: 'env.OPENAI_API_KEY', models: [], weight: 0.3, enabled: false },
        ],
        network_config: { default_request_timeout_in_seconds: 60, max_retries: 2, retry_backoff_initial: '250ms', retry_backoff_max: '2s' },
        concurrency_and_buffer_size: { concurrency: 10, buffer_size: 100 },
        proxy_config: { type: 'http', url: 'http://proxy.corp.example:3128', username: 'svc-llm', password: PROXY_PASSWORD },
      },
      anthropic: {
        keys: [{ name: 'claude', value: ANTHROPIC_KEY, models: ['*'], weight: 1 }],
        send_back_raw_response: true,
      },
      azure: {
        keys: [
          {
            id: '7d1c7f5e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
            name: 'azure-eastus',
            value: AZURE_KEY,
            models: ['gpt-4o'],
            weight: 1,
            azure_key_config: {
              endpoint: 'https://my-resource.openai.azure.com',
              api_version: '2024-10-21',
              deployments: { 'gpt-4o': 'gpt-4o-prod', 'gpt-4o-mini': 'gpt-4o-mini-eu' },
            },
          },
        ],
        network_config: { base_url: 'https://my-resource.openai.azure.com' },
      },
      bedrock: {
        keys: [
          {
            name: 'bedrock-iam',
            models: ['anthropic.claude-3-5-sonnet-20240620-v1:0'],
            weight: 1,
            bedrock_key_config: {
              access_key: 'env.AWS_ACCESS_KEY_ID',
              secret_key: AWS_SECRET,
              region: 'us-east-1',
              deployments: { 'claude-sonnet': 'us.anthropic.claude-3-5-sonnet-20240620-v1:0' },
            },
            use_for_batch_api: true,
          },
        ],
      },
      vertex: {
        keys: [
          {
            name: 'vertex-sa',
            value: '',
            models: ['gemini-1.5-pro'],
            weight: 1,
            vertex_key_config: { project_id: 'my-gcp-project', region: 'us-central1', auth_credentials: 'env.VERTEX_CREDENTIALS' },
          },
        ],
      },
      ollama: {
        keys: [{ name: 'local', value: '', models: ['*'], weight: 1, ollama_key_config: { url: 'http://localhost:11434' } }],
        network_config: { base_url: 'http://localhost:11434', allow_private_network: true },
      },
      embark: {
        keys: [{ name: 'embark-cluster', value: CUSTOM_KEY, models: ['*'], weight: 1 }],
        network_config: { base_url: 'https://llm.embark.example/v1', extra_headers: { 'X-Team': 'platform' }, enforce_http2: true },
        custom_provider_config: {
          base_provider_type: 'openai',
          is_key_less: false,
          allowed_requests: { list_models: true, chat_completion: true, chat_completion_stream: true, rerank: true },
          request_path_overrides: { chat_completion: '/v1/chat' },
        },
        openai_config: { disable_store: true },
      },
    },
    governance: {
      auth_config: { is_enabled: true, admin_username: 'admin', admin_password: GOVERNANCE_PASSWORD },
      virtual_keys: [{ id: 'vk-1', name: 'team-a', value: 'env.BIFROST_VK_TEAM_A', is_active: true }],
    },
    mcp: {
      client_configs: [
        {
          name: 'files',
          connection_type: 'stdio',
          stdio_config: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem'] },
        },
      ],
    },
    config_store: { enabled: true, type: 'sqlite', config: { path: './config.db' } },
    plugins: [{ name: 'telemetry', enabled: true, config: {} }],
  };
}

export const PROVIDER_NAMES = ['openai', 'anthropic', 'azure', 'bedrock', 'vertex', 'ollama', 'embark'];
