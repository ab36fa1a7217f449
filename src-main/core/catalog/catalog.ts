import { bifrostStandardAliases } from './bifrost-standard.js';
import type { CatalogEntry, SettingField } from './types.js';

type EntryInput = Omit<CatalogEntry, 'aliases' | 'settings' | 'local' | 'keyRequired' | 'auth' | 'modelList' | 'capabilities'> &
  Partial<Pick<CatalogEntry, 'aliases' | 'settings' | 'local' | 'keyRequired' | 'auth' | 'modelList' | 'capabilities'>>;

/** Most providers speak the OpenAI dialect with a bearer key; entries state only how they differ. */
function entry(input: EntryInput): CatalogEntry {
  const local = input.local ?? false;
  return {
    aliases: [],
    settings: [],
    auth: local ? 'none' : 'bearer',
    modelList: 'openai',
    capabilities: ['llm'],
    keyRequired: !local,
    ...input,
    local,
  };
}

const azureSettings: SettingField[] = [
  { name: 'endpoint', label: 'Endpoint', placeholder: 'https://my-resource.openai.azure.com' },
  { name: 'api_version', label: 'API version', placeholder: '2024-10-21' },
  { name: 'deployments', label: 'Deployments (model=deployment, one per line)', multiline: true },
];

const bedrockSettings: SettingField[] = [
  { name: 'region', label: 'Region', placeholder: 'us-east-1' },
  { name: 'access_key', label: 'Access key ID', secret: true, placeholder: 'AKIA…' },
  { name: 'access_key_secret', label: 'Secret access key', secret: true },
  { name: 'session_token', label: 'Session token', secret: true },
  { name: 'role_arn', label: 'Role ARN', placeholder: 'arn:aws:iam::123456789012:role/bedrock' },
  { name: 'external_id', label: 'External ID (for the role)' },
  { name: 'session_name', label: 'Role session name', placeholder: 'provider-desk' },
  { name: 'profile', label: 'AWS profile (shared credentials/config files)', placeholder: 'default' },
  { name: 'use_fips', label: 'Use FIPS endpoints (true/false)', placeholder: 'false' },
  { name: 'sts_endpoint', label: 'STS endpoint', placeholder: 'https://sts.{region}.amazonaws.com' },
];

const vertexSettings: SettingField[] = [
  { name: 'project_id', label: 'Project ID', required: true, placeholder: 'my-gcp-project' },
  { name: 'region', label: 'Location', placeholder: 'us-central1' },
];

const watsonxSettings: SettingField[] = [
  { name: 'project_id', label: 'Project ID' },
  { name: 'space_id', label: 'Space ID' },
];

/** Every provider type Provider Desk knows, in display order. Facts: shared/specs/providers.md. */
export const CATALOG: readonly CatalogEntry[] = [
  entry({
    id: 'openai',
    label: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    keyHint: 'sk-…',
    capabilities: ['llm', 'embedding', 'audio', 'image'],
    docsUrl: 'https://platform.openai.com/docs/api-reference/models/list',
  }),
  entry({
    id: 'anthropic',
    label: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    auth: 'x-api-key',
    keyHint: 'sk-ant-…',
    modelList: 'anthropic',
    docsUrl: 'https://docs.anthropic.com/en/api/models-list',
  }),
  entry({
    id: 'azure',
    label: 'Azure OpenAI',
    defaultBaseUrl: null,
    baseUrlTemplate: 'https://{resource}.openai.azure.com',
    auth: 'api-key',
    keyHint: '32 hex characters',
    modelList: 'azure',
    capabilities: ['llm', 'embedding', 'audio', 'image'],
    settings: azureSettings,
    docsUrl: 'https://learn.microsoft.com/azure/ai-services/openai/reference',
  }),
  entry({
    id: 'bedrock',
    label: 'AWS Bedrock',
    defaultBaseUrl: null,
    baseUrlTemplate: 'https://bedrock-runtime.{region}.amazonaws.com',
    auth: 'aws-sigv4',
    keyRequired: false,
    keyHint: 'Bedrock API key (optional with access keys)',
    modelList: 'bedrock',
    capabilities: ['llm', 'embedding', 'image'],
    settings: bedrockSettings,
    docsUrl: 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html',
  }),
  entry({
    id: 'gemini',
    label: 'Google Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    auth: 'x-goog-api-key',
    keyHint: 'AIza…',
    modelList: 'gemini',
    capabilities: ['llm', 'embedding'],
    aliases: ['google'],
    docsUrl: 'https://ai.google.dev/api/models',
  }),
  entry({
    id: 'vertex',
    label: 'Google Vertex AI',
    defaultBaseUrl: null,
    baseUrlTemplate: 'https://{location}-aiplatform.googleapis.com',
    auth: 'google-service-account',
    keyHint: 'service-account JSON',
    modelList: 'vertex',
    capabilities: ['llm', 'embedding'],
    settings: vertexSettings,
    docsUrl: 'https://cloud.google.com/vertex-ai/docs/reference/rest',
  }),
  entry({
    id: 'openrouter',
    label: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    keyHint: 'sk-or-…',
    docsUrl: 'https://openrouter.ai/docs/api-reference/list-available-models',
  }),
  entry({
    id: 'vercel',
    label: 'Vercel AI Gateway',
    defaultBaseUrl: 'https://ai-gateway.vercel.sh/v1',
    keyHint: 'vck_…',
    docsUrl: 'https://vercel.com/docs/ai-gateway',
  }),
  entry({
    id: 'openai-compat',
    label: 'OpenAI-compatible',
    defaultBaseUrl: null,
    baseUrlTemplate: 'https://my-server.example.com/v1',
    keyRequired: false,
    keyHint: 'optional bearer token',
    capabilities: ['llm', 'embedding'],
    aliases: ['other'],
    docsUrl: 'https://platform.openai.com/docs/api-reference/models/list',
  }),
  entry({
    id: 'cohere',
    label: 'Cohere',
    defaultBaseUrl: 'https://api.cohere.com',
    keyHint: '40 characters',
    modelList: 'cohere',
    capabilities: ['llm', 'embedding', 'rerank'],
    docsUrl: 'https://docs.cohere.com/reference/list-models',
  }),
  entry({
    id: 'mistral',
    label: 'Mistral AI',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    keyHint: '32 characters',
    capabilities: ['llm', 'embedding'],
    docsUrl: 'https://docs.mistral.ai/api/#tag/models',
  }),
  entry({
    id: 'groq',
    label: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    keyHint: 'gsk_…',
    docsUrl: 'https://console.groq.com/docs/models',
  }),
  entry({
    id: 'perplexity',
    label: 'Perplexity',
    defaultBaseUrl: 'https://api.perplexity.ai',
    keyHint: 'pplx-…',
    modelList: 'perplexity',
    docsUrl: 'https://docs.perplexity.ai/api-reference/chat-completions-post',
  }),
  entry({
    id: 'cerebras',
    label: 'Cerebras',
    defaultBaseUrl: 'https://api.cerebras.ai/v1',
    keyHint: 'csk-…',
    docsUrl: 'https://inference-docs.cerebras.ai/api-reference/models',
  }),
  entry({
    id: 'deepseek',
    label: 'DeepSeek',
    defaultBaseUrl: 'https://api.deepseek.com/v1',
    keyHint: 'sk-…',
    docsUrl: 'https://api-docs.deepseek.com/api/list-models',
  }),
  entry({
    id: 'together',
    label: 'Together AI',
    defaultBaseUrl: 'https://api.together.xyz/v1',
    keyHint: '64 hex characters',
    modelList: 'together',
    capabilities: ['llm', 'embedding', 'image'],
    docsUrl: 'https://docs.together.ai/reference/models-1',
  }),
  entry({
    id: 'fireworks',
    label: 'Fireworks AI',
    defaultBaseUrl: 'https://api.fireworks.ai/inference/v1',
    keyHint: 'fw_…',
    docsUrl: 'https://docs.fireworks.ai/api-reference/list-models',
  }),
  entry({
    id: 'xai',
    label: 'xAI',
    defaultBaseUrl: 'https://api.x.ai/v1',
    keyHint: 'xai-…',
    docsUrl: 'https://docs.x.ai/docs/api-reference#list-models',
  }),
  entry({
    id: 'huggingface',
    label: 'Hugging Face',
    defaultBaseUrl: 'https://router.huggingface.co/v1',
    keyHint: 'hf_…',
    docsUrl: 'https://huggingface.co/docs/inference-providers',
  }),
  entry({
    id: 'nebius',
    label: 'Nebius AI Studio',
    defaultBaseUrl: 'https://api.studio.nebius.com/v1',
    keyHint: 'JWT-like token',
    capabilities: ['llm', 'embedding'],
    docsUrl: 'https://docs.nebius.com/studio/inference/api',
  }),
  entry({
    id: 'replicate',
    label: 'Replicate',
    defaultBaseUrl: 'https://api.replicate.com/v1',
    keyHint: 'r8_…',
    modelList: 'replicate',
    capabilities: ['llm', 'image', 'audio', 'video'],
    docsUrl: 'https://replicate.com/docs/reference/http#account.get',
  }),
  entry({
    id: 'elevenlabs',
    label: 'ElevenLabs',
    defaultBaseUrl: 'https://api.elevenlabs.io',
    auth: 'xi-api-key',
    keyHint: 'sk_…',
    modelList: 'elevenlabs',
    capabilities: ['audio'],
    docsUrl: 'https://elevenlabs.io/docs/api-reference/models/list',
  }),
  entry({
    id: 'voyage',
    label: 'Voyage AI',
    defaultBaseUrl: 'https://api.voyageai.com/v1',
    keyHint: 'pa-…',
    modelList: 'voyage',
    capabilities: ['embedding', 'rerank'],
    docsUrl: 'https://docs.voyageai.com/reference/embeddings-api',
  }),
  entry({
    id: 'nvidia',
    label: 'NVIDIA NIM',
    defaultBaseUrl: 'https://integrate.api.nvidia.com/v1',
    keyHint: 'nvapi-…',
    docsUrl: 'https://docs.api.nvidia.com/nim/reference/models-1',
  }),
  entry({
    id: 'moonshot',
    label: 'Moonshot AI',
    defaultBaseUrl: 'https://api.moonshot.ai/v1',
    keyHint: 'sk-…',
    docsUrl: 'https://platform.moonshot.ai/docs/api/chat',
  }),
  entry({ id: 'chutes', label: 'Chutes', defaultBaseUrl: 'https://llm.chutes.ai/v1', keyHint: 'cpk_…', docsUrl: 'https://chutes.ai/docs' }),
  entry({
    id: 'github',
    label: 'GitHub Models',
    defaultBaseUrl: 'https://models.github.ai/inference',
    keyHint: 'github_pat_… or ghp_…',
    modelList: 'github',
    capabilities: ['llm', 'embedding'],
    docsUrl: 'https://docs.github.com/en/rest/models/catalog',
  }),
  entry({
    id: 'ollama',
    label: 'Ollama',
    defaultBaseUrl: 'http://localhost:11434',
    local: true,
    keyHint: 'none needed',
    modelList: 'ollama',
    capabilities: ['llm', 'embedding'],
    docsUrl: 'https://github.com/ollama/ollama/blob/main/docs/api.md#list-local-models',
  }),
  entry({
    id: 'jan',
    label: 'Jan',
    defaultBaseUrl: 'http://localhost:1337/v1',
    local: true,
    keyHint: 'none needed',
    docsUrl: 'https://jan.ai/docs/api-server',
  }),
  entry({
    id: 'vllm',
    label: 'vLLM',
    defaultBaseUrl: 'http://localhost:8000/v1',
    local: true,
    keyHint: 'optional --api-key value',
    capabilities: ['llm', 'embedding'],
    docsUrl: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
  }),
  entry({
    id: 'sgl',
    label: 'SGLang',
    defaultBaseUrl: 'http://localhost:30000/v1',
    local: true,
    keyHint: 'optional --api-key value',
    docsUrl: 'https://docs.sglang.ai/backend/openai_api_completions.html',
  }),
  entry({
    id: 'watsonx',
    label: 'IBM watsonx.ai',
    defaultBaseUrl: 'https://us-south.ml.cloud.ibm.com',
    baseUrlTemplate: 'https://{region}.ml.cloud.ibm.com',
    auth: 'ibm-iam',
    keyHint: 'IBM Cloud API key',
    modelList: 'watsonx',
    capabilities: ['llm', 'embedding'],
    settings: watsonxSettings,
    docsUrl: 'https://cloud.ibm.com/apidocs/watsonx-ai#list-foundation-model-specs',
  }),
  entry({
    id: 'rits',
    label: 'RITS',
    defaultBaseUrl: null,
    baseUrlTemplate: 'https://my-rits-host/v1',
    auth: 'rits-api-key',
    keyHint: 'RITS API key',
    modelList: 'rits',
    capabilities: ['llm', 'embedding'],
    docsUrl: 'https://github.com/i-am-bee/agentstack',
  }),
  entry({
    id: 'runway',
    label: 'Runway',
    defaultBaseUrl: 'https://api.dev.runwayml.com/v1',
    keyHint: 'key_…',
    modelList: 'runway',
    capabilities: ['image', 'video'],
    docsUrl: 'https://docs.dev.runwayml.com/api',
  }),
  entry({
    id: 'parasail',
    label: 'Parasail',
    defaultBaseUrl: 'https://api.parasail.io/v1',
    keyHint: 'psk-…',
    docsUrl: 'https://docs.parasail.io',
  }),
];

const byId = new Map(CATALOG.map((e) => [e.id, e]));
// Bifrost's standard names resolve too, so that every surface and the config import read `bedrock_mantle` or `runware` alike.
const aliasToId = new Map([...CATALOG.flatMap((e) => e.aliases.map((a) => [a, e.id] as const)), ...bifrostStandardAliases()]);

export const CATALOG_IDS = CATALOG.map((e) => e.id) as [string, ...string[]];

/** Resolves an id or alias (google → gemini, other → openai-compat) to its catalog id. */
export function resolveTypeId(idOrAlias: string): string | undefined {
  const id = idOrAlias.toLowerCase();
  return byId.has(id) ? id : aliasToId.get(id);
}

export function findCatalogEntry(idOrAlias: string): CatalogEntry | undefined {
  const id = resolveTypeId(idOrAlias);
  return id === undefined ? undefined : byId.get(id);
}

/** For ids already validated by the contract; throws on a programming error. */
export function catalogEntry(id: string): CatalogEntry {
  const found = findCatalogEntry(id);
  if (!found) throw new Error(`unknown provider type ${id}`);
  return found;
}
