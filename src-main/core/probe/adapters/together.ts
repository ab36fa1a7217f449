import { openAiLikeAdapter } from './openai.js';

/**
 * Together answers `GET {base}/models` with a bare array of `{id, display_name, organization, type, context_length}`;
 * the OpenAI mapping reads all of those (`type` → capabilities).
 */
export const togetherAdapter = openAiLikeAdapter();
