/**
 * Bifrost's standard provider names on our catalog: which type each one is, and the base URL (in our form, the one our
 * checks use) that a provider of that name has when the user gives none. Facts: docs/peers/bifrost-config.md §1–2.
 *
 * A name whose service has a catalog type of its own is that type. The rest speak the OpenAI dialect closely enough for
 * `openai-compat` (or are the same account as a catalog type: Bedrock Mantle signs with the Bedrock credentials), and carry
 * the default Bifrost itself uses, so that a config.json naming them needs no base URL, like in Bifrost.
 */
import type { BifrostStandardProvider } from '../contract/config-schemas.js';

interface OnCatalog {
  type: string;
  /** Only where the catalog type has no default, or a different one. */
  baseUrl?: string;
}

const ON_CATALOG: Record<BifrostStandardProvider, OnCatalog> = {
  anthropic: { type: 'anthropic' },
  azure: { type: 'azure' },
  bedrock: { type: 'bedrock' },
  // The Mantle endpoints (bedrock-mantle.{region}.api.aws) take the same AWS credentials and region as Bedrock.
  bedrock_mantle: { type: 'bedrock' },
  cerebras: { type: 'cerebras' },
  cohere: { type: 'cohere' },
  deepseek: { type: 'deepseek' },
  gemini: { type: 'gemini' },
  groq: { type: 'groq' },
  mistral: { type: 'mistral' },
  ollama: { type: 'ollama' },
  // OpenCode's gateways (Bifrost: https://opencode.ai/zen and …/zen/go, then /v1/…).
  'opencode-go': { type: 'openai-compat', baseUrl: 'https://opencode.ai/zen/go/v1' },
  'opencode-zen': { type: 'openai-compat', baseUrl: 'https://opencode.ai/zen/v1' },
  openai: { type: 'openai' },
  parasail: { type: 'parasail' },
  perplexity: { type: 'perplexity' },
  sgl: { type: 'sgl' },
  vertex: { type: 'vertex' },
  openrouter: { type: 'openrouter' },
  elevenlabs: { type: 'elevenlabs' },
  huggingface: { type: 'huggingface' },
  nebius: { type: 'nebius' },
  xai: { type: 'xai' },
  replicate: { type: 'replicate' },
  vllm: { type: 'vllm' },
  runway: { type: 'runway' },
  // Runware's LLM API is OpenAI-compatible under its one endpoint (Bifrost's default already ends in /v1).
  runware: { type: 'openai-compat', baseUrl: 'https://api.runware.ai/v1' },
  fireworks: { type: 'fireworks' },
  // Sarvam's chat API is OpenAI-compatible (Bifrost: https://api.sarvam.ai, then /v1/chat/completions).
  sarvam: { type: 'openai-compat', baseUrl: 'https://api.sarvam.ai/v1' },
  wafer: { type: 'openai-compat', baseUrl: 'https://pass.wafer.ai/v1' },
  // Bifrost takes the host from the Copilot token exchange; this is the public Copilot API host.
  'github-copilot': { type: 'openai-compat', baseUrl: 'https://api.githubcopilot.com' },
  // Per workspace (https://<workspace>/serving-endpoints): no default, so a base URL is required.
  databricks: { type: 'openai-compat' },
  // Typesafe serves judgments (POST /v1/systemone), not chat; the closest type we have.
  typesafe: { type: 'openai-compat', baseUrl: 'https://api.typesafe.ai/v1' },
};

function mapping(name: string): OnCatalog | undefined {
  return Object.hasOwn(ON_CATALOG, name) ? ON_CATALOG[name as BifrostStandardProvider] : undefined;
}

/** The catalog type of a Bifrost standard provider name; undefined for any other name. */
export function bifrostStandardType(name: string): string | undefined {
  return mapping(name)?.type;
}

/**
 * The base URL a provider named after a Bifrost standard provider has when none is given, where the catalog default of
 * its type does not say it (undefined otherwise, and for a provider whose type is not the name's own).
 */
export function bifrostStandardBaseUrl(name: string, type: string): string | undefined {
  const found = mapping(name);
  return found && found.type === type ? found.baseUrl : undefined;
}

/** Standard names that are not catalog ids, as aliases of their type (`bedrock_mantle` → bedrock, `runware` → openai-compat). */
export function bifrostStandardAliases(): Array<[string, string]> {
  return Object.entries(ON_CATALOG)
    .filter(([name, on]) => name !== on.type)
    .map(([name, on]) => [name, on.type]);
}
