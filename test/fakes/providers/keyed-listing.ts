/**
 * OpenAI-dialect services whose model list needs the key, so listing proves it: OpenAI, Mistral, Groq, Cerebras,
 * Together, Fireworks, Nebius, Parasail, the local servers (Jan, vLLM, SGLang, any OpenAI-compatible one) and RITS.
 * Bodies and headers from docs/providers.md; "unverified" there means the body here is a plausible stand-in.
 */
import { headerOf, reply, type Reply } from './server.js';
import { masked, openAiModel, type OpenAiDialect } from './openai-compatible.js';

const openAiStyle = (message: string, code: string | null = 'invalid_api_key', type = 'invalid_request_error'): Reply =>
  reply(401, { error: { message, type, param: null, code } });

const vllmStyle: Pick<OpenAiDialect, 'wrongKey'> = { wrongKey: () => reply(401, { error: 'Unauthorized' }) };

export const KEYED_LISTING: Record<string, OpenAiDialect> = {
  openai: {
    prefix: '/v1',
    listing: 'key',
    models: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'].map((id) => openAiModel(id)),
    wrongKey: (k) =>
      openAiStyle(`Incorrect API key provided: ${masked(k)}. You can find your API key at https://platform.openai.com/account/api-keys.`),
    noKey: () => openAiStyle('You didn’t provide an API key.', null),
    rateHeaders: () => ({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-limit-tokens': '30000000',
      'x-ratelimit-remaining-tokens': '29999990',
      'x-ratelimit-reset-tokens': '6m0s',
    }),
  },
  mistral: {
    prefix: '/v1',
    listing: 'key',
    models: [
      openAiModel('mistral-large-latest', { owned_by: 'mistralai', capabilities: { completion_chat: true, function_calling: true } }),
      openAiModel('mistral-embed', { owned_by: 'mistralai', capabilities: { completion_chat: false } }),
    ],
    wrongKey: () => reply(401, { detail: 'Unauthorized' }),
    noKey: () => reply(401, { message: 'No API key found in request' }),
    rateHeaders: () => ({
      'x-ratelimit-limit-req-minute': '60',
      'x-ratelimit-remaining-req-minute': '59',
      'x-ratelimit-limit-tokens-minute': '500000',
      'x-ratelimit-remaining-tokens-minute': '499990',
      'x-ratelimit-tokens-query-cost': '10',
    }),
  },
  groq: {
    prefix: '/openai/v1',
    listing: 'key',
    models: [openAiModel('llama-3.3-70b-versatile', { active: true, context_window: 131072 })],
    wrongKey: () => openAiStyle('Invalid API Key'),
    // Groq's request limit is per day; its resets are Go durations.
    rateHeaders: () => ({
      'x-ratelimit-limit-requests': '14400',
      'x-ratelimit-remaining-requests': '14370',
      'x-ratelimit-reset-requests': '2m59.56s',
      'x-ratelimit-limit-tokens': '18000',
      'x-ratelimit-remaining-tokens': '17997',
      'x-ratelimit-reset-tokens': '7.66s',
    }),
  },
  cerebras: {
    prefix: '/v1',
    listing: 'key',
    models: [openAiModel('llama3.1-8b'), openAiModel('llama-3.3-70b')],
    // 401 body unverified.
    wrongKey: () => openAiStyle('Wrong API Key', 'wrong_api_key'),
    // Cerebras counts requests per day and tokens per minute; resets are seconds.
    rateHeaders: () => ({
      'x-ratelimit-limit-requests-day': '14400',
      'x-ratelimit-remaining-requests-day': '14399',
      'x-ratelimit-reset-requests-day': '33011.382867097855',
      'x-ratelimit-limit-tokens-minute': '60000',
      'x-ratelimit-remaining-tokens-minute': '59900',
      'x-ratelimit-reset-tokens-minute': '11.382867097855',
    }),
  },
  together: {
    prefix: '/v1',
    listing: 'key',
    bareArray: true,
    models: [
      { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', object: 'model', type: 'chat', organization: 'meta-llama', context_length: 131072 },
      { id: 'BAAI/bge-large-en-v1.5', object: 'model', type: 'embedding', organization: 'BAAI', context_length: 512 },
    ],
    wrongKey: () => openAiStyle('Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.'),
    rateHeaders: () => ({
      'x-ratelimit-limit-requests': '600',
      'x-ratelimit-remaining-requests': '599',
      'x-ratelimit-reset-requests': '1s',
    }),
  },
  fireworks: {
    prefix: '/inference/v1',
    listing: 'key',
    models: [openAiModel('accounts/fireworks/models/llama-v3p1-8b-instruct')],
    // 401 body unverified.
    wrongKey: () =>
      reply(401, { error: { object: 'error', type: 'invalid_request_error', message: 'The API key you provided is invalid.' } }),
  },
  nebius: {
    prefix: '/v1',
    listing: 'key',
    models: [openAiModel('meta-llama/Meta-Llama-3.1-8B-Instruct')],
    // Unverified.
    wrongKey: () => openAiStyle('Invalid API key'),
  },
  parasail: {
    prefix: '/v1',
    listing: 'key',
    models: [openAiModel('parasail-llama-33-70b-fp8')],
    // 401 body unverified.
    wrongKey: () => openAiStyle('Invalid API key'),
  },
  jan: {
    prefix: '/v1',
    listing: 'key',
    models: [{ id: 'jan-v3-4b-base-instruct', object: 'model' }],
    // 401 body unverified.
    wrongKey: () => reply(401, { message: 'Invalid API key' }),
  },
  vllm: { prefix: '/v1', listing: 'key', models: [openAiModel('Qwen/Qwen2.5-7B-Instruct')], ...vllmStyle },
  sgl: { prefix: '/v1', listing: 'key', models: [openAiModel('meta-llama/Llama-3.1-8B-Instruct')], ...vllmStyle },
  'openai-compat': { prefix: '/v1', listing: 'key', models: [openAiModel('local-model')], ...vllmStyle },
  rits: {
    prefix: '/v1',
    listing: 'key',
    models: [openAiModel('ibm-granite/granite-3.1-8b-instruct')],
    presented: (headers) => headerOf(headers, 'rits_api_key'),
    // A 3scale APIcast gateway: text/plain defaults (unverified for RITS).
    wrongKey: () => ({ status: 403, body: 'Authentication failed', headers: { 'content-type': 'text/plain' } }),
    noKey: () => ({ status: 401, body: 'Authentication parameters missing', headers: { 'content-type': 'text/plain' } }),
  },
};
