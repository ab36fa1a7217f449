import { SignJWT, importPKCS8 } from 'jose';
import { z } from 'zod';
import type { ModelCapability, ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, capabilityFromName } from '../capabilities.js';
import { ProbeError, invalidResponse, missingCredentials } from '../errors.js';
import { joinUrl, withQuery } from '../urls.js';
import { parseShape, requestJson, settingString, settingValue, type AdapterContext, type FamilyAdapter } from './context.js';

const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const MAX_PAGES = 100;

const ServiceAccount = z.looseObject({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.string().optional(),
  project_id: z.string().optional(),
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

const TokenAnswer = z.looseObject({ access_token: z.string().min(1) });
const Page = z.looseObject({
  publisherModels: z
    .array(z.looseObject({ name: z.string().min(1), versionId: z.string().nullish(), launchStage: z.string().nullish() }))
    .optional(),
  nextPageToken: z.string().nullish(),
});

/** The service-account JSON: the key's secret, or a setting (as text or object). */
export function serviceAccountOf(ctx: AdapterContext): ServiceAccount {
  const candidates: unknown[] = [
    ctx.secret,
    settingValue(ctx, 'auth_credentials', 'service_account', 'service_account_json', 'credentials'),
  ];
  for (const candidate of candidates) {
    if (candidate === null || candidate === undefined || candidate === '') continue;
    let value: unknown = candidate;
    if (typeof candidate === 'string') {
      try {
        value = JSON.parse(candidate);
      } catch {
        throw missingCredentials('service-account JSON', 'paste the whole service-account key file (JSON) as the key');
      }
    }
    const parsed = ServiceAccount.safeParse(value);
    if (!parsed.success)
      throw missingCredentials(
        'service-account JSON with client_email and private_key',
        'paste the whole service-account key file (JSON) as the key',
      );
    return parsed.data;
  }
  throw missingCredentials('service-account JSON', 'paste the service-account key file (JSON) as the key');
}

function location(ctx: AdapterContext): string {
  return settingString(ctx, 'region', 'location') ?? 'us-central1';
}

/** `{location}-aiplatform.googleapis.com`, `aiplatform.googleapis.com` for global; a concrete base URL overrides both. */
function apiBase(ctx: AdapterContext): string {
  const base = ctx.target.baseUrl.trim();
  if (base && !base.includes('{')) return base.replace(/\/(v1|v1beta1)\/?$/, '');
  const loc = location(ctx);
  return loc === 'global' ? 'https://aiplatform.googleapis.com' : `https://${loc}-aiplatform.googleapis.com`;
}

/** Exchanges an RS256-signed JWT for an OAuth access token at the account's own token_uri. */
export async function accessToken(ctx: AdapterContext, account: ServiceAccount): Promise<string> {
  ctx.scrubber.add(account.private_key);
  let key: CryptoKey;
  try {
    key = await importPKCS8(account.private_key, 'RS256');
  } catch {
    throw missingCredentials(
      'valid private_key in the service-account JSON',
      'create a new key for the service account and paste its JSON',
    );
  }
  const tokenUri = account.token_uri || DEFAULT_TOKEN_URI;
  const assertion = await new SignJWT({ scope: SCOPE })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) })
    .setIssuer(account.client_email)
    .setSubject(account.client_email)
    .setAudience(tokenUri)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
  ctx.scrubber.add(assertion);
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  const { body, response } = await requestJson(ctx, {
    method: 'POST',
    url: tokenUri,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form.toString(),
    purpose: 'token',
  });
  const token = parseShape(TokenAnswer, body, response.path, '{"access_token": …}').access_token;
  ctx.scrubber.add(token);
  return token;
}

const VISION = /^gemini-(1\.5|[2-9])/;

/** The project the provider is configured for: the project_id setting, else the service account's own project. */
function projectOf(ctx: AdapterContext, account: ServiceAccount): string {
  const project = settingString(ctx, 'project_id') ?? account.project_id;
  if (!project)
    throw new ProbeError({
      errorClass: 'missing_credentials',
      httpStatus: null,
      summary: 'no project ID set',
      hint: 'enter the Google Cloud project ID in the provider settings',
    });
  return project;
}

/**
 * The publisher-model listing is not scoped to a project, so any valid Google token passes it. This call is:
 * `GET …/v1/projects/{project}/locations/{location}/endpoints?pageSize=1` needs aiplatform.endpoints.list on the
 * project, so a service account without access to it fails here, with the project named.
 */
async function proveProjectAccess(ctx: AdapterContext, token: string, project: string): Promise<void> {
  const loc = location(ctx);
  const path = `v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(loc)}/endpoints`;
  try {
    await requestJson(ctx, {
      method: 'GET',
      url: withQuery(joinUrl(apiBase(ctx), path), { pageSize: 1 }),
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      purpose: 'check',
    });
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (error.errorClass === 'forbidden')
      throw new ProbeError({
        errorClass: 'forbidden',
        httpStatus: error.httpStatus,
        summary: `no access to project ${project} (location ${loc}): ${error.summary}`,
        hint: `grant the service account a Vertex AI role (e.g. roles/aiplatform.user) on project ${project}, check the project ID, and that the Vertex AI API is enabled there`,
      });
    if (error.errorClass === 'not_found')
      throw new ProbeError({
        errorClass: 'not_found',
        httpStatus: error.httpStatus,
        summary: `project ${project} or location ${loc} not found: ${error.summary}`,
        hint: `check the project ID (${project}) and the location in the provider settings`,
      });
    throw error;
  }
}

export const vertexAdapter: FamilyAdapter = {
  async list(ctx) {
    const account = serviceAccountOf(ctx);
    const project = projectOf(ctx, account);
    const token = await accessToken(ctx, account);
    await proveProjectAccess(ctx, token, project);
    const listUrl = joinUrl(apiBase(ctx), 'v1beta1/publishers/google/models');
    const models: ModelInfo[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = withQuery(listUrl, { pageSize: 100, pageToken });
      const { body, response } = await requestJson(ctx, {
        method: 'GET',
        url,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        purpose: 'list',
      });
      const parsed = parseShape(Page, body, response.path, '{"publisherModels": [{"name": "publishers/google/models/…"}]}');
      for (const m of parsed.publisherModels ?? []) {
        const id = m.name.split('/').pop() ?? m.name;
        const caps: ModelCapability[] = [capabilityFromName(id)];
        if (caps[0] === 'chat' && VISION.test(id)) caps.push('vision');
        models.push(buildModel({ id, capabilities: caps, ownedBy: 'google' }));
      }
      if (!parsed.nextPageToken) return models;
      if (parsed.nextPageToken === pageToken) throw invalidResponse(response.path, 'a new nextPageToken on each page');
      pageToken = parsed.nextPageToken;
    }
    return models;
  },

  async deep(ctx, model) {
    const account = serviceAccountOf(ctx);
    const project = projectOf(ctx, account);
    const token = await accessToken(ctx, account);
    const id = model.replace(/^(publishers\/google\/)?models\//, '');
    const path = `v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location(ctx))}/publishers/google/models/${encodeURIComponent(id)}:generateContent`;
    await requestJson(ctx, {
      method: 'POST',
      url: joinUrl(apiBase(ctx), path),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 1 } }),
      purpose: 'deep',
    });
  },
};
