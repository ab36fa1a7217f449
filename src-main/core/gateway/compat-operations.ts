/** The OpenAI-compatible operations the gateway routes by `provider/model` (kept apart so routes register without the gateway). */
export const COMPAT_OPERATIONS = ['chat/completions', 'embeddings', 'responses'] as const;
export type CompatOperation = (typeof COMPAT_OPERATIONS)[number];
