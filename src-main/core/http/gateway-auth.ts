/**
 * Who may call which route: the main API token everywhere, a scoped (gateway) token only on routes whose config says
 * `gateway: true`. On those routes the credential may come the way each provider SDK sends its API key, or as an AWS
 * SigV4 signature made with the token as the secret access key (the AWS SDKs cannot send anything else).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import aws4 from 'aws4';
import type { FastifyRequest } from 'fastify';
import type { HttpDeps } from './deps.js';
import type { GatewayIdentity, TokenCheck } from '../service/tokens.js';
import { presentedToken } from './guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by the auth hook on every authenticated request: the scoped token a gateway route was called with (its
     * provider names, null = all), or null for the main API token or a browser session.
     */
    gatewayToken: GatewayIdentity | null;
    /**
     * The store version the auth hook read when the request arrived (the same read as its token check): the gateway
     * resolves the provider against it rather than reading it again. '' before the hook ran.
     */
    storeVersion: string;
  }
}

/**
 * The access key id that means "find the token by its signature": configure an AWS SDK with accessKeyId `pd` and the
 * Provider Desk token (main or gateway) as secretAccessKey. A gateway token's own id works as the access key id too.
 */
export const SIGV4_GENERIC_ACCESS_KEY_ID = 'pd';
/** How far a signature's X-Amz-Date may be from now, as AWS allows. */
export const SIGV4_MAX_SKEW_MS = 15 * 60 * 1000;

export const GATEWAY_SCOPE_MESSAGE =
  'This is a gateway token: it may call only the gateway routes (/proxy/… and /v1/…), never the management API or an export. Use the main API token here.';

/** Headers the credential is read from on gateway routes, in this order (the first one present counts). */
export const GATEWAY_CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'] as const;

export type PresentedCredential = { kind: 'secret'; value: string } | { kind: 'sigv4'; authorization: string };

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

/**
 * The credential of a gateway request: `Authorization: Bearer` (OpenAI SDKs), `x-api-key` (Anthropic), `api-key`
 * (Azure), `x-goog-api-key` (Google GenAI), or an `AWS4-HMAC-SHA256` Authorization header (AWS SDKs). Never `?key=`:
 * a token in a URL ends up in logs and shell history.
 */
export function presentedGatewayCredential(request: { headers: IncomingHttpHeaders }): PresentedCredential | undefined {
  const authorization = single(request.headers.authorization);
  if (authorization) {
    if (/^AWS4-HMAC-SHA256\s/i.test(authorization)) return { kind: 'sigv4', authorization };
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (bearer?.[1]) return { kind: 'secret', value: bearer[1] };
  }
  for (const name of GATEWAY_CREDENTIAL_HEADERS.slice(1)) {
    const value = single(request.headers[name]);
    if (value) return { kind: 'secret', value };
  }
  return undefined;
}

export interface SigV4Authorization {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const SIGV4_HEADER =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/i;

export function parseSigV4(authorization: string): SigV4Authorization | undefined {
  const match = SIGV4_HEADER.exec(authorization.trim());
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature: signature.toLowerCase() };
}

export interface SigV4Request {
  method: string;
  /** The request target as sent: path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** `20261122T080000Z` → epoch ms. */
function amzDateMs(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0);
}

/** aws4's request options, plus the one it reads but its types leave out. */
interface SignableOptions extends aws4.Request {
  extraHeadersToInclude?: Record<string, boolean>;
}

/**
 * Which of `secretCandidates` signed this request, by recomputing the SigV4 signature with aws4 over the method, the
 * path, the query, the headers the client says it signed and the payload hash it declared in `x-amz-content-sha256`
 * (the AWS SDKs always send it; the body itself is not read here). Returns the candidate's index, or -1: a malformed
 * header, a date more than 15 minutes off, an unsigned Host or date, a body without a signed payload hash, or no match.
 */
export function verifySigV4(request: SigV4Request, secretCandidates: readonly string[], now = Date.now()): number {
  const parsed = parseSigV4(single(request.headers.authorization) ?? '');
  if (!parsed || secretCandidates.length === 0) return -1;
  const signed = new Set(parsed.signedHeaders);
  if (!signed.has('host') || !signed.has('x-amz-date')) return -1;
  const amzDate = single(request.headers['x-amz-date']) ?? '';
  if (!amzDate.startsWith(parsed.date) || !(Math.abs(now - amzDateMs(amzDate)) <= SIGV4_MAX_SKEW_MS)) return -1;
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !signed.has('x-amz-content-sha256')) return -1;
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return -1;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const options: SignableOptions = {
    method: request.method,
    path: request.url,
    host: headers.host,
    service: parsed.service,
    region: parsed.region,
    headers,
    // Sign exactly what the client listed, also headers aws4 would leave out by default (user-agent, range …).
    extraHeadersToInclude: Object.fromEntries(parsed.signedHeaders.map((name) => [name, true])),
  };
  const signer = new aws4.RequestSigner(options, { accessKeyId: parsed.accessKeyId, secretAccessKey: secretCandidates[0] ?? '' });
  if (signer.signedHeaders() !== parsed.signedHeaders.join(';')) return -1;
  const given = Buffer.from(parsed.signature, 'hex');
  let found = -1;
  // Every candidate is tried (no early exit), each compared in constant time.
  secretCandidates.forEach((secret, index) => {
    signer.credentials = { accessKeyId: parsed.accessKeyId, secretAccessKey: secret };
    const expected = Buffer.from(signer.signature(), 'hex');
    if (expected.length === given.length && timingSafeEqual(expected, given) && found === -1) found = index;
  });
  return found;
}

export type AuthDecision =
  | { ok: true; gatewayToken: GatewayIdentity | null }
  | { ok: false; failure: 'unauthorized'; message?: string }
  | { ok: false; failure: 'gateway_token_elsewhere' };

const REFUSED_MESSAGES: Record<Exclude<TokenCheck, { ok: true }>['reason'], string | undefined> = {
  unknown: undefined,
  expired: 'This gateway token has expired; create a new one',
  revoked: 'This gateway token has been revoked',
};

function fromCheck(check: TokenCheck): AuthDecision {
  if (check.ok) return { ok: true, gatewayToken: check.identity };
  const message = REFUSED_MESSAGES[check.reason];
  return message ? { ok: false, failure: 'unauthorized', message } : { ok: false, failure: 'unauthorized' };
}

/**
 * The auth decision for a request on a non-public route (deny by default). `sessionAllowed` says whether the request
 * carries a valid same-origin browser session, which counts like the main token. Gateway tokens count only on routes
 * marked `gateway`; elsewhere a valid one gets a 403 that says why, an invalid one the usual 401.
 */
export function authenticate(
  request: FastifyRequest,
  deps: Pick<HttpDeps, 'token' | 'tokens'>,
  sessionAllowed: () => boolean,
): AuthDecision {
  if (request.routeOptions.config?.gateway === true) return authenticateGateway(request, deps, sessionAllowed);
  const token = presentedToken(request.headers);
  if (token === undefined) return sessionAllowed() ? { ok: true, gatewayToken: null } : { ok: false, failure: 'unauthorized' };
  if (deps.token.verify(token)) return { ok: true, gatewayToken: null };
  if (deps.tokens.check(token).ok) return { ok: false, failure: 'gateway_token_elsewhere' };
  return { ok: false, failure: 'unauthorized' };
}

function authenticateGateway(
  request: FastifyRequest,
  deps: Pick<HttpDeps, 'token' | 'tokens'>,
  sessionAllowed: () => boolean,
): AuthDecision {
  const credential = presentedGatewayCredential(request);
  if (!credential) return sessionAllowed() ? { ok: true, gatewayToken: null } : { ok: false, failure: 'unauthorized' };
  if (credential.kind === 'secret') {
    if (deps.token.verify(credential.value)) return { ok: true, gatewayToken: null };
    return fromCheck(deps.tokens.check(credential.value));
  }
  const parsed = parseSigV4(credential.authorization);
  if (!parsed) return { ok: false, failure: 'unauthorized', message: 'Malformed AWS4-HMAC-SHA256 Authorization header' };
  const generic = parsed.accessKeyId === SIGV4_GENERIC_ACCESS_KEY_ID;
  const tokens = deps.tokens.signingCandidates(parsed.accessKeyId, generic);
  const secrets = [...(generic ? [deps.token.current()] : []), ...tokens.map((t) => t.secret)];
  const index = verifySigV4({ method: request.method, url: request.raw.url ?? '/', headers: request.headers }, secrets);
  if (index === -1) {
    return {
      ok: false,
      failure: 'unauthorized',
      message: `The AWS signature does not match: sign with access key id "${SIGV4_GENERIC_ACCESS_KEY_ID}" and a Provider Desk token as the secret access key`,
    };
  }
  if (generic && index === 0) return { ok: true, gatewayToken: null };
  const matched = tokens[generic ? index - 1 : index];
  return matched ? fromCheck(deps.tokens.checkId(matched.id)) : { ok: false, failure: 'unauthorized' };
}
