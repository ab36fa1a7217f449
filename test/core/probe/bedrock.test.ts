import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProbeEngine } from '../../../src-main/core/probe/engine.js';
import type { ClosableProbeEngine, ProbeTarget } from '../../../src-main/core/probe/types.js';
import { FAKE_ACCOUNT, FAKE_AWS_USER, startFakeAws, type FakeAws, type FakeAwsOptions } from '../../fakes/aws.js';
import { key, target } from './helpers.js';

const ROLE = `arn:aws:iam::${FAKE_ACCOUNT}:role/bedrock-reader`;
const OTHER_ROLE = `arn:aws:iam::${FAKE_ACCOUNT}:role/not-trusting-you`;
const USER_KEYS = { access_key: FAKE_AWS_USER.accessKeyId, access_key_secret: FAKE_AWS_USER.secretAccessKey };

let engine: ClosableProbeEngine;
/** Every name resolves to loopback, so AWS host names (China, FIPS) reach the fake while the request keeps its Host. */
let routedEngine: ClosableProbeEngine;
let home: string;
const fakes: FakeAws[] = [];

beforeAll(() => {
  engine = createProbeEngine();
  routedEngine = createProbeEngine({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
  // An empty home: no ~/.aws of the machine running the tests can leak in.
  home = mkdtempSync(join(tmpdir(), 'pd-aws-home-'));
});
afterAll(async () => {
  await engine.close();
  await routedEngine.close();
  rmSync(home, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const started = await startFakeAws(options);
  fakes.push(started);
  return started;
}

/** A Bedrock provider pointed at the fake (Bedrock at the base URL, STS through AWS_ENDPOINT_URL_STS). */
function bedrock(aws: FakeAws, settings: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): ProbeTarget {
  return target('bedrock', aws.url, {
    settings: { region: aws.region, ...settings },
    env: { HOME: home, AWS_ENDPOINT_URL_STS: aws.url, ...env },
  });
}

function credentialOf(request: { headers: Record<string, unknown> } | undefined): string {
  return /Credential=([^/]+)\//.exec(String(request?.headers.authorization ?? ''))?.[1] ?? '';
}

function sharedFiles(files: { credentials?: string; config?: string }): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'pd-aws-files-'));
  const env: NodeJS.ProcessEnv = {};
  if (files.credentials !== undefined) {
    env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, files.credentials, { mode: 0o600 });
  }
  if (files.config !== undefined) {
    env.AWS_CONFIG_FILE = join(dir, 'config');
    writeFileSync(env.AWS_CONFIG_FILE, files.config, { mode: 0o600 });
  }
  return { dir, env };
}

describe('bedrock: AssumeRole with role_arn', () => {
  it('assumes the role through STS and signs Bedrock calls with the temporary credentials', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE, externalId: 'ext-4242' }] });
    const settings = { ...USER_KEYS, role_arn: ROLE, external_id: 'ext-4242', session_name: 'desk-check' };
    const { result, models } = await engine.checkKey(bedrock(aws, settings), key(null));
    expect(result).toMatchObject({ ok: true, error_class: null });

    const [assume, list] = aws.requests;
    expect(assume).toMatchObject({ method: 'POST', path: '/' });
    expect(Object.fromEntries(new URLSearchParams(assume?.body))).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: ROLE,
      RoleSessionName: 'desk-check',
      ExternalId: 'ext-4242',
      DurationSeconds: '900',
    });
    expect(String(assume?.headers.authorization)).toContain(`Credential=${FAKE_AWS_USER.accessKeyId}/`);
    expect(String(assume?.headers.authorization)).toMatch(/\/us-east-1\/sts\/aws4_request/);

    const session = aws.issued[0];
    expect(aws.issued).toHaveLength(1);
    expect(list?.path).toBe('/foundation-models');
    expect(credentialOf(list)).toBe(session?.accessKeyId);
    expect(list?.headers['x-amz-security-token']).toBe(session?.sessionToken);
    expect(models?.length).toBe(6);
    // Nothing the check resolved is shown.
    for (const secret of [session?.secretAccessKey, session?.sessionToken, FAKE_AWS_USER.secretAccessKey])
      expect(result.message).not.toContain(secret);
  });

  it('the same keys without the role are refused by Bedrock (AccessDeniedException → forbidden, not auth_failed)', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE }] });
    const { result } = await engine.checkKey(bedrock(aws, USER_KEYS), key(null));
    expect(result).toMatchObject({ ok: false, error_class: 'forbidden', http_status: 403 });
    expect(result.message).toContain('AccessDeniedException');
    expect(result.hint).toContain('bedrock:ListFoundationModels');
  });

  it('a role STS refuses → forbidden, naming the role; Bedrock is never called', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE }] });
    const { result, models } = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: OTHER_ROLE }), key(null));
    expect(result).toMatchObject({ ok: false, error_class: 'forbidden', http_status: 403 });
    expect(result.message).toContain(OTHER_ROLE);
    expect(result.message).toContain('AccessDenied');
    expect(result.hint).toContain('sts:AssumeRole');
    expect(models).toBeNull();
    expect(aws.requests.map((r) => r.path)).toEqual(['/']);
  });

  it('a wrong external ID is refused too, and the hint says to check it', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE, externalId: 'the-right-one' }] });
    const { result } = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: ROLE, external_id: 'a-wrong-one' }), key(null));
    expect(result).toMatchObject({ ok: false, error_class: 'forbidden' });
    expect(result.message).toContain(ROLE);
    expect(result.hint).toContain('external ID');
  });

  it('base credentials STS does not know → auth_failed, without the secret in the message', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE }] });
    const wrong = { access_key: 'AKIAUNKNOWNUSER00009', access_key_secret: 'notTheRightSecret/zzzzzzzzzzzzzzzzzzzzzzzz' };
    const { result } = await engine.checkKey(bedrock(aws, { ...wrong, role_arn: ROLE }), key(null));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 403 });
    expect(result.message).toContain('InvalidClientTokenId');
    expect(result.message).not.toContain('notTheRightSecret');
    expect(aws.issued).toHaveLength(0);
  });

  it('a role_arn that is not an IAM role ARN, a role with only an API key, or an STS endpoint that is not a URL is refused before anything is sent', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE }], apiKeys: ['bedrock-api-key-1'] });
    const malformed = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: 'bedrock-reader' }), key(null));
    expect(malformed.result).toMatchObject({ ok: false, error_class: 'missing_credentials' });
    expect(malformed.result.message).toContain('"bedrock-reader" is not an IAM role ARN');
    const apiKeyOnly = await engine.checkKey(bedrock(aws, { role_arn: ROLE }), key('bedrock-api-key-1'));
    expect(apiKeyOnly.result).toMatchObject({ ok: false, error_class: 'missing_credentials' });
    expect(apiKeyOnly.result.hint).toContain('a Bedrock API key cannot assume a role');
    const badSts = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: ROLE, sts_endpoint: 'sts.example' }), key(null));
    expect(badSts.result).toMatchObject({ ok: false, error_class: 'not_found' });
    expect(badSts.result.message).toContain('the sts_endpoint setting (sts.example) is not an http(s) URL');
    expect(aws.requests).toHaveLength(0);
  });
});

describe('bedrock: the standard credential chain', () => {
  it('uses AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the given environment', async () => {
    const temporary = {
      accessKeyId: 'ASIAENVSESSION000001',
      secretAccessKey: 'envSessionSecret/QwErTyUiOpAsDfGhJkLz',
      sessionToken: 'env-session-token-0001',
    };
    const aws = await fakeAws({ identities: [temporary], bedrockForLongTerm: true });
    const env = {
      AWS_ACCESS_KEY_ID: temporary.accessKeyId,
      AWS_SECRET_ACCESS_KEY: temporary.secretAccessKey,
      AWS_SESSION_TOKEN: temporary.sessionToken,
    };
    const { result } = await engine.checkKey(bedrock(aws, {}, env), key(null));
    expect(result.ok).toBe(true);
    expect(credentialOf(aws.requests[0])).toBe(temporary.accessKeyId);
    expect(aws.requests[0]?.headers['x-amz-security-token']).toBe('env-session-token-0001');

    // Without the session token the temporary keys are not valid: auth_failed, not forbidden.
    const partial = await engine.checkKey(bedrock(aws, {}, { ...env, AWS_SESSION_TOKEN: undefined }), key(null));
    expect(partial.result).toMatchObject({ ok: false, error_class: 'auth_failed' });
    expect(partial.result.message).toContain('UnrecognizedClientException');
  });

  it('access keys on the provider win over the environment', async () => {
    const aws = await fakeAws({ bedrockForLongTerm: true });
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENVNOTUSED000001', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) };
    const { result } = await engine.checkKey(bedrock(aws, USER_KEYS, env), key(null));
    expect(result.ok).toBe(true);
    expect(credentialOf(aws.requests[0])).toBe(FAKE_AWS_USER.accessKeyId);
  });

  it('reads the AWS_PROFILE profile from AWS_SHARED_CREDENTIALS_FILE', async () => {
    const aws = await fakeAws({ bedrockForLongTerm: true });
    const { dir, env } = sharedFiles({
      credentials: `[default]\naws_access_key_id = AKIADEFAULTNOTUSED01\naws_secret_access_key = ${'d'.repeat(40)}\n\n# the team profile\n[team]\naws_access_key_id = ${FAKE_AWS_USER.accessKeyId}\naws_secret_access_key = ${FAKE_AWS_USER.secretAccessKey}\n`,
    });
    try {
      const { result } = await engine.checkKey(bedrock(aws, {}, { ...env, AWS_PROFILE: 'team' }), key(null));
      expect(result.ok).toBe(true);
      expect(credentialOf(aws.requests[0])).toBe(FAKE_AWS_USER.accessKeyId);
      expect(result.message).not.toContain(FAKE_AWS_USER.secretAccessKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a config-file profile with role_arn + source_profile assumes the role with the source profile’s keys (and takes its region)', async () => {
    const aws = await fakeAws({
      region: 'eu-west-2',
      roles: [{ arn: ROLE, externalId: 'profile-ext', trusts: [FAKE_AWS_USER.accessKeyId] }],
    });
    const { dir, env } = sharedFiles({
      credentials: `[base]\naws_access_key_id = ${FAKE_AWS_USER.accessKeyId}\naws_secret_access_key = ${FAKE_AWS_USER.secretAccessKey}\n`,
      config: `[default]\nregion = us-west-2\n\n[profile deploy]\nrole_arn = ${ROLE}\nsource_profile = base\nexternal_id = profile-ext\nrole_session_name = from-profile\nregion = eu-west-2\ns3 =\n  max_concurrent_requests = 20\n`,
    });
    try {
      const t = target('bedrock', aws.url, {
        settings: { profile: 'deploy' },
        env: { HOME: home, AWS_ENDPOINT_URL_STS: aws.url, AWS_PROFILE: 'default', ...env },
      });
      const { result, models } = await engine.checkKey(t, key(null));
      expect(result).toMatchObject({ ok: true });
      expect(models?.length).toBe(6);
      expect(aws.issued).toMatchObject([{ roleArn: ROLE, sessionName: 'from-profile', externalId: 'profile-ext' }]);
      expect(String(aws.requests[0]?.headers.authorization)).toMatch(/\/eu-west-2\/sts\/aws4_request/);
      expect(credentialOf(aws.requests[1])).toBe(aws.issued[0]?.accessKeyId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no credentials anywhere → missing_credentials that says where it looked; nothing is sent', async () => {
    const aws = await fakeAws({ bedrockForLongTerm: true });
    const none = await engine.checkKey(bedrock(aws, {}), key(null));
    expect(none.result).toMatchObject({ ok: false, error_class: 'missing_credentials' });
    expect(none.result.hint).toContain('AWS_ACCESS_KEY_ID');
    expect(none.result.hint).toContain('AWS_PROFILE');
    const unknownProfile = await engine.checkKey(bedrock(aws, {}, { AWS_PROFILE: 'nope' }), key(null));
    expect(unknownProfile.result).toMatchObject({ ok: false, error_class: 'missing_credentials' });
    expect(unknownProfile.result.message).toContain('profile "nope"');
    expect(unknownProfile.result.message).toContain(join(home, '.aws', 'credentials'));
    const half = await engine.checkKey(bedrock(aws, {}, { AWS_ACCESS_KEY_ID: 'AKIAHALFSET000000001' }), key(null));
    expect(half.result.message).toContain('AWS_SECRET_ACCESS_KEY');
    expect(aws.requests).toHaveLength(0);
  });
});

describe('bedrock: listing, errors and the deep test', () => {
  it('lists every output modality (no byOutputModality filter) and maps them to capabilities', async () => {
    const aws = await fakeAws({ bedrockForLongTerm: true });
    const { models } = await engine.checkKey(bedrock(aws, USER_KEYS), key(null));
    expect(aws.requests[0]?.query).toEqual({});
    const caps = Object.fromEntries((models ?? []).map((m) => [m.id, m.capabilities]));
    expect(caps).toEqual({
      'anthropic.claude-3-5-sonnet-20240620-v1:0': ['chat', 'vision'],
      'amazon.titan-embed-text-v2:0': ['embedding'],
      'amazon.titan-image-generator-v2:0': ['vision', 'image'],
      'amazon.nova-reel-v1:0': ['vision', 'image'],
      'amazon.nova-sonic-v1:0': ['chat', 'audio'],
      'cohere.rerank-v3-5:0': ['rerank'],
    });
  });

  it('a wrong Bedrock API key is auth_failed, a wrong secret auth_failed, a denied identity forbidden', async () => {
    const aws = await fakeAws({ apiKeys: ['bedrock-api-key-1'], bedrockForLongTerm: true, deniedKeys: [FAKE_AWS_USER.accessKeyId] });
    const good = await engine.checkKey(bedrock(aws, {}), key('bedrock-api-key-1'));
    expect(good.result.ok).toBe(true);
    expect(aws.requests[0]?.headers.authorization).toBe('Bearer bedrock-api-key-1');
    const badKey = await engine.checkKey(bedrock(aws, {}), key('bedrock-api-key-2'));
    expect(badKey.result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 403 });
    expect(badKey.result.message).toContain('Authentication failed');
    const badSecret = await engine.checkKey(bedrock(aws, { ...USER_KEYS, access_key_secret: 'WRONGsecretWRONGsecret1234' }), key(null));
    expect(badSecret.result).toMatchObject({ ok: false, error_class: 'auth_failed' });
    expect(badSecret.result.message).toContain('InvalidSignatureException');
    const denied = await engine.checkKey(bedrock(aws, USER_KEYS), key(null));
    expect(denied.result).toMatchObject({ ok: false, error_class: 'forbidden' });
  });

  it('deep test: a one-token Converse on the runtime with the role session', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE }] });
    const model = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
    const { result } = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: ROLE }), key(null), { deep: true, model });
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(result.message).toContain(`${model} answered a one-token request`);
    const converse = aws.requests.at(-1);
    expect(converse?.path).toBe(`/model/${encodeURIComponent(model)}/converse`);
    expect(JSON.parse(converse?.body ?? '{}')).toMatchObject({ inferenceConfig: { maxTokens: 1 } });
    // One role session for the listing and the deep test.
    expect(aws.issued).toHaveLength(1);
    expect(credentialOf(converse)).toBe(aws.issued[0]?.accessKeyId);
  });

  it('a deep test Bedrock cannot perform (an embedding model) does not fail the key', async () => {
    const aws = await fakeAws({ roles: [{ arn: ROLE }] });
    const { result, models } = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: ROLE }), key(null), {
      deep: true,
      model: 'amazon.titan-embed-text-v2:0',
    });
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(result.message).toContain('deep test not possible for amazon.titan-embed-text-v2:0');
    expect(result.message).toContain('only the listing was checked');
    expect(models).toHaveLength(6);
    // A model the account does not have is still a failed deep test.
    const unknown = await engine.checkKey(bedrock(aws, { ...USER_KEYS, role_arn: ROLE }), key(null), {
      deep: true,
      model: 'no.such-model',
    });
    expect(unknown.result.ok).toBe(false);
  });
});

describe('bedrock: partitions and endpoints', () => {
  it('a .amazonaws.com.cn base URL stays in China: control plane on bedrock.cn-north-1.amazonaws.com.cn, signed for cn-north-1', async () => {
    const aws = await fakeAws({ region: 'cn-north-1', bedrockForLongTerm: true });
    const base = `http://bedrock-runtime.cn-north-1.amazonaws.com.cn:${aws.port}`;
    const t = target('bedrock', base, { settings: USER_KEYS, env: { HOME: home } });
    const { result } = await routedEngine.checkKey(t, key(null));
    expect(result.ok).toBe(true);
    expect(aws.requests[0]?.headers.host).toBe(`bedrock.cn-north-1.amazonaws.com.cn:${aws.port}`);
    expect(String(aws.requests[0]?.headers.authorization)).toMatch(/\/cn-north-1\/bedrock\/aws4_request/);
  });

  it('use_fips sends the control plane to bedrock-fips.{region}', async () => {
    const aws = await fakeAws({ region: 'us-west-2', bedrockForLongTerm: true });
    const base = `http://bedrock-runtime.us-west-2.amazonaws.com:${aws.port}`;
    const t = target('bedrock', base, { settings: { ...USER_KEYS, use_fips: 'true' }, env: { HOME: home } });
    const { result } = await routedEngine.checkKey(t, key(null));
    expect(result.ok).toBe(true);
    expect(aws.requests[0]?.headers.host).toBe(`bedrock-fips.us-west-2.amazonaws.com:${aws.port}`);
  });

  it('a GovCloud base URL keeps its region for signing and STS', async () => {
    const aws = await fakeAws({ region: 'us-gov-west-1', roles: [{ arn: `arn:aws-us-gov:iam::${FAKE_ACCOUNT}:role/gov` }] });
    const base = `http://bedrock.us-gov-west-1.amazonaws.com:${aws.port}`;
    const t = target('bedrock', base, {
      settings: { ...USER_KEYS, role_arn: `arn:aws-us-gov:iam::${FAKE_ACCOUNT}:role/gov`, sts_endpoint: aws.url },
      env: { HOME: home },
    });
    const { result } = await routedEngine.checkKey(t, key(null));
    expect(result.ok).toBe(true);
    expect(String(aws.requests[0]?.headers.authorization)).toMatch(/\/us-gov-west-1\/sts\/aws4_request/);
    expect(aws.requests[1]?.headers.host).toBe(`bedrock.us-gov-west-1.amazonaws.com:${aws.port}`);
  });
});
