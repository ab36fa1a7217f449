import { MODEL_CAPABILITIES, type ModelCapability, type ModelInfo } from '../contract/domain-schemas.js';

/** What a model is mainly for; exactly one comes from metadata or, failing that, from its name. */
const PRIMARY: readonly ModelCapability[] = ['chat', 'embedding', 'rerank', 'audio', 'image'];

const NAME_RULES: ReadonlyArray<[RegExp, ModelCapability]> = [
  [/rerank/i, 'rerank'],
  [/(^text-embedding|embed|bge-|e5-|gte-|retrieval|voyage-)/i, 'embedding'],
  [/(whisper|tts|transcribe|speech|audio)/i, 'audio'],
  [/(dall-e|gpt-image|imagen|flux|sd-|stable-diffusion)/i, 'image'],
];

/** The primary capability the name suggests (chat when nothing matches). */
export function capabilityFromName(id: string): ModelCapability {
  for (const [pattern, capability] of NAME_RULES) if (pattern.test(id)) return capability;
  return 'chat';
}

/** Metadata first; the name decides only when metadata says nothing about what the model is for. */
export function resolveCapabilities(id: string, fromMetadata: Iterable<ModelCapability> = []): ModelCapability[] {
  const found = new Set(fromMetadata);
  if (!PRIMARY.some((c) => found.has(c))) found.add(capabilityFromName(id));
  return MODEL_CAPABILITIES.filter((c) => found.has(c));
}

/** Input/output modalities as OpenRouter, GitHub and Bedrock report them. */
export function fromModalities(input: readonly string[] = [], output: readonly string[] = []): ModelCapability[] {
  const caps: ModelCapability[] = [];
  const ins = input.map((m) => m.toLowerCase());
  const outs = output.map((m) => m.toLowerCase());
  if (outs.some((m) => m.startsWith('embedding'))) caps.push('embedding');
  else if (outs.includes('text')) caps.push('chat');
  if (outs.includes('image')) caps.push('image');
  if (outs.includes('audio') || outs.includes('speech')) caps.push('audio');
  if (ins.includes('image')) caps.push('vision');
  if (ins.includes('audio') && outs.includes('text') && !caps.includes('audio')) caps.push('audio');
  return caps;
}

/** Gemini's supportedGenerationMethods. */
export function fromGenerationMethods(methods: readonly string[] = []): ModelCapability[] {
  const caps: ModelCapability[] = [];
  if (methods.some((m) => /embed/i.test(m))) caps.push('embedding');
  if (methods.includes('generateContent')) caps.push('chat');
  if (methods.includes('predict') && !caps.length) caps.push('image');
  if (methods.includes('bidiGenerateContent')) caps.push('audio');
  return caps;
}

/** Together's model `type`. */
export function fromTogetherType(type: string | undefined): ModelCapability[] {
  switch ((type ?? '').toLowerCase()) {
    case 'chat':
    case 'language':
    case 'code':
    case 'moderation':
      return ['chat'];
    case 'embedding':
      return ['embedding'];
    case 'rerank':
      return ['rerank'];
    case 'image':
      return ['image'];
    case 'audio':
    case 'transcribe':
    case 'tts':
      return ['audio'];
    default:
      return [];
  }
}

/** Cohere's `endpoints` and `features`. */
export function fromCohere(endpoints: readonly string[] = [], features: readonly string[] = []): ModelCapability[] {
  const caps: ModelCapability[] = [];
  if (endpoints.includes('chat') || endpoints.includes('generate')) caps.push('chat');
  if (endpoints.includes('embed')) caps.push('embedding');
  if (endpoints.includes('rerank')) caps.push('rerank');
  if (features.some((f) => /tool/i.test(f))) caps.push('tools');
  if (features.some((f) => /vision|image/i.test(f))) caps.push('vision');
  return caps;
}

/** watsonx `functions[].id`. */
export function fromWatsonxFunctions(functions: readonly string[] = []): ModelCapability[] {
  const caps: ModelCapability[] = [];
  if (functions.some((f) => f === 'text_generation' || f === 'text_chat')) caps.push('chat');
  if (functions.includes('embedding')) caps.push('embedding');
  if (functions.includes('rerank')) caps.push('rerank');
  if (functions.includes('image_chat')) caps.push('vision');
  return caps;
}

/** Reads the first positive integer among a provider's context-size fields. */
export function contextWindowOf(raw: unknown): number | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const nested = (obj: unknown, field: string): unknown =>
    obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[field] : undefined;
  const candidates = [
    r.context_window,
    r.context_length,
    r.max_context_length,
    r.max_model_len,
    r.inputTokenLimit,
    nested(r.limits, 'max_input_tokens'),
    nested(r.top_provider, 'context_length'),
    nested(r.model_limits, 'max_sequence_length'),
  ];
  for (const value of candidates) if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return null;
}

export interface ModelDraft {
  id: string;
  displayName?: string | null;
  capabilities?: Iterable<ModelCapability>;
  contextWindow?: number | null;
  ownedBy?: string | null;
}

/** A ModelInfo with capabilities resolved (metadata first, then name rules). */
export function buildModel(draft: ModelDraft): ModelInfo {
  return {
    id: draft.id,
    display_name: draft.displayName?.trim() || draft.id,
    capabilities: resolveCapabilities(draft.id, draft.capabilities ?? []),
    context_window: draft.contextWindow ?? null,
    owned_by: draft.ownedBy?.trim() || null,
  };
}
