import { z } from 'zod';
import type { ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, contextWindowOf, fromWatsonxFunctions } from '../capabilities.js';
import { ProbeError, invalidResponse } from '../errors.js';
import { joinUrl, withQuery } from '../urls.js';
import { parseShape, requestJson, requireSecret, settingString, type AdapterContext, type FamilyAdapter } from './context.js';

const DEFAULT_IAM = 'https://iam.cloud.ibm.com';
const DEFAULT_BASE = 'https://us-south.ml.cloud.ibm.com';
const SPECS_VERSION = '2024-05-01';
const PAGE_SIZE = 200;
const MAX_PAGES = 50;

const TokenAnswer = z.looseObject({ access_token: z.string().min(1) });
const Specs = z.looseObject({
  resources: z.array(
    z.looseObject({
      model_id: z.string().min(1),
      label: z.string().nullish(),
      provider: z.string().nullish(),
      functions: z.array(z.looseObject({ id: z.string() })).nullish(),
      lifecycle: z.array(z.looseObject({ id: z.string(), start_date: z.string().nullish() })).nullish(),
    }),
  ),
  next: z.looseObject({ href: z.string() }).nullish(),
});

function iamTokenUrl(ctx: AdapterContext): string {
  const iam = (settingString(ctx, 'iam_url') ?? DEFAULT_IAM).replace(/\/+$/, '');
  return /\/identity\/token$/.test(iam) ? iam : joinUrl(iam, 'identity/token');
}

function apiBase(ctx: AdapterContext): string {
  return (ctx.target.baseUrl.trim() || DEFAULT_BASE).replace(/\/+$/, '').replace(/\/ml(\/v\d+)?$/, '');
}

/** IBM Cloud IAM: the API key is exchanged for a short-lived bearer token; the exchange is what proves the key. */
export async function iamToken(ctx: AdapterContext): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'urn:ibm:params:oauth:grant-type:apikey',
    apikey: requireSecret(ctx, 'IBM Cloud API key'),
  });
  const { body, response } = await requestJson(ctx, {
    method: 'POST',
    url: iamTokenUrl(ctx),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form.toString(),
    purpose: 'token',
  });
  const token = parseShape(TokenAnswer, body, response.path, '{"access_token": …}').access_token;
  ctx.scrubber.add(token);
  return token;
}

/** A model whose lifecycle reached "withdrawn" can no longer be called. */
function withdrawn(lifecycle: Array<{ id: string; start_date?: string | null | undefined }> | null | undefined, today: string): boolean {
  return (lifecycle ?? []).some((stage) => stage.id === 'withdrawn' && (!stage.start_date || stage.start_date.slice(0, 10) <= today));
}

/**
 * The next page: `next.href` when it points at our own host (relative or absolute), otherwise only its `start`
 * is taken over, so the bearer token never goes to another host.
 */
function nextPageUrl(current: string, href: string): string {
  const next = new URL(href, current);
  const here = new URL(current);
  if (next.origin === here.origin) return next.toString();
  const start = next.searchParams.get('start');
  return withQuery(current, { start: start ?? undefined });
}

/** Where watsonx.ai runs requests: a project or a deployment space; every inference call names one of them. */
type Scope = { kind: 'project'; id: string } | { kind: 'space'; id: string };

function scopeOf(ctx: AdapterContext): Scope {
  const project = settingString(ctx, 'project_id');
  if (project) return { kind: 'project', id: project };
  const space = settingString(ctx, 'space_id');
  if (space) return { kind: 'space', id: space };
  throw new ProbeError({
    errorClass: 'missing_credentials',
    httpStatus: null,
    summary: 'no project ID or space ID set',
    hint: 'watsonx.ai runs every request in a project or a deployment space: enter its ID in the provider settings',
  });
}

/**
 * The model catalog is public, so it proves nothing about the key or the project. `GET /ml/v4/deployments` with the
 * project_id or space_id needs the IAM token to have access there (and the project to be linked to a watsonx.ai
 * Runtime instance); it is free and lists at most one deployment.
 */
async function proveScopeAccess(ctx: AdapterContext, token: string, scope: Scope): Promise<void> {
  const what = `${scope.kind} ${scope.id}`;
  try {
    await requestJson(ctx, {
      method: 'GET',
      url: withQuery(joinUrl(apiBase(ctx), 'ml/v4/deployments'), {
        version: SPECS_VERSION,
        [scope.kind === 'project' ? 'project_id' : 'space_id']: scope.id,
        limit: 1,
      }),
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      purpose: 'check',
    });
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (error.errorClass === 'forbidden')
      throw new ProbeError({
        errorClass: 'forbidden',
        httpStatus: error.httpStatus,
        summary: `no access to ${what}: ${error.summary}`,
        hint: `add the key's user or service ID to the ${scope.kind} as a collaborator${scope.kind === 'project' ? ', and associate the project with a watsonx.ai Runtime instance' : ''}; check the ${scope.kind} ID and the region in the base URL`,
      });
    if (error.errorClass === 'not_found')
      throw new ProbeError({
        errorClass: 'not_found',
        httpStatus: error.httpStatus,
        summary: `${what} not found: ${error.summary}`,
        hint: `check the ${scope.kind} ID, and that the base URL is the ${scope.kind}'s region`,
      });
    throw error;
  }
}

export const watsonxAdapter: FamilyAdapter = {
  async list(ctx) {
    const scope = scopeOf(ctx);
    const token = await iamToken(ctx);
    await proveScopeAccess(ctx, token, scope);
    const today = new Date().toISOString().slice(0, 10);
    const models: ModelInfo[] = [];
    let url = withQuery(joinUrl(apiBase(ctx), 'ml/v1/foundation_model_specs'), { version: SPECS_VERSION, limit: PAGE_SIZE });
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      seen.add(url);
      const { body, response } = await requestJson(ctx, {
        method: 'GET',
        url,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        purpose: 'list',
      });
      const parsed = parseShape(Specs, body, response.path, '{"resources": [{"model_id": …}]}');
      for (const m of parsed.resources) {
        if (withdrawn(m.lifecycle, today)) continue;
        models.push(
          buildModel({
            id: m.model_id,
            displayName: m.label ?? null,
            capabilities: fromWatsonxFunctions((m.functions ?? []).map((f) => f.id)),
            contextWindow: contextWindowOf(m),
            ownedBy: m.provider ?? null,
          }),
        );
      }
      if (!parsed.next?.href || parsed.resources.length === 0) return models;
      url = nextPageUrl(url, parsed.next.href);
      if (seen.has(url)) throw invalidResponse(response.path, 'a next.href that moves forward');
    }
    return models;
  },
};
