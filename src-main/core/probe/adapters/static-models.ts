import type { ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, type ModelDraft } from '../capabilities.js';

/**
 * Documented model lists for families without a list endpoint (Voyage, Perplexity, Runway).
 * Sources: docs.voyageai.com/docs/embeddings and /docs/reranker, docs.perplexity.ai/models,
 * docs.dev.runwayml.com/guides/models. Update here when the providers publish new models.
 */
const VOYAGE: ModelDraft[] = [
  { id: 'voyage-3.5', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'voyage-3.5-lite', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'voyage-3-large', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'voyage-code-3', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'voyage-finance-2', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'voyage-law-2', capabilities: ['embedding'], contextWindow: 16_000 },
  { id: 'voyage-multilingual-2', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'voyage-multimodal-3', capabilities: ['embedding', 'vision'], contextWindow: 32_000 },
  { id: 'voyage-context-3', capabilities: ['embedding'], contextWindow: 32_000 },
  { id: 'rerank-2.5', capabilities: ['rerank'], contextWindow: 32_000 },
  { id: 'rerank-2.5-lite', capabilities: ['rerank'], contextWindow: 32_000 },
  { id: 'rerank-2', capabilities: ['rerank'], contextWindow: 16_000 },
  { id: 'rerank-2-lite', capabilities: ['rerank'], contextWindow: 8_000 },
];

const PERPLEXITY: ModelDraft[] = [
  { id: 'sonar', displayName: 'Sonar', capabilities: ['chat'], contextWindow: 128_000 },
  { id: 'sonar-pro', displayName: 'Sonar Pro', capabilities: ['chat'], contextWindow: 200_000 },
  { id: 'sonar-reasoning', displayName: 'Sonar Reasoning', capabilities: ['chat', 'reasoning'], contextWindow: 128_000 },
  { id: 'sonar-reasoning-pro', displayName: 'Sonar Reasoning Pro', capabilities: ['chat', 'reasoning'], contextWindow: 128_000 },
  { id: 'sonar-deep-research', displayName: 'Sonar Deep Research', capabilities: ['chat', 'reasoning'], contextWindow: 128_000 },
];

const RUNWAY: ModelDraft[] = [
  { id: 'gen4_turbo', displayName: 'Gen-4 Turbo (image to video)', capabilities: ['image', 'vision'] },
  { id: 'gen4_aleph', displayName: 'Gen-4 Aleph (video to video)', capabilities: ['image', 'vision'] },
  { id: 'gen3a_turbo', displayName: 'Gen-3 Alpha Turbo (image to video)', capabilities: ['image', 'vision'] },
  { id: 'gen4_image', displayName: 'Gen-4 Image', capabilities: ['image'] },
  { id: 'gen4_image_turbo', displayName: 'Gen-4 Image Turbo', capabilities: ['image'] },
  { id: 'act_two', displayName: 'Act-Two (character performance)', capabilities: ['image', 'vision'] },
  { id: 'upscale_v1', displayName: 'Upscale v1', capabilities: ['image'] },
];

function models(drafts: ModelDraft[], ownedBy: string): ModelInfo[] {
  return drafts.map((d) => buildModel({ ...d, ownedBy }));
}

export const voyageModels = (): ModelInfo[] => models(VOYAGE, 'voyage');
export const perplexityModels = (): ModelInfo[] => models(PERPLEXITY, 'perplexity');
export const runwayModels = (): ModelInfo[] => models(RUNWAY, 'runway');
/** Runway ids the static list knows, for naming models its organization endpoint reports. */
export const runwayModel = (id: string): ModelInfo =>
  runwayModels().find((m) => m.id === id) ?? buildModel({ id, capabilities: ['image'], ownedBy: 'runway' });
