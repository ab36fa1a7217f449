import { z } from 'zod';
import type { ModelCapability } from '../../contract/domain-schemas.js';
import { planCredentials, planSecrets, type AwsCredentials, type CredentialPlan } from '../aws/credentials.js';
import { bedrockEndpoints, type BedrockEndpoints } from '../aws/endpoints.js';
import { signRequest } from '../aws/sigv4.js';
import { assumeRole } from '../aws/sts.js';
import { buildModel, fromModalities } from '../capabilities.js';
import { classifyHttpFailure, type RequestPurpose } from '../classify.js';
import { ProbeError, invalidResponse } from '../errors.js';
import type { HttpResponse } from '../network/http-client.js';
import { bodyExcerpt, upstreamMessage } from '../scrub.js';
import { joinUrl } from '../urls.js';
import { parseShape, settingString, settingValue, type AdapterContext, type FamilyAdapter } from './context.js';

export type { AwsCredentials } from '../aws/credentials.js';

const Summaries = z.looseObject({
  modelSummaries: z.array(
    z.looseObject({
      modelId: z.string().min(1),
      modelName: z.string().nullish(),
      providerName: z.string().nullish(),
      inputModalities: z.array(z.string()).nullish(),
      outputModalities: z.array(z.string()).nullish(),
    }),
  ),
});

export type BedrockAuth = { kind: 'sigv4'; credentials: AwsCredentials } | { kind: 'bearer'; token: string };

/** Where requests go and how they are signed, for one check (shared by the listing and the deep test, and the gateway). */
export interface BedrockSession {
  endpoints: BedrockEndpoints;
  auth: BedrockAuth;
  /** Where the credentials came from, for messages. */
  source: string;
}

function flag(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && /^(true|1|yes|on)$/i.test(value.trim());
}

async function authFor(ctx: AdapterContext, plan: CredentialPlan, endpoints: BedrockEndpoints): Promise<BedrockAuth> {
  switch (plan.kind) {
    case 'static':
      return { kind: 'sigv4', credentials: plan.credentials };
    case 'bearer':
      return { kind: 'bearer', token: plan.token };
    case 'assume-role': {
      const base = await authFor(ctx, plan.base, endpoints);
      if (base.kind !== 'sigv4') throw new Error('a role is assumed with SigV4 credentials only');
      const credentials = await assumeRole(ctx, {
        stsUrl: endpoints.sts,
        region: endpoints.region,
        base: base.credentials,
        baseSource: plan.base.source,
        role: plan.role,
      });
      return { kind: 'sigv4', credentials };
    }
  }
}

/**
 * Credentials (the key's access keys or API key, a profile, the environment of the process that owns the store, then
 * role_arn assumed through STS) and endpoints (partition, FIPS) for this check. Nothing resolved here is stored;
 * every secret goes to the scrubber first.
 */
export async function openSession(ctx: AdapterContext): Promise<BedrockSession> {
  const env = ctx.target.env ?? process.env;
  const { plan, profileRegion, profileFips } = await planCredentials({
    accessKeyId: settingString(ctx, 'access_key', 'access_key_id', 'aws_access_key_id'),
    secretAccessKey: settingString(ctx, 'access_key_secret', 'secret_key', 'secret_access_key', 'aws_secret_access_key'),
    sessionToken: settingString(ctx, 'session_token', 'aws_session_token'),
    apiKey: ctx.secret,
    roleArn: settingString(ctx, 'role_arn'),
    externalId: settingString(ctx, 'external_id'),
    sessionName: settingString(ctx, 'session_name', 'role_session_name'),
    profile: settingString(ctx, 'profile'),
    env,
  });
  for (const secret of planSecrets(plan)) ctx.scrubber.add(secret);
  const endpoints = bedrockEndpoints({
    baseUrl: ctx.target.baseUrl,
    region: settingString(ctx, 'region', 'aws_region') ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || profileRegion),
    useFips: flag(settingValue(ctx, 'use_fips', 'use_fips_endpoint')) || flag(env.AWS_USE_FIPS_ENDPOINT) || profileFips === true,
    bedrockEndpoint: env.AWS_ENDPOINT_URL_BEDROCK,
    runtimeEndpoint: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
    stsEndpoint:
      endpointUrl(settingString(ctx, 'sts_endpoint'), 'the sts_endpoint setting') ??
      endpointUrl(env.AWS_ENDPOINT_URL_STS, 'AWS_ENDPOINT_URL_STS'),
  });
  return { endpoints, auth: await authFor(ctx, plan, endpoints), source: plan.source };
}

/** An endpoint override must be an http(s) URL; anything else is named instead of failing as an unexpected error. */
function endpointUrl(value: string | undefined, where: string): string | undefined {
  if (!value) return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol === 'https:' || protocol === 'http:') return value;
  throw new ProbeError({
    errorClass: 'not_found',
    httpStatus: null,
    summary: `${where} (${value}) is not an http(s) URL`,
    hint: 'use https://sts.{region}.amazonaws.com or your STS VPC endpoint’s URL, or leave it empty',
  });
}

/** One session per check: the deep test reuses the listing's credentials instead of assuming the role again. */
const sessions = new WeakMap<AdapterContext, Promise<BedrockSession>>();

function session(ctx: AdapterContext): Promise<BedrockSession> {
  let open = sessions.get(ctx);
  if (!open) {
    open = openSession(ctx);
    sessions.set(ctx, open);
  }
  return open;
}

async function send(
  ctx: AdapterContext,
  s: BedrockSession,
  req: { method: 'GET' | 'POST'; url: string; body?: string; headers?: Record<string, string> },
): Promise<HttpResponse> {
  const own = { Accept: 'application/json', ...req.headers };
  const headers =
    s.auth.kind === 'bearer'
      ? { ...own, Authorization: `Bearer ${s.auth.token}` }
      : signRequest(
          {
            method: req.method,
            url: req.url,
            service: 'bedrock',
            region: s.endpoints.region,
            headers: own,
            ...(req.body !== undefined ? { body: req.body } : {}),
          },
          s.auth.credentials,
        );
  return ctx.http.send({ method: req.method, url: req.url, headers, ...(req.body !== undefined ? { body: req.body } : {}) });
}

/** Error types AWS sends (x-amzn-ErrorType) for credentials it does not accept: the key is wrong, not its rights. */
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Bedrock's failures, kept apart: credentials AWS does not know or a signature that does not match (and a wrong
 * Bedrock API key, 403 "Authentication failed") are auth_failed; AccessDeniedException is forbidden; a deep test on
 * a model Converse cannot drive (embeddings, images) is unsupported, not a failure of the key.
 */
function bedrockFailure(ctx: AdapterContext, s: BedrockSession, response: HttpResponse, purpose: RequestPurpose): ProbeError {
  const type = (response.headers['x-amzn-errortype'] ?? '').split(':')[0]?.trim() ?? '';
  const message = upstreamMessage(parseJson(response.text)) ?? '';
  const excerpt = bodyExcerpt(response.text, ctx.scrubber);
  const summary = `${response.status}${type ? ` ${type}` : ''} from ${response.path}${excerpt ? `: ${excerpt}` : ''}`;
  const make = (errorClass: ProbeError['errorClass'], hint: string) =>
    new ProbeError({ errorClass, httpStatus: response.status, summary, hint });

  const apiKeyRejected = s.auth.kind === 'bearer' && response.status === 403 && /authentication failed/i.test(message);
  if (apiKeyRejected || (response.status === 401 && s.auth.kind === 'bearer'))
    return make(
      'auth_failed',
      'the Bedrock API key was rejected; check it, and that it was created for this region (API keys are region-bound)',
    );
  if (
    BAD_CREDENTIALS.has(type) ||
    (response.status === 403 &&
      /security token included in the request is (invalid|expired)|signature we calculated does not match/i.test(message))
  ) {
    if (type === 'ExpiredTokenException' || /expired/i.test(message))
      return make('auth_failed', `the temporary credentials from ${s.source} have expired; get new ones`);
    return make('auth_failed', `AWS did not accept the credentials from ${s.source}; check the access key, secret and session token`);
  }
  if (type === 'AccessDeniedException' || (response.status === 403 && /not authorized to perform/i.test(message))) {
    return make(
      'forbidden',
      purpose === 'deep'
        ? 'the credentials are valid but may not invoke this model: request model access in the Bedrock console and allow bedrock:InvokeModel'
        : `the credentials from ${s.source} are valid but may not list models: allow bedrock:ListFoundationModels in IAM`,
    );
  }
  if (purpose === 'deep' && response.status === 400 && /doesn'?t support|does not support|not supported/i.test(message))
    return make('unsupported', 'Converse cannot drive this model (embedding, image or video models); only the listing was checked');
  return classifyHttpFailure({
    status: response.status,
    headers: response.headers,
    text: response.text,
    path: response.path,
    purpose,
    scrubber: ctx.scrubber,
  });
}

/**
 * Capabilities from Bedrock's modalities (TEXT, IMAGE, EMBEDDING, SPEECH, VIDEO). Model capabilities have no
 * "video", so video generation counts as visual generation (image); rerank models answer TEXT but are rerankers.
 */
export function bedrockCapabilities(id: string, input: readonly string[], output: readonly string[]): ModelCapability[] {
  const caps = fromModalities(input, output);
  if (output.some((m) => m.toUpperCase() === 'VIDEO') && !caps.includes('image')) caps.push('image');
  if (/rerank/i.test(id)) return [...caps.filter((c) => c !== 'chat'), 'rerank'];
  return caps;
}

/**
 * ListFoundationModels on the control plane, every output modality (no byOutputModality filter), signed with SigV4
 * or sent with a Bedrock API key as Bearer. The deep test is a one-token Converse on the runtime.
 */
export const bedrockAdapter: FamilyAdapter = {
  async list(ctx) {
    const s = await session(ctx);
    const url = joinUrl(s.endpoints.controlPlane, 'foundation-models');
    const response = await send(ctx, s, { method: 'GET', url });
    if (response.status < 200 || response.status >= 300) throw bedrockFailure(ctx, s, response, 'list');
    const body = parseJson(response.text);
    if (body === undefined) throw invalidResponse(response.path, '{"modelSummaries": [{"modelId": …}]}', response.status);
    return parseShape(Summaries, body, response.path, '{"modelSummaries": [{"modelId": …}]}').modelSummaries.map((m) =>
      buildModel({
        id: m.modelId,
        displayName: m.modelName ?? null,
        capabilities: bedrockCapabilities(m.modelId, m.inputModalities ?? [], m.outputModalities ?? []),
        ownedBy: m.providerName ?? null,
      }),
    );
  },

  async deep(ctx, model) {
    const s = await session(ctx);
    const url = joinUrl(s.endpoints.runtime, `model/${encodeURIComponent(model)}/converse`);
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 1 } });
    const response = await send(ctx, s, { method: 'POST', url, body, headers: { 'Content-Type': 'application/json' } });
    if (response.status < 200 || response.status >= 300) throw bedrockFailure(ctx, s, response, 'deep');
  },
};
