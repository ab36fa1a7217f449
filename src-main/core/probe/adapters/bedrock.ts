import aws4 from 'aws4';
import { z } from 'zod';
import { buildModel, fromModalities } from '../capabilities.js';
import { missingCredentials } from '../errors.js';
import { joinUrl, withQuery } from '../urls.js';
import { parseShape, requestJson, settingString, type AdapterContext, type FamilyAdapter } from './context.js';

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

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function region(ctx: AdapterContext): string {
  const fromUrl = /bedrock(?:-runtime)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(ctx.target.baseUrl)?.[1];
  return settingString(ctx, 'region', 'aws_region') ?? fromUrl ?? 'us-east-1';
}

/**
 * The control-plane endpoint (model listing lives on `bedrock.{region}`, not on the runtime host the catalog shows).
 * A base URL that is not an amazonaws.com host (a VPC endpoint, a gateway, a test server) is used as given.
 */
function controlPlane(ctx: AdapterContext): string {
  const base = ctx.target.baseUrl.trim();
  if (base && !/\.amazonaws\.com(\.cn)?(\/|$)/.test(base)) return base;
  return `https://bedrock.${region(ctx)}.amazonaws.com`;
}

function credentials(ctx: AdapterContext): AwsCredentials | null {
  const accessKeyId = settingString(ctx, 'access_key', 'access_key_id', 'aws_access_key_id');
  const secretAccessKey = settingString(ctx, 'access_key_secret', 'secret_key', 'secret_access_key', 'aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) return null;
  const sessionToken = settingString(ctx, 'session_token', 'aws_session_token');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** SigV4 headers for a GET (service `bedrock`), signed over host, x-amz-date, accept and the session token. */
export function signGet(url: string, regionName: string, creds: AwsCredentials): Record<string, string> {
  const parsed = new URL(url);
  const signed = aws4.sign(
    {
      host: parsed.host,
      path: `${parsed.pathname}${parsed.search}`,
      method: 'GET',
      service: 'bedrock',
      region: regionName,
      headers: { Accept: 'application/json' },
    },
    creds,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (name.toLowerCase() !== 'host' && value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** Access keys sign with SigV4; without them a Bedrock API key (the key's secret) is sent as a Bearer token. */
export const bedrockAdapter: FamilyAdapter = {
  async list(ctx) {
    const url = withQuery(joinUrl(controlPlane(ctx), 'foundation-models'), { byOutputModality: 'TEXT' });
    const creds = credentials(ctx);
    let headers: Record<string, string>;
    if (creds) headers = signGet(url, region(ctx), creds);
    else if (ctx.secret) headers = { Accept: 'application/json', Authorization: `Bearer ${ctx.secret}` };
    else
      throw missingCredentials(
        'AWS credentials',
        'add an access key ID and secret access key (and session token if temporary), or a Bedrock API key as the key',
      );
    const { body, response } = await requestJson(ctx, { method: 'GET', url, headers, purpose: 'list' });
    return parseShape(Summaries, body, response.path, '{"modelSummaries": [{"modelId": …}]}').modelSummaries.map((m) =>
      buildModel({
        id: m.modelId,
        displayName: m.modelName ?? null,
        capabilities: fromModalities(m.inputModalities ?? [], m.outputModalities ?? []),
        ownedBy: m.providerName ?? null,
      }),
    );
  },
};
