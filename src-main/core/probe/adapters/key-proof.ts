import { ProbeError } from '../errors.js';
import { bearer, requestJson, type AdapterContext, type FamilyAdapter, type JsonAnswer, type Unverified } from './context.js';

export interface KeyInfoCall {
  /** What the user knows the provider as, for messages ("OpenRouter"). */
  label: string;
  /** The free call that needs the key (a key-info, account or balance endpoint). */
  url(ctx: AdapterContext): string;
  method?: 'GET' | 'POST';
  /** Auth and accept headers; Bearer by default. */
  headers?(ctx: AdapterContext): Record<string, string>;
  /** Reads the answer: records credit on ctx.headroom, or throws a ProbeError for a key the answer says is unusable. */
  read?(ctx: AdapterContext, answer: JsonAnswer): void;
  /**
   * The provider lists models only for a valid key, so when a compatible server or proxy does not offer this call
   * (404/405) the listing that follows still proves the key. Where listing is public, the key stays unverified.
   */
  listingNeedsKey: boolean;
  /**
   * A 403 (or ElevenLabs' missing_permissions) means the service knew the key but this call is outside its scope:
   * GitHub App tokens on /user, ElevenLabs keys without user_read. The key is proven all the same.
   */
  forbiddenProvesKey?: boolean;
}

/** "GET /x is not offered here": the endpoint is missing, not the key wrong. */
function notOffered(error: unknown): boolean {
  return error instanceof ProbeError && (error.httpStatus === 404 || error.httpStatus === 405);
}

/** prove() for a type whose key is proven by one free call that needs it. */
export function keyInfoProof(call: KeyInfoCall): NonNullable<FamilyAdapter['prove']> {
  return async (ctx) => {
    const url = call.url(ctx);
    let answer: JsonAnswer;
    try {
      answer = await requestJson(ctx, {
        method: call.method ?? 'GET',
        url,
        headers: call.headers ? call.headers(ctx) : { Accept: 'application/json', ...bearer(ctx) },
        purpose: 'check',
      });
    } catch (error) {
      if (call.forbiddenProvesKey && error instanceof ProbeError && error.errorClass === 'forbidden') return null;
      if (notOffered(error)) return call.listingNeedsKey ? null : publicListing(call.label, new URL(url).pathname);
      throw error;
    }
    call.read?.(ctx, answer);
    return null;
  };
}

/** The key stays unverified: the model list is public and the call that would prove the key is not offered here. */
function publicListing(label: string, path: string): Unverified {
  return {
    reason: `${label}'s model list is public and this server does not offer ${path}, the call that proves a key; the key was not verified (a deep test with a model proves it)`,
  };
}

/**
 * The origin of a provider's account API, which may live on another host than its inference API
 * (router.huggingface.co → huggingface.co). Any other base URL (a proxy, a test server) keeps its own origin,
 * so the key never goes to a host the user did not configure.
 */
export function accountOrigin(base: string, known: Record<string, string>): string {
  const url = new URL(base);
  return known[url.hostname.toLowerCase()] ?? url.origin;
}

/** A type's adapter with a key proof in front of its listing. */
export function withKeyProof(adapter: FamilyAdapter, prove: NonNullable<FamilyAdapter['prove']>): FamilyAdapter {
  return { ...adapter, prove };
}
