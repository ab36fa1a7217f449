/**
 * The models a ZIRI provider shows before any listing has run. ZIRI's UI treats `models` as required and its AI-policy
 * model picker skips a provider with credentials but no models, and ZIRI itself fills the list from built-in ones when a
 * provider is added. These are starting points per type (well-known ids of each provider's current families);
 * the first successful listing replaces them with what the provider really serves.
 */
import { perplexityModels, runwayModels, voyageModels } from '../../../probe/adapters/static-models.js';

const STARTING_MODELS: Readonly<Record<string, readonly string[]>> = {
  openai: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini'],
  anthropic: ['claude-sonnet-4-20250514', 'claude-opus-4-20250514', 'claude-3-5-haiku-20241022'],
  gemini: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash'],
  vertex: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash'],
  xai: ['grok-4', 'grok-3', 'grok-3-mini'],
  mistral: ['mistral-large-latest', 'mistral-medium-latest', 'mistral-small-latest'],
  deepseek: ['deepseek-chat', 'deepseek-reasoner'],
  moonshot: ['kimi-k2-0905-preview', 'kimi-k2-turbo-preview'],
  openrouter: ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-pro'],
};

/** Types without a list endpoint: their documented lists are what a listing would return anyway. */
const DOCUMENTED: Readonly<Record<string, () => Array<{ id: string }>>> = {
  voyage: voyageModels,
  perplexity: perplexityModels,
  runway: runwayModels,
};

/** A fresh array each call: the starting models of a catalog type, or `[]` when we know none for it. */
export function startingModels(type: string): string[] {
  const documented = DOCUMENTED[type];
  if (documented) return documented().map((m) => m.id);
  return [...(STARTING_MODELS[type] ?? [])];
}
