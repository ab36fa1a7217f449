import { z } from 'zod';
import type { AdapterContext } from '../adapters/context.js';
import { classifyHttpFailure } from '../classify.js';
import { ProbeError, invalidResponse } from '../errors.js';
import { bodyExcerpt } from '../scrub.js';
import type { AssumeRoleStep, AwsCredentials } from './credentials.js';
import { signRequest } from './sigv4.js';

/** The shortest session STS grants: the check needs the credentials for seconds. */
const SESSION_SECONDS = 900;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return XML_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** The text of the only `<name>` element inside `xml` (no attributes, no nesting of the same name); null if absent. */
function element(xml: string, name: string): string | null {
  const matches = [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))];
  if (matches.length !== 1) return null;
  return matches[0]?.[1] ?? null;
}

/** Credentials never contain whitespace; STS may wrap the session token across lines. */
const Token = z
  .string()
  .transform((s) => decodeEntities(s).replace(/\s+/g, ''))
  .pipe(z.string().min(1).max(8192));
const TemporaryCredentials = z.object({
  AccessKeyId: Token.pipe(z.string().regex(/^[A-Z0-9]{16,128}$/)),
  SecretAccessKey: Token,
  SessionToken: Token,
  Expiration: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.iso.datetime({ offset: true })),
});

/**
 * The credentials in an AssumeRole answer, extracted strictly: the AssumeRoleResponse root, one AssumeRoleResult,
 * one Credentials with the four fields. Anything else is null (an invalid response).
 */
export function parseAssumeRoleResponse(xml: string): (AwsCredentials & { expiration: string }) | null {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<AssumeRoleResponse[\s>]/.test(xml)) return null;
  const result = element(xml, 'AssumeRoleResult');
  const block = result === null ? null : element(result, 'Credentials');
  if (block === null) return null;
  const parsed = TemporaryCredentials.safeParse({
    AccessKeyId: element(block, 'AccessKeyId'),
    SecretAccessKey: element(block, 'SecretAccessKey'),
    SessionToken: element(block, 'SessionToken'),
    Expiration: element(block, 'Expiration'),
  });
  if (!parsed.success) return null;
  return {
    accessKeyId: parsed.data.AccessKeyId,
    secretAccessKey: parsed.data.SecretAccessKey,
    sessionToken: parsed.data.SessionToken,
    expiration: parsed.data.Expiration,
  };
}

export interface StsError {
  code: string;
  message: string;
}

/** `<ErrorResponse><Error><Code>…</Code><Message>…</Message></Error>` → code and message; null when not that shape. */
export function parseStsError(xml: string): StsError | null {
  const error = element(xml, 'Error');
  if (error === null) return null;
  const code = element(error, 'Code');
  if (!code || !/^[A-Za-z.]{1,100}$/.test(code.trim())) return null;
  return { code: code.trim(), message: decodeEntities(element(error, 'Message') ?? '').trim() };
}

/** Codes STS answers when the credentials that signed the call are not valid (standard AWS codes). */
const BAD_BASE_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidAccessKeyId',
  'UnrecognizedClientException',
]);

function stsFailure(ctx: AdapterContext, status: number, text: string, path: string, role: AssumeRoleStep, baseSource: string): ProbeError {
  const error = parseStsError(text);
  const upstream = error ? `${error.code}: ${error.message}` : bodyExcerpt(text, ctx.scrubber);
  const summary = `STS AssumeRole for ${role.roleArn} failed (${status} from ${path}${upstream ? `: ${upstream}` : ''})`;
  const make = (errorClass: ProbeError['errorClass'], hint: string) => new ProbeError({ errorClass, httpStatus: status, summary, hint });
  if (!error) return classifyHttpFailure({ status, headers: {}, text, path, purpose: 'token', scrubber: ctx.scrubber });
  if (BAD_BASE_CREDENTIALS.has(error.code))
    return make('auth_failed', `AWS did not accept the credentials used to assume the role (${baseSource}); check them or create new ones`);
  if (error.code === 'AccessDenied')
    return make(
      'forbidden',
      `these credentials may not assume role ${role.roleArn}: allow sts:AssumeRole for them in the role’s trust policy${role.externalId ? ' and check the external ID' : ''}`,
    );
  if (error.code === 'RegionDisabledException')
    return make('forbidden', 'STS is not activated in this region for the account; activate it in IAM or use another region');
  if (error.code === 'Throttling' || status === 429) return make('rate_limited', 'too many requests to STS; wait a moment and try again');
  if (status >= 500) return make('server_error', 'STS had a problem; try again later');
  return make('invalid_response', 'check role_arn, external_id and the session name');
}

/**
 * STS AssumeRole (POST form, SigV4 for service `sts`) with the base credentials; returns the temporary credentials,
 * which are added to the scrubber before anything else can print them.
 */
export async function assumeRole(
  ctx: AdapterContext,
  call: { stsUrl: string; region: string; base: AwsCredentials; baseSource: string; role: AssumeRoleStep },
): Promise<AwsCredentials> {
  const form = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: call.role.roleArn,
    RoleSessionName: call.role.sessionName,
    DurationSeconds: String(SESSION_SECONDS),
    ...(call.role.externalId ? { ExternalId: call.role.externalId } : {}),
  });
  const url = `${call.stsUrl.replace(/\/+$/, '')}/`;
  const body = form.toString();
  const headers = signRequest(
    {
      method: 'POST',
      url,
      service: 'sts',
      region: call.region,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'text/xml' },
      body,
    },
    call.base,
  );
  const response = await ctx.http.send({ method: 'POST', url, headers, body });
  if (response.status < 200 || response.status >= 300)
    throw stsFailure(ctx, response.status, response.text, response.path, call.role, call.baseSource);
  const credentials = parseAssumeRoleResponse(response.text);
  if (!credentials)
    throw invalidResponse(
      response.path,
      '<AssumeRoleResponse> with AssumeRoleResult/Credentials (AccessKeyId, SecretAccessKey, SessionToken, Expiration)',
      response.status,
    );
  ctx.scrubber.add(credentials.accessKeyId);
  ctx.scrubber.add(credentials.secretAccessKey);
  ctx.scrubber.add(credentials.sessionToken);
  return { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken };
}
