/**
 * Per-provider fakes, each written from docs/providers.md (how the real service answers), not from our adapters:
 * public model lists where the real one is public, each service's wrong-key status and body, its paging, its
 * rate-limit headers and its key-info and balance endpoints. One module per behaviour; this picks by catalog type.
 *
 *   const fake = await startProviderFake('openrouter', { keys: ['sk-or-good'] });
 *   target('openrouter', fake.baseUrl) …        // the base URL a user would type for this fake
 *   fake.requests / fake.billed()               // every request seen / those the real service would bill
 *   await fake.close();
 *
 * Bedrock, Vertex and watsonx are not here (their fakes live with their adapters' tests).
 */
import { startRunway, startReplicate } from './account.js';
import { startAnthropic } from './anthropic.js';
import { startAzure } from './azure.js';
import { startPerplexity, startVoyage } from './billed-only.js';
import { startCohere } from './cohere.js';
import { startElevenLabs } from './elevenlabs.js';
import { startGemini } from './gemini.js';
import { startGithub } from './github.js';
import { keyInfoProfiles, type KeyInfoOptions } from './key-info.js';
import { KEYED_LISTING } from './keyed-listing.js';
import { startOllama } from './ollama.js';
import { startOpenAiDialect, type OpenAiDialect } from './openai-compatible.js';
import { PUBLIC_LISTING } from './public-listing.js';
import type { FakeServer } from './server.js';

export type { RecordedRequest } from './server.js';

export interface ProviderFakeOptions extends KeyInfoOptions {
  /** Valid keys (default ['good-key']); any other key gets the service's own wrong-key answer. */
  keys?: string[];
  /** Replaces the rate-limit headers of inference answers. */
  responseHeaders?: Record<string, string>;
  /** Perplexity: keys with Router access (default: every valid key). */
  routerKeys?: string[];
  /** Perplexity: openresty's HTML 401 page instead of the JSON error. */
  htmlErrors?: boolean;
  /** ElevenLabs: valid keys without user_read. GitHub: App tokens that cannot read /user. */
  restrictedKeys?: string[];
  /** Ollama: put it behind an auth proxy that accepts these Bearer tokens. */
  proxyKeys?: string[];
}

export interface ProviderFake extends FakeServer {
  type: string;
  /** What a user would type as the base URL for this fake. */
  baseUrl: string;
}

/** Every catalog type with a fake here. */
export const FAKED_TYPES = [
  ...Object.keys(KEYED_LISTING),
  ...Object.keys(PUBLIC_LISTING),
  ...Object.keys(keyInfoProfiles()),
  'anthropic',
  'gemini',
  'azure',
  'cohere',
  'github',
  'elevenlabs',
  'replicate',
  'runway',
  'perplexity',
  'voyage',
  'ollama',
];

function dialect(type: string, options: ProviderFakeOptions): OpenAiDialect | undefined {
  return KEYED_LISTING[type] ?? PUBLIC_LISTING[type] ?? keyInfoProfiles(options)[type];
}

export async function startProviderFake(type: string, options: ProviderFakeOptions = {}): Promise<ProviderFake> {
  const keys = options.keys ?? ['good-key'];
  const withBase = (server: FakeServer, path = ''): ProviderFake => ({ ...server, type, baseUrl: `${server.url}${path}` });
  const profile = dialect(type, options);
  if (profile) return withBase(await startOpenAiDialect(profile, { keys, responseHeaders: options.responseHeaders }), profile.prefix);
  switch (type) {
    case 'anthropic':
      return withBase(await startAnthropic({ keys, responseHeaders: options.responseHeaders }));
    case 'gemini':
      return withBase(await startGemini({ keys }));
    case 'azure':
      return withBase(await startAzure({ keys }));
    case 'cohere':
      return withBase(await startCohere({ keys }));
    case 'github':
      return withBase(await startGithub({ keys, appTokens: options.restrictedKeys }), '/inference');
    case 'elevenlabs':
      return withBase(await startElevenLabs({ keys, restrictedKeys: options.restrictedKeys }));
    case 'replicate':
      return withBase(await startReplicate({ keys }), '/v1');
    case 'runway':
      return withBase(await startRunway({ keys }), '/v1');
    case 'perplexity':
      return withBase(await startPerplexity({ keys, routerKeys: options.routerKeys, htmlErrors: options.htmlErrors }));
    case 'voyage':
      return withBase(await startVoyage({ keys }), '/v1');
    case 'ollama':
      return withBase(await startOllama({ proxyKeys: options.proxyKeys }));
    default:
      throw new Error(`no per-provider fake for ${type}`);
  }
}
