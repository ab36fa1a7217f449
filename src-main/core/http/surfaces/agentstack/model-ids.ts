import type { AgentStackType } from './schema.js';

/**
 * A model's id as Agent Stack itself names it: `<type>:<id exactly as the provider's listing returns it>`. Agent Stack
 * lists Gemini through its OpenAI-compatible endpoint, whose ids carry Google's `models/` resource prefix
 * (`gemini:models/gemini-2.5-pro`); our Gemini listing stores the bare name, so the prefix is put back here.
 * Every other family stores the listing's id unchanged.
 */
export function agentStackModelId(type: AgentStackType, storedId: string): string {
  if (type === 'gemini' && !storedId.startsWith('models/')) return `gemini:models/${storedId}`;
  return `${type}:${storedId}`;
}
