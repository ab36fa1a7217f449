import { describe, expect, it } from 'vitest';
import { planCredentials } from '../../../src-main/core/probe/aws/credentials.js';
import { bedrockEndpoints } from '../../../src-main/core/probe/aws/endpoints.js';
import { parseIni } from '../../../src-main/core/probe/aws/shared-files.js';
import { parseAssumeRoleResponse, parseStsError } from '../../../src-main/core/probe/aws/sts.js';
import { ProbeError } from '../../../src-main/core/probe/errors.js';

describe('bedrock endpoints per partition', () => {
  const none = { baseUrl: '', region: undefined, useFips: false };

  it('builds commercial, China, GovCloud and FIPS hosts from the region', () => {
    expect(bedrockEndpoints({ ...none, region: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      controlPlane: 'https://bedrock.eu-west-1.amazonaws.com',
      runtime: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
      sts: 'https://sts.eu-west-1.amazonaws.com',
    });
    expect(bedrockEndpoints({ ...none, region: 'cn-north-1' })).toMatchObject({
      controlPlane: 'https://bedrock.cn-north-1.amazonaws.com.cn',
      sts: 'https://sts.cn-north-1.amazonaws.com.cn',
    });
    expect(bedrockEndpoints({ ...none, region: 'us-east-1', useFips: true })).toMatchObject({
      controlPlane: 'https://bedrock-fips.us-east-1.amazonaws.com',
      runtime: 'https://bedrock-runtime-fips.us-east-1.amazonaws.com',
      sts: 'https://sts-fips.us-east-1.amazonaws.com',
    });
    // GovCloud's STS is FIPS under its plain name; its Bedrock has a -fips host.
    expect(bedrockEndpoints({ ...none, region: 'us-gov-west-1', useFips: true })).toMatchObject({
      controlPlane: 'https://bedrock-fips.us-gov-west-1.amazonaws.com',
      sts: 'https://sts.us-gov-west-1.amazonaws.com',
    });
    expect(bedrockEndpoints(none).region).toBe('us-east-1');
  });

  it('keeps the partition, region, scheme and port of an AWS base URL (a .amazonaws.com.cn URL is never moved out of China)', () => {
    expect(bedrockEndpoints({ ...none, baseUrl: 'https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn/', region: 'us-east-1' })).toEqual(
      {
        region: 'cn-northwest-1',
        controlPlane: 'https://bedrock.cn-northwest-1.amazonaws.com.cn',
        runtime: 'https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn',
        sts: 'https://sts.cn-northwest-1.amazonaws.com.cn',
      },
    );
    expect(bedrockEndpoints({ ...none, baseUrl: 'https://bedrock-fips.us-gov-west-1.amazonaws.com' })).toMatchObject({
      region: 'us-gov-west-1',
      controlPlane: 'https://bedrock-fips.us-gov-west-1.amazonaws.com',
      runtime: 'https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com',
    });
  });

  it('uses any other base URL as given, taking the region from settings or a VPC endpoint name', () => {
    const vpce = 'https://vpce-0abc-xyz.bedrock.eu-central-1.vpce.amazonaws.com';
    expect(bedrockEndpoints({ ...none, baseUrl: vpce })).toMatchObject({ region: 'eu-central-1', controlPlane: vpce, runtime: vpce });
    expect(bedrockEndpoints({ ...none, baseUrl: 'http://127.0.0.1:9000/', region: 'ap-south-1' })).toMatchObject({
      region: 'ap-south-1',
      controlPlane: 'http://127.0.0.1:9000',
    });
    expect(
      bedrockEndpoints({ ...none, region: 'eu-west-1', stsEndpoint: 'http://127.0.0.1:9/', bedrockEndpoint: 'http://127.0.0.1:8' }),
    ).toMatchObject({
      controlPlane: 'http://127.0.0.1:8',
      sts: 'http://127.0.0.1:9',
    });
  });
});

describe('STS answers', () => {
  const answer = (credentials: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n<AssumeRoleResult>\n<SourceIdentity>Alice</SourceIdentity>\n<Credentials>${credentials}</Credentials>\n</AssumeRoleResult>\n</AssumeRoleResponse>`;

  it('extracts the four credential fields, dropping whitespace in the token and decoding entities', () => {
    const parsed = parseAssumeRoleResponse(
      answer(
        '<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJal/K7MDENG&#43;bPxRfiCY</SecretAccessKey>\n<SessionToken>\n  AQoDYXdzEPT//////////wEXAMPLE\n  tCTVnnJ7&amp;x\n</SessionToken><Expiration>2019-11-09T13:34:41Z</Expiration>',
      ),
    );
    expect(parsed).toEqual({
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJal/K7MDENG+bPxRfiCY',
      sessionToken: 'AQoDYXdzEPT//////////wEXAMPLEtCTVnnJ7&x',
      expiration: '2019-11-09T13:34:41Z',
    });
  });

  it('refuses anything that is not exactly that shape', () => {
    const fields = '<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2019-11-09T13:34:41Z</Expiration>';
    expect(parseAssumeRoleResponse(answer(`<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>${fields}`))).not.toBeNull();
    expect(parseAssumeRoleResponse(answer(fields))).toBeNull();
    expect(parseAssumeRoleResponse(answer(`<AccessKeyId>not an id</AccessKeyId>${fields}`))).toBeNull();
    expect(
      parseAssumeRoleResponse(
        answer(`<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><AccessKeyId>ASIAIOSFODNN7EXAMPL2</AccessKeyId>${fields}`),
      ),
    ).toBeNull();
    expect(
      parseAssumeRoleResponse(
        answer(`<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>${fields.replace('2019-11-09T13:34:41Z', 'tomorrow')}`),
      ),
    ).toBeNull();
    expect(parseAssumeRoleResponse('{"Credentials":{}}')).toBeNull();
    expect(parseAssumeRoleResponse('<GetCallerIdentityResponse><AssumeRoleResult/></GetCallerIdentityResponse>')).toBeNull();
  });

  it('reads the code and message of an ErrorResponse', () => {
    expect(
      parseStsError(
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: a &amp; b is not authorized</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      ),
    ).toEqual({ code: 'AccessDenied', message: 'User: a & b is not authorized' });
    expect(parseStsError('<html>502 Bad Gateway</html>')).toBeNull();
  });
});

describe('shared credentials and config files', () => {
  it('parses sections, comments and nested settings', () => {
    const parsed = parseIni(
      '# comment\n[default]\nregion = us-west-2\n; another\n[profile  dev ]  # trailing\naws_access_key_id=AKIA1\nAWS_Secret_Access_Key = s=e=c\ns3 =\n  max_concurrent_requests = 20\nrole_arn = r\n',
    );
    expect(Object.fromEntries(parsed)).toEqual({
      default: { region: 'us-west-2' },
      'profile dev': { aws_access_key_id: 'AKIA1', aws_secret_access_key: 's=e=c', role_arn: 'r' },
    });
  });
});

describe('credential chain order', () => {
  const env = { HOME: '/nonexistent/provider-desk-home' };

  it('explicit keys, then the API key, then the environment', async () => {
    const fromEnv = { ...env, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret' };
    expect((await planCredentials({ accessKeyId: 'AKIAX', secretAccessKey: 'sx', apiKey: 'k', env: fromEnv })).plan).toMatchObject({
      kind: 'static',
      credentials: { accessKeyId: 'AKIAX' },
    });
    expect((await planCredentials({ apiKey: 'k', env: fromEnv })).plan).toMatchObject({ kind: 'bearer', token: 'k' });
    expect((await planCredentials({ env: fromEnv })).plan).toMatchObject({ kind: 'static', credentials: { accessKeyId: 'AKIAENV' } });
    expect((await planCredentials({ env: { ...env, AWS_BEARER_TOKEN_BEDROCK: 'envtoken' } })).plan).toMatchObject({ kind: 'bearer' });
  });

  it('a role is assumed with what the chain found; half-given keys are refused', async () => {
    const role = 'arn:aws:iam::123456789012:role/r';
    const planned = await planCredentials({ roleArn: role, env: { ...env, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's' } });
    expect(planned.plan).toMatchObject({
      kind: 'assume-role',
      role: { roleArn: role, sessionName: 'provider-desk' },
      base: { kind: 'static' },
    });
    await expect(planCredentials({ accessKeyId: 'AKIAX', env })).rejects.toThrow(ProbeError);
    await expect(planCredentials({ accessKeyId: 'AKIAX', env })).rejects.toThrow(/secret access key/);
  });
});
