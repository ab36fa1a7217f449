/**
 * The AWS SDK's Bedrock Runtime client (the real npm package) pointed at /proxy/bedrock, configured as the README
 * says: accessKeyId `pd`, the Provider Desk token as secretAccessKey, an HTTP/1.1 request handler. The gateway re-signs each request with the
 * provider's own AWS credentials (body hash included); the fake Bedrock recomputes every signature and refuses any
 * that does not match, so an answer proves the re-signing.
 */
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_AWS_USER, startFakeAws, type FakeAws } from '../fakes/aws.js';
import type { LlmUpstream } from '../fakes/llm-upstreams.js';
import { startGateway, usageOf, type Gateway } from './harness.js';

const PROVIDER_KEYS = {
  accessKeyId: 'AKIAGATEWAYTEST00001',
  secretAccessKey: 'gatewayTestSecret/0123456789abcdefghijkl',
  region: 'us-east-1',
};
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

let g: Gateway;
let bedrock: LlmUpstream;
let sts: FakeAws;

beforeAll(async () => {
  g = await startGateway();
  sts = await startFakeAws({ roles: [{ arn: 'arn:aws:iam::123456789012:role/bedrock-user' }] });
  bedrock = await g.upstream({
    dialect: 'bedrock',
    keys: [],
    aws: () => [PROVIDER_KEYS, ...sts.issued.map((s) => ({ ...s, region: 'us-east-1' }))],
  });
  g.provider({
    name: 'bedrock',
    type: 'bedrock',
    base_url: bedrock.url,
    settings: { region: 'us-east-1', access_key: PROVIDER_KEYS.accessKeyId, access_key_secret: PROVIDER_KEYS.secretAccessKey },
  });
  g.provider({
    name: 'bedrock-role',
    type: 'bedrock',
    base_url: bedrock.url,
    settings: {
      region: 'us-east-1',
      access_key: FAKE_AWS_USER.accessKeyId,
      access_key_secret: FAKE_AWS_USER.secretAccessKey,
      role_arn: 'arn:aws:iam::123456789012:role/bedrock-user',
      sts_endpoint: sts.url,
    },
  });
});
afterAll(async () => {
  await g?.close();
  await sts?.close();
});

function client(provider = 'bedrock'): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: g.proxy(provider),
    credentials: { accessKeyId: 'pd', secretAccessKey: g.token },
    // The Bedrock Runtime client speaks HTTP/2 by default; the loopback server speaks HTTP/1.1 (as the README says).
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
}

const messages = [{ role: 'user' as const, content: [{ text: 'hello' }] }];

describe('Bedrock through /proxy/bedrock with the AWS SDK', () => {
  it('answers Converse, re-signed with the provider’s credentials', async () => {
    const before = bedrock.requests.length;
    const answer = await client().send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(answer.output?.message?.content?.[0]?.text).toBe('w0 w1 w2 ');
    const seen = bedrock.requests[before]!;
    expect(seen.target).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(seen.headers.authorization).toContain(`Credential=${PROVIDER_KEYS.accessKeyId}/`);
    expect(JSON.stringify(seen.headers)).not.toContain(g.token);
    expect(JSON.parse(seen.body.toString())).toMatchObject({ messages });
  });

  it('streams ConverseStream events and counts the usage of its metadata event', async () => {
    const start = g.desk.usage.byProvider('bedrock').totals;
    const answer = await client().send(new ConverseStreamCommand({ modelId: MODEL, messages }));
    const texts: string[] = [];
    let metadata: unknown = null;
    for await (const event of answer.stream ?? []) {
      if (event.contentBlockDelta?.delta?.text) texts.push(event.contentBlockDelta.delta.text);
      if (event.metadata) metadata = event.metadata.usage;
    }
    expect(texts).toEqual(['w0 ', 'w1 ', 'w2 ']);
    expect(metadata).toMatchObject({ inputTokens: 12, outputTokens: 5 });
    const usage = await usageOf(g, 'bedrock', start.requests + 1);
    expect(usage.totals.input_tokens - start.input_tokens).toBe(12);
    expect(usage.totals.output_tokens - start.output_tokens).toBe(5);
  });

  it('passes an InvokeModel body byte for byte and counts the token headers', async () => {
    const start = g.desk.usage.byProvider('bedrock').totals;
    const body = '{"anthropic_version":"bedrock-2023-05-31","max_tokens":8,  "messages":[{"role":"user","content":"hi"}]}';
    const before = bedrock.requests.length;
    const answer = await client().send(
      new InvokeModelCommand({
        modelId: MODEL,
        body: new TextEncoder().encode(body),
        contentType: 'application/json',
        accept: 'application/json',
      }),
    );
    expect(JSON.parse(new TextDecoder().decode(answer.body))).toMatchObject({ _received: 'bedrock-2023-05-31' });
    expect(bedrock.requests[before]!.body.toString()).toBe(body);
    const usage = await usageOf(g, 'bedrock', start.requests + 1);
    expect(usage.totals.input_tokens - start.input_tokens).toBe(12);
  });

  it('assumes the provider’s role through STS once and reuses the session until it expires', async () => {
    const issuedBefore = sts.issued.length;
    for (let i = 0; i < 3; i++) {
      const answer = await client('bedrock-role').send(new ConverseCommand({ modelId: MODEL, messages }));
      expect(answer.output?.message?.content?.[0]?.text).toBe('w0 w1 w2 ');
    }
    expect(sts.issued.length - issuedBefore).toBe(1);
    const session = sts.issued.at(-1)!;
    expect(bedrock.requests.at(-1)!.headers['x-amz-security-token']).toBe(session.sessionToken);
  });

  it('refuses a client whose signature was not made with a Provider Desk token', async () => {
    const stranger = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: g.proxy('bedrock'),
      credentials: { accessKeyId: 'pd', secretAccessKey: 'not-the-token' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    const before = bedrock.requests.length;
    const error = await stranger.send(new ConverseCommand({ modelId: MODEL, messages })).catch((e: unknown) => e);
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(401);
    expect(bedrock.requests.length).toBe(before);
  });
});
