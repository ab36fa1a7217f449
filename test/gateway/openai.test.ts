/**
 * The OpenAI SDK (the real npm package) pointed at the gateway with the Provider Desk token as its API key: the native
 * passthrough (/proxy/openai/v1, streaming and not) and the one OpenAI-compatible endpoint (/v1), which routes by the
 * `provider/` prefix of `model` to each provider's own OpenAI-compatible endpoint.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmUpstream, UpstreamRequestRecord } from '../fakes/llm-upstreams.js';
import { startGateway, usageOf, type Gateway } from './harness.js';

let g: Gateway;
let openai: LlmUpstream;
let anthropic: LlmUpstream;
let gemini: LlmUpstream;

const messages = [{ role: 'user' as const, content: 'hello' }];

beforeAll(async () => {
  g = await startGateway();
  openai = await g.upstream({ dialect: 'openai', keys: ['sk-openai-real'] });
  anthropic = await g.upstream({ dialect: 'anthropic', keys: ['sk-ant-real'] });
  gemini = await g.upstream({ dialect: 'gemini', keys: ['AIza-real'] });
  g.provider({ name: 'openai', type: 'openai', base_url: `${openai.url}/v1`, api_keys: [{ name: 'main', value: 'sk-openai-real' }] });
  g.provider({ name: 'claude', type: 'anthropic', base_url: anthropic.url, api_keys: [{ name: 'main', value: 'sk-ant-real' }] });
  g.provider({ name: 'gemini', type: 'gemini', base_url: gemini.url, api_keys: [{ name: 'main', value: 'AIza-real' }] });
  g.provider({ name: 'bedrock', type: 'bedrock', base_url: openai.url, settings: { region: 'us-east-1' } });
  await g.desk.health.refresh('openai');
  await g.desk.health.refresh('claude');
});
afterAll(async () => {
  await g?.close();
});

/** Every header value any fake received, to prove the Provider Desk token never left the machine's gateway. */
function everyHeaderValue(): string {
  return [openai, anthropic, gemini].flatMap((up) => up.requests.flatMap((r) => Object.values(r.headers).flat())).join('\n');
}

describe('the native passthrough with the OpenAI SDK', () => {
  it('answers a chat completion through /proxy/openai/v1 with the real key swapped in', async () => {
    const client = new OpenAI({ apiKey: g.token, baseURL: `${g.proxy('openai')}/v1`, maxRetries: 0 });
    const before = openai.requests.length;
    const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(answer.choices[0]?.message.content).toBe('w0 w1 w2 ');
    expect(answer.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
    const seen = openai.requests[before]!;
    expect(seen.target).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer sk-openai-real');
    expect(JSON.parse(seen.body.toString())).toEqual({ model: 'gpt-4o-mini', messages });
    expect(everyHeaderValue()).not.toContain(g.token);
  });

  it('streams a chat completion chunk by chunk and counts the usage of its last chunk', async () => {
    const client = new OpenAI({ apiKey: g.token, baseURL: `${g.proxy('openai')}/v1`, maxRetries: 0 });
    const start = g.desk.usage.byProvider('openai').totals;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const text: string[] = [];
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('w0 w1 w2 ');
    const usage = await usageOf(g, 'openai', start.requests + 1);
    expect(usage.totals.input_tokens - start.input_tokens).toBe(12);
    expect(usage.totals.output_tokens - start.output_tokens).toBe(5);
    expect(usage.keys.find((k) => k.key_name === 'main')?.requests).toBeGreaterThan(0);
  });

  it('passes a compressed answer on as it came and still counts its usage', async () => {
    const zipped = await g.upstream({ dialect: 'openai', keys: ['sk-zip'], gzip: true });
    g.provider({ name: 'zipped', type: 'openai', base_url: `${zipped.url}/v1`, api_keys: [{ name: 'main', value: 'sk-zip' }] });
    const client = new OpenAI({ apiKey: g.token, baseURL: `${g.proxy('zipped')}/v1`, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(data.choices[0]?.message.content).toBe('w0 w1 w2 ');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const usage = await usageOf(g, 'zipped', 1);
    expect(usage.totals).toMatchObject({ requests: 1, input_tokens: 12, output_tokens: 5 });
  });

  it('keeps the query string and the body bytes exactly as sent', async () => {
    const body = '{"model":"gpt-4o-mini",  "messages":[{"role":"user","content":"spaced   out"}]}';
    const before = openai.requests.length;
    const answer = await g.request('/proxy/openai/v1/chat/completions?api-version=1&x=%20y', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(answer.status).toBe(200);
    expect(openai.requests[before]!.target).toBe('/v1/chat/completions?api-version=1&x=%20y');
    expect(openai.requests[before]!.body.toString()).toBe(body);
  });

  it('passes the provider’s own error through unchanged', async () => {
    const answer = await g.request('/proxy/openai/v1/nothing-here', { method: 'POST', json: {} });
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toBe('Invalid URL (POST /v1/nothing-here)');
  });

  it('takes bodies up to 32 MiB and refuses larger ones with 413 in OpenAI’s error shape', async () => {
    const body = (size: number) => {
      const head = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"';
      return head + 'x'.repeat(size - head.length - 4) + '"}]}';
    };
    const send = (text: string) =>
      g.request('/proxy/openai/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    const before = openai.requests.length;
    expect((await send(body(32 * 1024 * 1024))).status).toBe(200);
    expect(openai.requests[before]!.body.length).toBe(32 * 1024 * 1024);
    const over = await send(body(32 * 1024 * 1024 + 1));
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
    expect(openai.requests.length).toBe(before + 1);
  });

  it('refuses an unknown provider in OpenAI’s error shape', async () => {
    const answer = await g.request('/proxy/nobody/v1/models');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      error: { message: 'No provider named "nobody" in Provider Desk', type: 'not_found_error', code: 'provider_not_found' },
    });
  });
});

describe('the OpenAI-compatible endpoint', () => {
  const client = () => new OpenAI({ apiKey: g.token, baseURL: `${g.url}/v1`, maxRetries: 0 });

  it('lists every stored model of every enabled provider as provider/model', async () => {
    const ids = (await client().models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4o-mini', 'claude/claude-sonnet-4-5']));
    // The SDK's retrieve() encodes the slash (/v1/models/openai%2Fgpt-4o-mini); the plain path works too.
    expect(await client().models.retrieve('openai/gpt-4o-mini')).toMatchObject({ id: 'openai/gpt-4o-mini', object: 'model' });
    const one = await g.request('/v1/models/openai/gpt-4o-mini');
    expect(one.body).toMatchObject({ id: 'openai/gpt-4o-mini', object: 'model' });
    expect((await g.request('/v1/models/openai/nope')).body.error.code).toBe('model_not_found');
    await expect(client().models.retrieve('openai/nope')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    // Only there: an encoded slash anywhere else, an encoded backslash, or a dot segment it spells, is still refused.
    for (const target of [
      '/v1/models%2Fopenai',
      '/v1/models/openai%5Cgpt-4o-mini',
      '/v1/models/openai%2F..%2F..%2Fapi%2Fv1%2Ftoken',
      '/proxy/openai%2Fv1/models',
    ])
      expect((await g.request(target)).status, target).toBe(400);
  });

  it('routes by prefix to each provider’s own OpenAI-compatible endpoint with the bare model id', async () => {
    const counts = [openai, anthropic, gemini].map((up) => up.requests.length);
    for (const model of ['openai/gpt-4o-mini', 'claude/claude-sonnet-4-5', 'gemini/gemini-2.0-flash']) {
      const answer = await client().chat.completions.create({ model, messages });
      expect(answer.choices[0]?.message.content).toBe('w0 w1 w2 ');
    }
    const [toOpenai, toAnthropic, toGemini] = [openai, anthropic, gemini].map((up, i) => up.requests[counts[i]!]!) as [
      UpstreamRequestRecord,
      UpstreamRequestRecord,
      UpstreamRequestRecord,
    ];
    expect(toOpenai).toMatchObject({ target: '/v1/chat/completions', headers: { authorization: 'Bearer sk-openai-real' } });
    expect(toAnthropic).toMatchObject({ target: '/v1/chat/completions', headers: { 'x-api-key': 'sk-ant-real' } });
    expect(toGemini).toMatchObject({ target: '/v1beta/openai/chat/completions', headers: { authorization: 'Bearer AIza-real' } });
    expect([toOpenai, toAnthropic, toGemini].map((r) => JSON.parse(r.body.toString()).model)).toEqual([
      'gpt-4o-mini',
      'claude-sonnet-4-5',
      'gemini-2.0-flash',
    ]);
    expect(everyHeaderValue()).not.toContain(g.token);
  });

  it('serves embeddings and streamed responses, counting their usage', async () => {
    const start = g.desk.usage.byProvider('openai').totals;
    const embedding = await client().embeddings.create({ model: 'openai/text-embedding-3-small', input: 'hi' });
    expect(embedding.data[0]?.embedding).toEqual([0.5, 0.25, 0.125]);
    const stream = await client().responses.create({ model: 'openai/gpt-4o-mini', input: 'hi', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    const usage = await usageOf(g, 'openai', start.requests + 2);
    expect(usage.totals.input_tokens - start.input_tokens).toBe(24);
    expect(usage.totals.output_tokens - start.output_tokens).toBe(5);
  });

  it('says when a provider has no OpenAI-compatible endpoint and points to the passthrough', async () => {
    const error = await client()
      .chat.completions.create({ model: 'bedrock/anthropic.claude-3-haiku', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('no_openai_compatible_endpoint');
    expect((error as Error).message).toContain('/proxy/bedrock/');
    const embeddings = await g.request('/v1/embeddings', { method: 'POST', json: { model: 'claude/claude-sonnet-4-5', input: 'x' } });
    expect(embeddings.status).toBe(400);
    expect(embeddings.body.error.message).toContain('does not serve /v1/embeddings');
  });

  it('names the field when the model is missing or has no provider prefix', async () => {
    const missing = await g.request('/v1/chat/completions', { method: 'POST', json: { messages } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_model' });
    expect(missing.body.error.message).toMatch(/^model /);
    const bare = await g.request('/v1/chat/completions', { method: 'POST', json: { model: 'gpt-4o-mini', messages } });
    expect(bare.body.error.message).toContain('"provider/model"');
    const notJson = await g.request('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const unknown = await g.request('/v1/completions', { method: 'POST', json: { model: 'openai/x', prompt: 'x' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_endpoint');
  });

  it('shows a scoped token only its providers and refuses the others', async () => {
    const { token } = g.desk.tokens.create({ name: 'only-openai', scope: 'gateway', providers: ['openai'] });
    const scoped = new OpenAI({ apiKey: token, baseURL: `${g.url}/v1`, maxRetries: 0 });
    const ids = (await scoped.models.list()).data.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('openai/'))).toBe(true);
    const refused = await scoped.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refused as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('provider_not_allowed');
    const passthrough = await g.request('/proxy/claude/v1/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      json: {},
    });
    expect(passthrough.status).toBe(403);
    expect(passthrough.body.error.code).toBe('provider_not_allowed');
  });
});
