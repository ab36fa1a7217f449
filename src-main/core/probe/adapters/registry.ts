import type { ModelListFamily } from '../../catalog/types.js';
import type { CustomProviderConfig } from '../../contract/config-schemas.js';
import type { ProbeTarget } from '../types.js';
import { anthropicAdapter } from './anthropic.js';
import { azureAdapter } from './azure.js';
import { bedrockAdapter } from './bedrock.js';
import { cohereAdapter } from './cohere.js';
import type { FamilyAdapter } from './context.js';
import { elevenlabsAdapter } from './elevenlabs.js';
import { geminiAdapter } from './gemini.js';
import { githubAdapter } from './github.js';
import { ollamaAdapter } from './ollama.js';
import { openaiAdapter } from './openai.js';
import { perplexityAdapter } from './perplexity.js';
import { replicateAdapter } from './replicate.js';
import { ritsAdapter } from './rits.js';
import { runwayAdapter } from './runway.js';
import { togetherAdapter } from './together.js';
import { vertexAdapter } from './vertex.js';
import { voyageAdapter } from './voyage.js';
import { watsonxAdapter } from './watsonx.js';

export const ADAPTERS: Record<ModelListFamily, FamilyAdapter> = {
  openai: openaiAdapter,
  together: togetherAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  azure: azureAdapter,
  bedrock: bedrockAdapter,
  vertex: vertexAdapter,
  cohere: cohereAdapter,
  ollama: ollamaAdapter,
  github: githubAdapter,
  watsonx: watsonxAdapter,
  elevenlabs: elevenlabsAdapter,
  replicate: replicateAdapter,
  voyage: voyageAdapter,
  perplexity: perplexityAdapter,
  runway: runwayAdapter,
  rits: ritsAdapter,
};

/** Custom providers speak their base provider's dialect (Hugging Face's router is OpenAI-compatible). */
const CUSTOM_BASE_FAMILY: Record<CustomProviderConfig['base_provider_type'], ModelListFamily> = {
  openai: 'openai',
  huggingface: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  cohere: 'cohere',
  bedrock: 'bedrock',
  replicate: 'replicate',
};

export function familyOf(target: ProbeTarget): ModelListFamily {
  return target.custom ? CUSTOM_BASE_FAMILY[target.custom.base_provider_type] : target.entry.modelList;
}
