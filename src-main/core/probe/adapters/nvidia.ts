import type { FamilyAdapter } from './context.js';
import { openaiAdapter } from './openai.js';

/**
 * NVIDIA's model list is public and it has no free call that checks a key, so a normal test lists the models but
 * cannot prove the key; a deep test does, with a one-token chat (metered against the account's credits).
 */
export const nvidiaAdapter: FamilyAdapter = {
  ...openaiAdapter,
  proofModel: 'meta/llama-3.1-8b-instruct',
  prove: () =>
    Promise.resolve({
      reason:
        'NVIDIA lists its models without a key and has no free call that checks one, so the key was not verified; run a deep test to prove it (one request, counted against your NVIDIA credits)',
    }),
};
