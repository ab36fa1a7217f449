import type { ProbeKey, ProbeTarget } from './types.js';

/** Local servers whose address Bifrost keeps per key (`ollama_key_config.url`, …), and which of them serve under `/v1`. */
const KEY_URL_TYPES: Readonly<Record<string, { config: string; openAiPath: boolean }>> = {
  ollama: { config: 'ollama_key_config', openAiPath: false },
  vllm: { config: 'vllm_key_config', openAiPath: true },
  sgl: { config: 'sgl_key_config', openAiPath: true },
};

/** A key config's URL in either form Bifrost writes: a string or a secret-value object `{"value": …}`. */
function urlOf(block: unknown): string | null {
  if (!block || typeof block !== 'object') return null;
  const url = (block as Record<string, unknown>).url;
  const value = url && typeof url === 'object' ? (url as Record<string, unknown>).value : url;
  return typeof value === 'string' && /^https?:\/\//i.test(value.trim()) ? value.trim() : null;
}

/**
 * The target as this key reaches it: a key that names its own server (`vllm_key_config.url`, as Bifrost's keys do) is
 * checked there, not at the provider's default address. Bifrost adds `/v1` itself to a vLLM or SGLang URL given without
 * a path; our OpenAI-style adapters expect it in the base URL.
 */
export function targetForKey(target: ProbeTarget, key: ProbeKey): ProbeTarget {
  const rule = KEY_URL_TYPES[target.entry.id];
  const url = rule ? urlOf(key.keyConfig?.[rule.config]) : null;
  if (!rule || !url) return target;
  const parsed = new URL(url);
  const bare = parsed.pathname === '/' || parsed.pathname === '';
  const baseUrl = rule.openAiPath && bare ? `${url.replace(/\/+$/, '')}/v1` : url;
  return { ...target, baseUrl };
}
