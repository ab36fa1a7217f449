/**
 * Keys chosen and failed over like a gateway does: the key is picked by weight among those allowed for the model; a
 * refused, limited or failing key is replaced once by the next — but only before any byte of the answer reached the
 * client. A 401 marks the key failing in health at once; a client that hangs up cancels the upstream request.
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, usageOf, type Gateway } from './harness.js';

let g: Gateway;
beforeEach(async () => {
  g = await startGateway();
});
afterEach(async () => {
  await g?.close();
});

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] };
const bearerOf = (headers: Record<string, unknown>) => String(headers.authorization ?? '');

function openai(): OpenAI {
  return new OpenAI({ apiKey: g.token, baseURL: `${g.proxy('openai')}/v1`, maxRetries: 0 });
}

describe('failover', () => {
  it('moves from a rate-limited key to a good one, without waiting out the limited key’s Retry-After', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: ['sk-good'], keyStatus: { 'sk-limited': 429 }, retryAfter: '30' });
    // Weight 0 comes last: the limited key is always tried first.
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      api_keys: [
        { name: 'limited', value: 'sk-limited', weight: 1 },
        { name: 'good', value: 'sk-good', weight: 0 },
      ],
    });
    const started = Date.now();
    const answer = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer.choices[0]?.message.content).toBe('w0 w1 w2 ');
    expect(up.requests.map((r) => bearerOf(r.headers))).toEqual(['Bearer sk-limited', 'Bearer sk-good']);
    const usage = await usageOf(g, 'openai', 2);
    const byKey = Object.fromEntries(usage.keys.map((k) => [k.key_name, k]));
    expect(byKey.limited).toMatchObject({ requests: 1, errors: 1, errors_by_class: { rate_limited: 1 } });
    expect(byKey.good).toMatchObject({ requests: 1, errors: 0, input_tokens: 12, output_tokens: 5 });
  });

  it('marks a key the provider refuses (401) as failing at once, and answers with the next key', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: ['sk-good'] });
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      api_keys: [
        { name: 'revoked', value: 'sk-revoked', weight: 1 },
        { name: 'good', value: 'sk-good', weight: 0 },
      ],
    });
    const answer = await g.request('/proxy/openai/v1/chat/completions', { method: 'POST', json: chat });
    expect(answer.status).toBe(200);
    const key = g.desk.providers.get('openai').api_keys.find((k) => k.name === 'revoked')!;
    expect(key.health).toBe('error');
    expect(key.last_check).toMatchObject({ ok: false, http_status: 401, error_class: 'auth_failed' });
    expect(g.desk.providers.get('openai').api_keys.find((k) => k.name === 'good')!.health).toBe('untested');
  });

  it('passes the last answer on when the next key fails too, and retries a key no more than once', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: [], keyStatus: { 'sk-a': 503, 'sk-b': 503, 'sk-c': 503 } });
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      api_keys: ['sk-a', 'sk-b', 'sk-c'].map((value) => ({ name: value, value })),
    });
    const answer = await g.request('/proxy/openai/v1/chat/completions', { method: 'POST', json: chat });
    expect(answer.status).toBe(503);
    expect(answer.body.error.type).toBe('server_error');
    expect(up.requests).toHaveLength(2);
    expect(new Set(up.requests.map((r) => bearerOf(r.headers))).size).toBe(2);
  });

  it('retries the same key per network_config, honouring Retry-After up to retry_backoff_max', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: [], keyStatus: { 'sk-only': 429 }, retryAfter: '60' });
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      network_config: { max_retries: 1, retry_backoff_initial: 100, retry_backoff_max: 300 },
      api_keys: [{ name: 'only', value: 'sk-only' }],
    });
    const started = Date.now();
    const answer = await g.request('/proxy/openai/v1/chat/completions', { method: 'POST', json: chat });
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(429);
    expect(up.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(5000);
  });

  it('does not fail over once bytes were sent: the client sees the stream cut short and no second key is tried', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: ['sk-a', 'sk-b'], breakAfterEvents: 2, eventDelayMs: 20 });
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      api_keys: [
        { name: 'a', value: 'sk-a' },
        { name: 'b', value: 'sk-b' },
      ],
    });
    const stream = await openai().chat.completions.create({ ...chat, messages: [{ role: 'user', content: 'hello' }], stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(received).toEqual(['', 'w0 ']);
    expect(up.requests).toHaveLength(1);
  });

  it('passes each event on as it comes, and cancels the upstream request when the client hangs up mid-stream', async () => {
    // The whole answer takes five seconds: its first event must arrive long before.
    const up = await g.upstream({ dialect: 'openai', keys: ['sk-a'], streamEvents: 100, eventDelayMs: 50 });
    g.provider({ name: 'openai', type: 'openai', base_url: `${up.url}/v1`, api_keys: [{ name: 'a', value: 'sk-a' }] });
    const controller = new AbortController();
    const started = Date.now();
    const response = await fetch(`${g.proxy('openai')}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('chat.completion.chunk');
    expect(Date.now() - started).toBeLessThan(2500);
    controller.abort();
    await expect.poll(() => up.unfinished(), { timeout: 3000 }).toBe(1);
  });
});

describe('key choice', () => {
  it('uses only keys allowed for the model (allow-list and blacklist) and refuses a model no key may use', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: ['sk-mini', 'sk-big'] });
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      api_keys: [
        { name: 'mini', value: 'sk-mini', models: ['gpt-4o-mini'] },
        { name: 'big', value: 'sk-big', blacklisted_models: ['gpt-4o-mini', 'o1'] },
      ],
    });
    for (let i = 0; i < 5; i++) {
      await g.request('/proxy/openai/v1/chat/completions', { method: 'POST', json: chat });
      await g.request('/v1/chat/completions', { method: 'POST', json: { ...chat, model: 'openai/gpt-4o' } });
    }
    const sent = up.requests.map((r) => `${JSON.parse(r.body.toString()).model} ${bearerOf(r.headers)}`);
    expect(new Set(sent)).toEqual(new Set(['gpt-4o-mini Bearer sk-mini', 'gpt-4o Bearer sk-big']));
    const refused = await g.request('/v1/chat/completions', { method: 'POST', json: { ...chat, model: 'openai/o1' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ type: 'permission_error', code: 'model_not_allowed' });
  });

  it('spreads requests over keys by weight', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: ['sk-heavy', 'sk-light'] });
    g.provider({
      name: 'openai',
      type: 'openai',
      base_url: `${up.url}/v1`,
      api_keys: [
        { name: 'heavy', value: 'sk-heavy', weight: 9 },
        { name: 'light', value: 'sk-light', weight: 1 },
      ],
    });
    for (let i = 0; i < 60; i++) await g.request('/proxy/openai/v1/models');
    const heavy = up.requests.filter((r) => bearerOf(r.headers) === 'Bearer sk-heavy').length;
    expect(heavy).toBeGreaterThan(40);
    expect(heavy).toBeLessThan(60);
  });

  it('sends a keyless local server no credential at all', async () => {
    const up = await g.upstream({ dialect: 'openai', keys: [''] });
    g.provider({ name: 'local', type: 'vllm', base_url: `${up.url}/v1` });
    const answer = await g.request('/proxy/local/v1/chat/completions', { method: 'POST', json: chat });
    expect(answer.status).toBe(200);
    expect(up.requests[0]!.headers.authorization).toBeUndefined();
  });
});
