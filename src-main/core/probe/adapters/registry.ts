import type { ModelListFamily } from '../../catalog/types.js';
import type { CustomProviderConfig } from '../../contract/config-schemas.js';
import type { ProbeTarget } from '../types.js';
import { anthropicAdapter } from './anthropic.js';
import { azureAdapter } from './azure.js';
import { bedrockAdapter } from './bedrock.js';
import { chutesAdapter } from './chutes.js';
import { cohereAdapter } from './cohere.js';
import type { FamilyAdapter } from './context.js';
import { deepseekAdapter } from './deepseek.js';
import { elevenlabsAdapter } from './elevenlabs.js';
import { geminiAdapter } from './gemini.js';
import { githubAdapter } from './github.js';
import { huggingfaceAdapter } from './huggingface.js';
import { moonshotAdapter } from './moonshot.js';
import { nvidiaAdapter } from './nvidia.js';
import { ollamaAdapter } from './ollama.js';
import { openaiAdapter } from './openai.js';
import { openrouterAdapter } from './openrouter.js';
import { perplexityAdapter } from './perplexity.js';
import { replicateAdapter } from './replicate.js';
import { ritsAdapter } from './rits.js';
import { runwayAdapter } from './runway.js';
import { togetherAdapter } from './together.js';
import { vercelAdapter } from './vercel.js';
import { vertexAdapter } from './vertex.js';
import { voyageAdapter } from './voyage.js';
import { watsonxAdapter } from './watsonx.js';
import { xaiAdapter } from './xai.js';

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

/**
 * Catalog types that speak a family's dialect but prove keys their own way: their model list is public
 * (OpenRouter, Vercel, Chutes, Hugging Face, NVIDIA) or they offer a free key-info or balance call
 * (DeepSeek, Moonshot, xAI). See docs/providers.md.
 */
const TYPE_ADAPTERS: Readonly<Record<string, FamilyAdapter>> = {
  openrouter: openrouterAdapter,
  vercel: vercelAdapter,
  chutes: chutesAdapter,
  huggingface: huggingfaceAdapter,
  nvidia: nvidiaAdapter,
  deepseek: deepseekAdapter,
  moonshot: moonshotAdapter,
  xai: xaiAdapter,
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
  sgl: 'openai',
};

export function familyOf(target: ProbeTarget): ModelListFamily {
  return target.custom ? CUSTOM_BASE_FAMILY[target.custom.base_provider_type] : target.entry.modelList;
}

/** The adapter for a target: its type's own, else its family's. Custom providers always use their base family's. */
export function adapterOf(target: ProbeTarget): FamilyAdapter {
  const own = target.custom ? undefined : TYPE_ADAPTERS[target.entry.id];
  return own ?? ADAPTERS[familyOf(target)];
}
