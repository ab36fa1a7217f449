/**
 * A fake AWS on 127.0.0.1: STS (`POST /`, AssumeRole) and Bedrock (`GET /foundation-models`, `POST /model/{id}/converse`)
 * on one server, answering as the real services do (docs/providers.md, "Bedrock specifics"): SigV4 recomputed with
 * aws4 for the service and region in the credential scope, XML from STS, JSON plus `x-amzn-ErrorType` from Bedrock.
 *
 *   const aws = await startFakeAws({ roles: [{ arn: ROLE, externalId: 'ext-1' }] });
 *   target.baseUrl = aws.url;                      // Bedrock
 *   target.env = { AWS_ENDPOINT_URL_STS: aws.url }; // STS (or the sts_endpoint setting)
 *   aws.requests / aws.issued                       // what was asked, which role sessions were handed out
 *
 * By default only role sessions may call Bedrock (long-term keys get AccessDeniedException), so a passing check
 * proves the role was assumed; `bedrockForLongTerm: true` lets long-term keys list models too.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import type { RecordedRequest } from './providers.js';

export const FAKE_ACCOUNT = '123456789012';

export interface FakeAwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (e.g. exported by `aws sts get-session-token`) are valid only with their session token. */
  sessionToken?: string;
  /** The IAM user named in AccessDenied messages. */
  user?: string;
}

export interface FakeAwsRole {
  arn: string;
  /** When set, AssumeRole must send exactly this ExternalId. */
  externalId?: string;
  /** Access key ids allowed to assume the role (default: every long-term identity and role session). */
  trusts?: string[];
}

export interface FakeBedrockModel {
  modelId: string;
  inputModalities: string[];
  outputModalities: string[];
  providerName?: string;
}

export interface FakeAwsOptions {
  /** The region requests must be signed for (default us-east-1). */
  region?: string;
  /** Long-term credentials STS (and, with bedrockForLongTerm, Bedrock) accepts. */
  identities?: FakeAwsIdentity[];
  roles?: FakeAwsRole[];
  bedrockForLongTerm?: boolean;
  /** Bedrock API keys accepted as Bearer. */
  apiKeys?: string[];
  /** Access key ids of long-term identities that may not call Bedrock even with bedrockForLongTerm. */
  deniedKeys?: string[];
  models?: FakeBedrockModel[];
}

export interface IssuedSession {
  roleArn: string;
  sessionName: string;
  externalId: string | null;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface FakeAws {
  url: string;
  port: number;
  region: string;
  requests: RecordedRequest[];
  /** Role sessions handed out by AssumeRole, in order. */
  issued: IssuedSession[];
  close(): Promise<void>;
}

export const FAKE_AWS_USER: FakeAwsIdentity = {
  accessKeyId: 'AKIAFAKEUSER00000001',
  secretAccessKey: 'fakeUserSecret/ZyXwVuTsRqPoNmLkJiHgFeDcBaQ',
  user: 'probe-user',
};

/** Every output modality ListFoundationModels reports (docs/providers.md). */
export const FAKE_BEDROCK_MODELS: FakeBedrockModel[] = [
  { modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', inputModalities: ['TEXT', 'IMAGE'], outputModalities: ['TEXT'] },
  { modelId: 'amazon.titan-embed-text-v2:0', inputModalities: ['TEXT'], outputModalities: ['EMBEDDING'] },
  { modelId: 'amazon.titan-image-generator-v2:0', inputModalities: ['TEXT', 'IMAGE'], outputModalities: ['IMAGE'] },
  { modelId: 'amazon.nova-reel-v1:0', inputModalities: ['TEXT', 'IMAGE'], outputModalities: ['VIDEO'] },
  { modelId: 'amazon.nova-sonic-v1:0', inputModalities: ['SPEECH'], outputModalities: ['SPEECH', 'TEXT'] },
  { modelId: 'cohere.rerank-v3-5:0', inputModalities: ['TEXT'], outputModalities: ['TEXT'] },
];

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function stsError(status: number, code: string, message: string, type = 'Sender'): Reply {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="${STS_NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>${randomBytes(8).toString('hex')}</RequestId>\n</ErrorResponse>\n`,
  };
}

function bedrockError(status: number, type: string, body: Record<string, string>): Reply {
  return {
    status,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
  };
}

function upperAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Signer {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  user: string;
  /** A role session (from AssumeRole) rather than a long-term identity. */
  session: boolean;
}

type SignatureCheck = { ok: true; signer: Signer } | { ok: false; problem: 'missing' | 'unknown' | 'signature' | 'scope' };

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const region = options.region ?? 'us-east-1';
  const identities = options.identities ?? [FAKE_AWS_USER];
  const roles = options.roles ?? [];
  const apiKeys = new Set(options.apiKeys ?? []);
  const denied = new Set(options.deniedKeys ?? []);
  const models = options.models ?? FAKE_BEDROCK_MODELS;
  const requests: RecordedRequest[] = [];
  const issued: IssuedSession[] = [];

  /** Recomputes the SigV4 signature over the headers the client says it signed, for the expected service. */
  const checkSignature = (req: IncomingMessage, body: string, service: string): SignatureCheck => {
    const header = req.headers.authorization ?? '';
    if (!header) return { ok: false, problem: 'missing' };
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        header,
      );
    if (!match) return { ok: false, problem: 'signature' };
    const [, accessKeyId, , signedRegion, signedService, signedHeaders] = match;
    const identity = identities.find((i) => i.accessKeyId === accessKeyId);
    const session = issued.find((s) => s.accessKeyId === accessKeyId);
    let signer: Signer;
    if (identity) {
      if (identity.sessionToken !== undefined && req.headers['x-amz-security-token'] !== identity.sessionToken)
        return { ok: false, problem: 'unknown' };
      signer = { ...identity, user: identity.user ?? 'fake-user', session: false };
    } else if (session) {
      // A role session's keys are only valid together with its session token.
      if (req.headers['x-amz-security-token'] !== session.sessionToken) return { ok: false, problem: 'unknown' };
      signer = {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        user: `assumed-role/${session.roleArn.split('/').pop()}/${session.sessionName}`,
        session: true,
      };
    } else return { ok: false, problem: 'unknown' };
    if (signedRegion !== region || signedService !== service) return { ok: false, problem: 'scope' };
    const headers: Record<string, string> = {};
    for (const name of (signedHeaders ?? '').split(';')) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const expected = aws4.sign(
      { host: req.headers.host, path: req.url, method: req.method, service, region, headers, ...(body ? { body } : {}) },
      {
        accessKeyId: signer.accessKeyId,
        secretAccessKey: signer.secretAccessKey,
        ...(signer.sessionToken ? { sessionToken: signer.sessionToken } : {}),
      },
    );
    return expected.headers?.Authorization === header ? { ok: true, signer } : { ok: false, problem: 'signature' };
  };

  const sts = (req: IncomingMessage, body: string): Reply => {
    const check = checkSignature(req, body, 'sts');
    if (!check.ok) {
      if (check.problem === 'missing') return stsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
      if (check.problem === 'unknown')
        return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      if (check.problem === 'scope')
        return stsError(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region and service 'sts'.`);
      return stsError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'AssumeRole' || form.get('Version') !== '2011-06-15')
      return stsError(
        400,
        'InvalidAction',
        `Could not find operation ${form.get('Action') ?? ''} for version ${form.get('Version') ?? ''}`,
      );
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    if (!sessionName)
      return stsError(
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
      );
    const duration = Number(form.get('DurationSeconds') ?? 3600);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200)
      return stsError(
        400,
        'ValidationError',
        `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint`,
      );
    const role = roles.find((r) => r.arn === roleArn);
    const externalId = form.get('ExternalId');
    const trusted = role && (!role.trusts || role.trusts.includes(check.signer.accessKeyId));
    const externalOk = role && (role.externalId === undefined || role.externalId === externalId);
    if (!role || !trusted || !externalOk) {
      const caller = check.signer.session
        ? `arn:aws:sts::${FAKE_ACCOUNT}:${check.signer.user}`
        : `arn:aws:iam::${FAKE_ACCOUNT}:user/${check.signer.user}`;
      return stsError(403, 'AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    const session: IssuedSession = {
      roleArn,
      sessionName,
      externalId,
      accessKeyId: `ASIA${upperAlnum(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `FwoGZXIvYXdzE${randomBytes(96).toString('base64')}`,
    };
    issued.push(session);
    const expiration = new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const roleName = roleArn.split('/').pop() ?? 'role';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      // The session token sits on its own indented line: parsers must not keep that whitespace.
      body: `<AssumeRoleResponse xmlns="${STS_NS}">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::${FAKE_ACCOUNT}:assumed-role/${roleName}/${sessionName}</Arn>
      <AssumedRoleId>AROA${upperAlnum(17)}:${sessionName}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${session.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${session.secretAccessKey}</SecretAccessKey>
      <SessionToken>
        ${session.sessionToken}
      </SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${randomBytes(8).toString('hex')}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`,
    };
  };

  /** null when the caller may use Bedrock; else Bedrock's own refusal. */
  const bedrockAuth = (req: IncomingMessage, body: string, action: string): Reply | null => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined) {
      return apiKeys.has(bearer)
        ? null
        : bedrockError(403, 'AccessDeniedException', { Message: 'Authentication failed: Please make sure your API Key is valid.' });
    }
    const check = checkSignature(req, body, 'bedrock');
    if (!check.ok) {
      if (check.problem === 'missing')
        return bedrockError(403, 'MissingAuthenticationTokenException', { message: 'Missing Authentication Token' });
      if (check.problem === 'unknown')
        return bedrockError(403, 'UnrecognizedClientException', { message: 'The security token included in the request is invalid.' });
      return bedrockError(403, 'InvalidSignatureException', {
        message:
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      });
    }
    const allowed = check.signer.session || (options.bedrockForLongTerm === true && !denied.has(check.signer.accessKeyId));
    if (!allowed) {
      return bedrockError(403, 'AccessDeniedException', {
        Message: `User: arn:aws:iam::${FAKE_ACCOUNT}:user/${check.signer.user} is not authorized to perform: bedrock:${action} because no identity-based policy allows the bedrock:${action} action`,
      });
    }
    return null;
  };

  const summary = (m: FakeBedrockModel) => ({
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${m.modelId}`,
    modelId: m.modelId,
    modelName: m.modelId.split('.')[1] ?? m.modelId,
    providerName: m.providerName ?? (m.modelId.split('.')[0] === 'amazon' ? 'Amazon' : (m.modelId.split('.')[0] ?? '')),
    inputModalities: m.inputModalities,
    outputModalities: m.outputModalities,
    responseStreamingSupported: m.outputModalities.includes('TEXT'),
    customizationsSupported: [],
    inferenceTypesSupported: ['ON_DEMAND'],
    modelLifecycle: { status: 'ACTIVE' },
  });

  const route = (req: IncomingMessage, path: string, query: URLSearchParams, body: string): Reply => {
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/') return sts(req, body);
    if (method === 'GET' && path === '/foundation-models') {
      const refused = bedrockAuth(req, body, 'ListFoundationModels');
      if (refused) return refused;
      const modality = query.get('byOutputModality');
      const listed = models.filter((m) => !modality || m.outputModalities.includes(modality));
      return {
        status: 200,
        body: JSON.stringify({ modelSummaries: listed.map(summary) }),
        headers: { 'content-type': 'application/json' },
      };
    }
    const converse = /^\/model\/([^/]+)\/converse$/.exec(path);
    if (method === 'POST' && converse) {
      const refused = bedrockAuth(req, body, 'InvokeModel');
      if (refused) return refused;
      const id = decodeURIComponent(converse[1] ?? '');
      const model = models.find((m) => m.modelId === id);
      if (!model) return bedrockError(400, 'ValidationException', { message: 'The provided model identifier is invalid.' });
      if (!model.outputModalities.includes('TEXT') || /rerank/.test(id))
        return bedrockError(400, 'ValidationException', {
          message: "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
        });
      let parsed: { inferenceConfig?: { maxTokens?: unknown } } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return bedrockError(400, 'SerializationException', { message: 'Unexpected token' });
      }
      if (parsed.inferenceConfig?.maxTokens !== 1)
        return bedrockError(400, 'ValidationException', { message: 'expected a one-token test (inferenceConfig.maxTokens = 1)' });
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text: 'Hi' }] } },
          stopReason: 'max_tokens',
          usage: { inputTokens: 8, outputTokens: 1, totalTokens: 9 },
          metrics: { latencyMs: 12 },
        }),
      };
    }
    return bedrockError(404, 'UnknownOperationException', { message: 'Unknown operation' });
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const parsed = new URL(req.url ?? '/', 'http://fake');
    requests.push({
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: req.headers,
      body,
    });
    let reply: Reply;
    try {
      reply = route(req, parsed.pathname, parsed.searchParams, body);
    } catch (error) {
      reply = { status: 500, body: JSON.stringify({ message: `fake aws bug: ${String(error)}` }) };
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body);
  };

  const server = createServer((q, s) => void handler(q, s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region,
    requests,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
