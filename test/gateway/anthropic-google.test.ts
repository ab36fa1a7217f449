/**
 * The Anthropic SDK and the Google GenAI SDK (the real npm packages) pointed at the native passthrough with the
 * Provider Desk token as their API key: each sends it in its own header (x-api-key, x-goog-api-key), and the provider
 * gets its real key in that header instead, streaming and not.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmUpstream } from '../fakes/llm-upstreams.js';
import { startGateway, usageOf, type Gateway } from './harness.js';

let g: Gateway;
let anthropic: LlmUpstream;
let gemini: LlmUpstream;

beforeAll(async () => {
  g = await startGateway();
  anthropic = await g.upstream({ dialect: 'anthropic', keys: ['sk-ant-real'] });
  gemini = await g.upstream({ dialect: 'gemini', keys: ['AIza-real'] });
  g.provider({ name: 'anthropic', type: 'anthropic', base_url: anthropic.url, api_keys: [{ name: 'main', value: 'sk-ant-real' }] });
  g.provider({ name: 'gemini', type: 'gemini', base_url: gemini.url, api_keys: [{ name: 'main', value: 'AIza-real' }] });
});
afterAll(async () => {
  await g?.close();
});

describe('the Anthropic SDK through /proxy/anthropic', () => {
  // The version header is the client's to choose: the gateway passes it on as sent.
  const client = () =>
    new Anthropic({ apiKey: g.token, baseURL: g.proxy('anthropic'), maxRetries: 0, defaultHeaders: { 'anthropic-version': '2023-06-01' } });

  it('creates a message with the real x-api-key and the client’s anthropic-version', async () => {
    const before = anthropic.requests.length;
    const message = await client().messages.create({
      model: 'claude-test-model',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'w0 w1 w2 ' });
    const seen = anthropic.requests[before]!;
    expect(seen.target).toBe('/v1/messages');
    expect(seen.headers['x-api-key']).toBe('sk-ant-real');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(g.token);
  });

  it('streams a message event by event and counts input (message_start) and output (message_delta) tokens', async () => {
    const start = g.desk.usage.byProvider('anthropic').totals;
    const stream = client().messages.stream({ model: 'claude-test-model', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts).toEqual(['w0 ', 'w1 ', 'w2 ']);
    expect(final.usage.output_tokens).toBe(5);
    const usage = await usageOf(g, 'anthropic', start.requests + 1);
    expect(usage.totals.input_tokens - start.input_tokens).toBe(12);
    expect(usage.totals.output_tokens - start.output_tokens).toBe(5);
  });
});

describe('the Google GenAI SDK through /proxy/gemini', () => {
  const client = () => new GoogleGenAI({ apiKey: g.token, httpOptions: { baseUrl: g.proxy('gemini') } });

  it('generates content with the real x-goog-api-key', async () => {
    const before = gemini.requests.length;
    const answer = await client().models.generateContent({ model: 'gemini-2.0-flash', contents: 'hello' });
    expect(answer.text).toBe('w0 w1 w2 ');
    const seen = gemini.requests[before]!;
    expect(seen.target).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(seen.headers['x-goog-api-key']).toBe('AIza-real');
    expect(JSON.stringify(seen.headers)).not.toContain(g.token);
  });

  it('streams content and counts the usageMetadata of the last chunk', async () => {
    const start = g.desk.usage.byProvider('gemini').totals;
    const stream = await client().models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'hello' });
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.text ?? '');
    expect(texts).toEqual(['w0 ', 'w1 ', 'w2 ']);
    const usage = await usageOf(g, 'gemini', start.requests + 1);
    expect(usage.totals.input_tokens - start.input_tokens).toBe(12);
    expect(usage.totals.output_tokens - start.output_tokens).toBe(5);
  });
});
