/**
 * Facts transcribed from Bifrost's published OpenAPI (docs/openapi/schemas/management/providers.yaml; see
 * docs/peers/bifrost.md), shared by the seed-based and the current-client acceptance suites.
 */

/** `AllowedRequests`: the OpenAPI's 25 boolean request flags, in its order. */
export const OPENAPI_REQUEST_FLAGS = [
  'list_models',
  'text_completion',
  'text_completion_stream',
  'chat_completion',
  'chat_completion_stream',
  'responses',
  'responses_stream',
  'count_tokens',
  'embedding',
  'speech',
  'speech_stream',
  'transcription',
  'transcription_stream',
  'image_generation',
  'image_generation_stream',
  'batch_create',
  'batch_list',
  'batch_retrieve',
  'batch_cancel',
  'batch_results',
  'file_upload',
  'file_list',
  'file_retrieve',
  'file_delete',
  'file_content',
] as const;
