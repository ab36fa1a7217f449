import { z } from 'zod';
import type { ModelCapability, ModelInfo } from '../../contract/domain-schemas.js';
import { buildModel, capabilityFromName } from '../capabilities.js';
import { ProbeError } from '../errors.js';
import { joinUrl, withQuery } from '../urls.js';
import { parseShape, requestJson, requireSecret, settingString, settingValue, type AdapterContext, type FamilyAdapter } from './context.js';
import { chatOneToken } from './openai.js';

const DEFAULT_API_VERSION = '2024-10-21';
/** The data-plane deployments list only exists in this preview version (newer resources may answer 404). */
const DEPLOYMENTS_API_VERSION = '2023-03-15-preview';

const BaseModels = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      capabilities: z
        .looseObject({
          chat_completion: z.boolean().optional(),
          completion: z.boolean().optional(),
          embeddings: z.boolean().optional(),
          inference: z.boolean().optional(),
        })
        .nullish(),
      lifecycle_status: z.string().nullish(),
    }),
  ),
});
const Deployments = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().min(1), model: z.string().nullish(), status: z.string().nullish() })),
});

interface Deployment {
  name: string;
  model: string;
}

/** `https://res.openai.azure.com`, whatever the user pasted after it (/openai, /openai/v1, /openai/deployments/x …). */
function endpoint(ctx: AdapterContext): string {
  const raw = settingString(ctx, 'endpoint') ?? ctx.target.baseUrl.trim();
  if (!raw)
    throw new ProbeError({
      errorClass: 'not_found',
      httpStatus: null,
      summary: 'no Azure endpoint set',
      hint: 'enter the resource endpoint, e.g. https://my-resource.openai.azure.com',
    });
  return raw.replace(/\/+$/, '').replace(/\/openai(\/.*)?$/, '');
}

function apiVersion(ctx: AdapterContext): string {
  return settingString(ctx, 'api_version') ?? DEFAULT_API_VERSION;
}

function auth(ctx: AdapterContext): Record<string, string> {
  return { 'api-key': requireSecret(ctx), Accept: 'application/json' };
}

/** Deployments the user configured: a `model=deployment` per line, a {model: deployment} map, or a list of names. */
export function configuredDeployments(value: unknown): Deployment[] {
  if (typeof value === 'string') {
    return value
      .split(/[\n,]/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [model, name] = line.includes('=') ? line.split('=', 2).map((s) => s.trim()) : [line, line];
        return { model: model || name || line, name: name || model || line };
      });
  }
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((name) => ({ name, model: name }));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
      .map(([model, name]) => ({ model, name }));
  }
  return [];
}

function baseCapabilities(caps: z.infer<typeof BaseModels>['data'][number]['capabilities']): ModelCapability[] {
  if (!caps) return [];
  const out: ModelCapability[] = [];
  if (caps.chat_completion || caps.completion) out.push('chat');
  if (caps.embeddings) out.push('embedding');
  return out;
}

/**
 * The key is proven by the base-model list; then deployments (what users actually call) come from the data-plane
 * list when the resource still offers it, plus those configured in settings or the key config. With deployments
 * known, they are the models; otherwise the base models that can serve inference are.
 */
export const azureAdapter: FamilyAdapter = {
  async list(ctx) {
    const root = endpoint(ctx);
    const headers = auth(ctx);
    const modelsUrl = withQuery(joinUrl(root, 'openai/models'), { 'api-version': apiVersion(ctx) });
    const { body, response } = await requestJson(ctx, { method: 'GET', url: modelsUrl, headers, purpose: 'list' });
    const baseModels = parseShape(BaseModels, body, response.path, '{"data": [{"id": …}]}').data;
    const capsByModel = new Map(baseModels.map((m) => [m.id, baseCapabilities(m.capabilities)]));

    const deployments = new Map<string, Deployment>();
    try {
      const listed = await requestJson(ctx, {
        method: 'GET',
        url: withQuery(joinUrl(root, 'openai/deployments'), { 'api-version': DEPLOYMENTS_API_VERSION }),
        headers,
        purpose: 'list',
      });
      for (const d of parseShape(Deployments, listed.body, listed.response.path, '{"data": [{"id": …, "model": …}]}').data) {
        if (!d.status || d.status === 'succeeded') deployments.set(d.id, { name: d.id, model: d.model ?? d.id });
      }
    } catch (error) {
      // Retired on newer resources: fall back to the configured deployments.
      if (!(error instanceof ProbeError) || (error.httpStatus !== 404 && error.httpStatus !== 400)) throw error;
    }
    for (const d of configuredDeployments(settingValue(ctx, 'deployments'))) if (!deployments.has(d.name)) deployments.set(d.name, d);

    if (deployments.size > 0) {
      return [...deployments.values()].map((d): ModelInfo => {
        const caps = capsByModel.get(d.model);
        return buildModel({
          id: d.name,
          displayName: d.name === d.model ? d.name : `${d.name} (${d.model})`,
          capabilities: caps && caps.length > 0 ? caps : [capabilityFromName(d.model)],
          ownedBy: 'azure',
        });
      });
    }
    return baseModels
      .filter((m) => m.capabilities?.inference !== false && m.lifecycle_status !== 'deprecated')
      .map((m) => buildModel({ id: m.id, capabilities: baseCapabilities(m.capabilities), ownedBy: 'azure' }));
  },

  async deep(ctx, model) {
    const url = withQuery(joinUrl(endpoint(ctx), `openai/deployments/${encodeURIComponent(model)}/chat/completions`), {
      'api-version': apiVersion(ctx),
    });
    await chatOneToken(ctx, url, model, auth(ctx));
  },
};
