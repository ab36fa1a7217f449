import aws4 from 'aws4';
import type { AuthScheme } from '../catalog/types.js';
import { openSession, type BedrockSession } from '../probe/adapters/bedrock.js';
import type { AdapterContext } from '../probe/adapters/context.js';
import { accessToken, serviceAccountOf } from '../probe/adapters/vertex.js';
import { iamToken } from '../probe/adapters/watsonx.js';
import { HeadroomCollector } from '../probe/headroom.js';
import { targetForKey } from '../probe/key-endpoint.js';
import { ProviderHttp, type HttpDeps } from '../probe/network/http-client.js';
import type { ProbeKey, ProbeTarget } from '../probe/types.js';
import { ExpiringCache } from './expiring-cache.js';
import { scrubberFor } from './scrub.js';
import type { UpstreamRequest } from './upstream.js';

/** Google's and IBM's access tokens live an hour; they are renewed five minutes before, or at once when refused. */
const ACCESS_TOKEN_TTL_MS = 55 * 60_000;
/**
 * The probe's STS call asks for 15-minute role sessions; they are renewed a minute before. Long-term credentials from
 * the environment or the shared files are re-read as often, so an edited profile takes effect.
 */
const AWS_SESSION_TTL_MS = 14 * 60_000;

/** A key (or a keyless provider's settings) as credentials are made from it. */
export interface KeyMaterial {
  probeKey: ProbeKey;
  /** Digest of everything the credential is made of: the cache key for tokens made from it. */
  fingerprint: string;
}

/**
 * Puts the provider's real credential on gateway requests, in the provider's own scheme. Token exchanges reuse the
 * probes' code (Vertex service-account JWT, IBM IAM, the AWS credential chain with AssumeRole), so what a test proves
 * is what the gateway sends; their results are cached per credential until shortly before they expire.
 */
export class Credentials {
  private readonly aws = new ExpiringCache<BedrockSession>();
  private readonly tokens = new ExpiringCache<string>();

  constructor(private readonly http: HttpDeps) {}

  /** What a probe adapter needs to run one of its token exchanges for this key (through the provider's network settings). */
  private context(target: ProbeTarget, key: ProbeKey): AdapterContext {
    const scrubber = scrubberFor(target, key);
    const secret = key.secret && key.secret.trim() ? key.secret.trim() : null;
    return {
      target: targetForKey(target, key),
      key,
      secret,
      keyless: secret === null,
      http: new ProviderHttp(this.http, target.network, target.proxy, scrubber),
      scrubber,
      headroom: new HeadroomCollector(() => new Date()),
    };
  }

  /** Where Bedrock requests go and how they are signed for this key; `cached` when the session was kept from before. */
  async bedrock(target: ProbeTarget, key: KeyMaterial): Promise<{ session: BedrockSession; cached: boolean }> {
    const { value, cached } = await this.aws.get(key.fingerprint, AWS_SESSION_TTL_MS, () =>
      openSession(this.context(target, key.probeKey)),
    );
    return { session: value, cached };
  }

  /**
   * Sets the credential for `scheme` on the request (which carries none of the client's). Returns whether a cached
   * token or session was used: a 401 then may mean that token went stale rather than that the key is wrong.
   */
  async apply(scheme: AuthScheme, target: ProbeTarget, key: KeyMaterial, req: UpstreamRequest): Promise<{ cached: boolean }> {
    const secret = key.probeKey.secret?.trim() || null;
    const set = (name: string, value: string | null) => {
      if (value) req.headers[name] = value;
      return { cached: false };
    };
    switch (scheme) {
      case 'bearer':
      case 'none':
        // Local servers (vLLM, SGLang …) take an optional key as Bearer.
        return set('authorization', secret && `Bearer ${secret}`);
      case 'x-api-key':
        return set('x-api-key', secret);
      case 'api-key':
        return set('api-key', secret);
      case 'x-goog-api-key':
        // The key goes in its header; a `key` parameter from the client is never passed on.
        req.url.searchParams.delete('key');
        return set('x-goog-api-key', secret);
      case 'xi-api-key':
        return set('xi-api-key', secret);
      case 'rits-api-key':
        return set('RITS_API_KEY', secret);
      case 'google-service-account': {
        req.url.searchParams.delete('key');
        const { value, cached } = await this.tokens.get(key.fingerprint, ACCESS_TOKEN_TTL_MS, () => {
          const ctx = this.context(target, key.probeKey);
          return accessToken(ctx, serviceAccountOf(ctx));
        });
        req.headers.authorization = `Bearer ${value}`;
        return { cached };
      }
      case 'ibm-iam': {
        const { value, cached } = await this.tokens.get(key.fingerprint, ACCESS_TOKEN_TTL_MS, () =>
          iamToken(this.context(target, key.probeKey)),
        );
        req.headers.authorization = `Bearer ${value}`;
        return { cached };
      }
      case 'aws-sigv4': {
        const { session, cached } = await this.bedrock(target, key);
        applyBedrockSession(session, req);
        return { cached };
      }
    }
  }

  /** Forgets the tokens made from a key the provider refused, so the next request makes new ones. */
  invalidate(key: KeyMaterial): void {
    this.aws.delete(key.fingerprint);
    this.tokens.delete(key.fingerprint);
  }

  clear(): void {
    this.aws.clear();
    this.tokens.clear();
  }
}

/** Sets a Bedrock session's credential on a request: its API key as Bearer, or a SigV4 signature for its region. */
export function applyBedrockSession(session: BedrockSession, req: UpstreamRequest): void {
  if (session.auth.kind === 'bearer') req.headers.authorization = `Bearer ${session.auth.token}`;
  else signAws(req, session.endpoints.region, session.auth.credentials);
}

/**
 * Re-signs a request with SigV4 for Bedrock (aws4 hashes the body into the signature): the headers the client signed
 * for Provider Desk are gone; the ones it sent are signed again with the provider's credentials. Host stays with the
 * HTTP client, which sends the same value.
 */
export function signAws(
  req: UpstreamRequest,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): void {
  const signed = aws4.sign(
    {
      host: req.url.host,
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method,
      service: 'bedrock',
      region,
      headers: { ...req.headers },
      ...(req.body && req.body.length > 0 ? { body: req.body } : {}),
    },
    // A full object always: aws4 falls back to this process's AWS_* variables when credentials are missing.
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (name.toLowerCase() !== 'host' && value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  req.headers = headers;
}
