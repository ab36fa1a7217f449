import type { Provider } from '../../../contract/domain-schemas.js';

/** Agent Stack's provider types; `other` is our generic OpenAI-compatible type. Providers of our other types are not shown. */
export const AGENTSTACK_TYPES = [
  'anthropic',
  'bedrock',
  'cerebras',
  'chutes',
  'cohere',
  'deepseek',
  'gemini',
  'github',
  'groq',
  'watsonx',
  'jan',
  'mistral',
  'moonshot',
  'nvidia',
  'ollama',
  'openai',
  'openrouter',
  'perplexity',
  'together',
  'voyage',
  'rits',
  'other',
] as const;
export type AgentStackType = (typeof AGENTSTACK_TYPES)[number];
export type Capability = 'llm' | 'embedding';

const BOTH = new Set<AgentStackType>(['cohere', 'gemini', 'watsonx', 'mistral', 'ollama', 'openai', 'rits', 'other']);

export function capabilitiesOf(type: AgentStackType): Capability[] {
  if (type === 'voyage') return ['embedding'];
  return BOTH.has(type) ? ['llm', 'embedding'] : ['llm'];
}

export function catalogTypeOf(type: AgentStackType): string {
  return type === 'other' ? 'openai-compat' : type;
}

/** The Agent Stack type of one of our providers, or null when this surface does not show it. */
export function agentStackTypeOf(catalogType: string): AgentStackType | null {
  if (catalogType === 'openai-compat') return 'other';
  return (AGENTSTACK_TYPES as readonly string[]).includes(catalogType) ? (catalogType as AgentStackType) : null;
}

/** Our catalog ids of every type this surface shows. */
export const SHOWN_CATALOG_TYPES = AGENTSTACK_TYPES.map(catalogTypeOf);

/**
 * ModelProvider: `name` is the display name as given (null when none); `state` from our health: online until a check
 * fails (untested, ok, and degraded, which still has a working key), offline when none works (error, offline).
 */
export function toModelProvider(
  row: Pick<Provider, 'id' | 'base_url' | 'display_name' | 'description' | 'created_at' | 'health'>,
  type: AgentStackType,
): Record<string, unknown> {
  return {
    id: row.id,
    type,
    base_url: row.base_url,
    capabilities: capabilitiesOf(type),
    name: row.display_name || null,
    description: row.description || null,
    created_at: row.created_at,
    registry: null,
    state: row.health === 'error' || row.health === 'offline' ? 'offline' : 'online',
  };
}

/** The slug a provider created here is stored under: lowercase, each run of other characters one dash, from the type when nameless. */
export function slugFor(name: string | null | undefined, type: AgentStackType, taken: (slug: string) => boolean): string {
  const fromName = (name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = (fromName || type).slice(0, 56).replace(/-+$/, '');
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
