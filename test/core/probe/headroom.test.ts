import { describe, expect, it } from 'vitest';
import type { Resolver } from '../../../src-main/core/probe/network/guarded-connect.js';
import { accountOrigin } from '../../../src-main/core/probe/adapters/key-proof.js';
import { parseAmount, parseDuration, rateLimitsFromHeaders, resetInstant } from '../../../src-main/core/probe/headroom.js';
import { startFakeProvider } from '../../fakes/providers.js';
import { key, target, testNetwork } from './helpers.js';
import { useProviderFakes } from './provider-fakes.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const GOOD = 'good-key-0123456789abcdef';

/** Provider host names reach the fakes on 127.0.0.1 (the port comes from the URL). */
const toLoopback: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
const { engine, fake } = useProviderFakes({ now: () => NOW, resolve: toLoopback });

describe('reading rate-limit figures', () => {
  it.each([
    ['12ms', 12],
    ['6m0s', 360_000],
    ['2m59.56s', 179_560],
    ['7.66s', 7660],
    ['1h2m3s', 3_723_000],
    ['0s', 0],
  ])('the duration %s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 'soon', '1d', '-3s', 'm5s'])('"%s" is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('turns every documented reset form into an instant relative to now', () => {
    expect(resetInstant('2m59.56s', NOW)).toBe(at(179_560)); // Groq, OpenAI
    expect(resetInstant('11.382867097855', NOW)).toBe(at(11_383)); // Cerebras: seconds
    expect(resetInstant('2026-01-01T00:00:02Z', NOW)).toBe(at(2000)); // Anthropic: RFC 3339
    expect(resetInstant('1767225660', NOW)).toBe(at(60_000)); // a Unix time
    expect(resetInstant('whenever', NOW)).toBeNull();
    expect(resetInstant(undefined, NOW)).toBeNull();
  });

  it('ignores figures that are not counts (Azure has sent -1)', () => {
    expect(rateLimitsFromHeaders({ 'x-ratelimit-remaining-requests': '-1', 'x-ratelimit-remaining-tokens': '0' }, NOW)).toEqual({
      tokens_remaining: 0,
    });
  });

  it('reads amounts sent as numbers or decimal strings', () => {
    expect([parseAmount('95.50'), parseAmount(49.58894), parseAmount('-3.2'), parseAmount('n/a'), parseAmount(null)]).toEqual([
      95.5,
      49.58894,
      -3.2,
      null,
      null,
    ]);
  });

  it('keeps the account API on the configured origin unless the host is the provider’s own', () => {
    const hub = { 'router.huggingface.co': 'https://huggingface.co' };
    expect(accountOrigin('https://router.huggingface.co/v1', hub)).toBe('https://huggingface.co');
    expect(accountOrigin('https://llm-proxy.corp.example/hf/v1', hub)).toBe('https://llm-proxy.corp.example');
  });
});

describe('headroom from the response headers of a check (end to end through the engine)', () => {
  it('OpenAI: requests and tokens with Go-duration resets', async () => {
    const f = await fake('openai', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('openai', f.baseUrl), key(GOOD), { deep: true, model: 'gpt-4o-mini' });
    expect(result.headroom).toEqual({
      requests_limit: 10_000,
      requests_remaining: 9999,
      requests_reset_at: at(6),
      tokens_limit: 30_000_000,
      tokens_remaining: 29_999_990,
      tokens_reset_at: at(360_000),
      credit_remaining: null,
      credit_limit: null,
      credit_used: null,
      currency: null,
    });
  });

  it('Groq: its per-day request limit and its 2m59.56s reset', async () => {
    const f = await fake('groq', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('groq', f.baseUrl), key(GOOD), { deep: true, model: 'llama-3.3-70b-versatile' });
    expect(result.headroom).toMatchObject({
      requests_limit: 14_400,
      requests_remaining: 14_370,
      requests_reset_at: at(179_560),
      tokens_limit: 18_000,
      tokens_remaining: 17_997,
      tokens_reset_at: at(7660),
    });
  });

  it('Cerebras: requests per day and tokens per minute, resets in seconds', async () => {
    const f = await fake('cerebras', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('cerebras', f.baseUrl), key(GOOD), { deep: true, model: 'llama3.1-8b' });
    expect(result.headroom).toMatchObject({
      requests_limit: 14_400,
      requests_remaining: 14_399,
      requests_reset_at: at(33_011_383),
      tokens_limit: 60_000,
      tokens_remaining: 59_900,
      tokens_reset_at: at(11_383),
    });
  });

  it('Mistral: per-minute requests and tokens, no resets', async () => {
    const f = await fake('mistral', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('mistral', f.baseUrl), key(GOOD), { deep: true, model: 'mistral-large-latest' });
    expect(result.headroom).toMatchObject({
      requests_limit: 60,
      requests_remaining: 59,
      requests_reset_at: null,
      tokens_limit: 500_000,
      tokens_remaining: 499_990,
      tokens_reset_at: null,
    });
  });

  it('Anthropic: anthropic-ratelimit-* with RFC 3339 resets', async () => {
    const f = await fake('anthropic', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('anthropic', f.baseUrl), key(GOOD), { deep: true, model: 'claude-sonnet-4-20250514' });
    expect(result.headroom).toMatchObject({
      requests_limit: 50,
      requests_remaining: 49,
      requests_reset_at: '2026-01-01T00:00:02.000Z',
      tokens_limit: 90_000,
      tokens_remaining: 89_990,
      tokens_reset_at: '2026-01-01T00:00:01.000Z',
    });
  });

  it('Anthropic without the combined tokens headers: the input-tokens figures', async () => {
    const f = await fake('anthropic', {
      keys: [GOOD],
      responseHeaders: { 'anthropic-ratelimit-input-tokens-limit': '80000', 'anthropic-ratelimit-input-tokens-remaining': '12' },
    });
    const { result } = await engine.checkKey(target('anthropic', f.baseUrl), key(GOOD), { deep: true, model: 'claude-sonnet-4-20250514' });
    expect(result.headroom).toMatchObject({ tokens_limit: 80_000, tokens_remaining: 12, requests_limit: null });
  });

  it('Azure: remaining requests and tokens only', async () => {
    const f = await fake('azure', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('azure', f.baseUrl), key(GOOD), { deep: true, model: 'gpt-4o-prod' });
    expect(result.headroom).toMatchObject({ requests_limit: null, requests_remaining: 119, tokens_remaining: 119_990 });
  });

  it('a 429 that ends the check still reports what its headers say', async () => {
    const f = await startFakeProvider('openai', {
      keys: [GOOD],
      failFirst: [{ status: 429, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20s' } }],
    });
    try {
      const t = target('openai', f.baseUrl, { network: testNetwork({ max_retries: 0 }) });
      const { result } = await engine.checkKey(t, key(GOOD));
      expect(result).toMatchObject({ ok: false, error_class: 'rate_limited' });
      expect(result.headroom).toMatchObject({ requests_remaining: 0, requests_reset_at: at(20_000) });
    } finally {
      await f.close();
    }
  });

  it('is null when the check learned nothing (OpenAI sends no rate-limit headers on its model list)', async () => {
    const f = await fake('openai', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('openai', f.baseUrl), key(GOOD));
    expect(result.ok).toBe(true);
    expect(result.headroom).toBeNull();
  });
});

describe('headroom from balance and key-info endpoints (end to end through the engine)', () => {
  const credit = (remaining: number | null, limit: number | null, used: number | null, currency: string | null) => ({
    credit_remaining: remaining,
    credit_limit: limit,
    credit_used: used,
    currency,
  });

  it('OpenRouter /api/v1/key: limit, limit_remaining and usage, in US dollars', async () => {
    const f = await fake('openrouter', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('openrouter', f.baseUrl), key(GOOD));
    expect(result.headroom).toMatchObject(credit(74.5, 100, 25.5, 'USD'));
  });

  it('Vercel /v1/credits: balance and total_used sent as strings', async () => {
    const f = await fake('vercel', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('vercel', f.baseUrl), key(GOOD));
    expect(result.headroom).toMatchObject(credit(95.5, null, 4.5, 'USD'));
  });

  it('DeepSeek /user/balance: total balance and its currency', async () => {
    const f = await fake('deepseek', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('deepseek', f.baseUrl), key(GOOD));
    expect(result.ok).toBe(true);
    expect(result.headroom).toMatchObject(credit(110, null, null, 'CNY'));
    expect(f.requests[0]?.path).toBe('/user/balance');
  });

  it('Moonshot /users/me/balance: available balance, in dollars on api.moonshot.ai and yuan on api.moonshot.cn', async () => {
    const f = await fake('moonshot', { keys: [GOOD] });
    const port = new URL(f.url).port;
    const ai = await engine.checkKey(target('moonshot', `http://api.moonshot.ai:${port}/v1`), key(GOOD));
    expect(ai.result.headroom).toMatchObject(credit(49.58894, null, null, 'USD'));
    const cn = await engine.checkKey(target('moonshot', `http://api.moonshot.cn:${port}/v1`), key(GOOD));
    expect(cn.result.headroom?.currency).toBe('CNY');
    const other = await engine.checkKey(target('moonshot', f.baseUrl), key(GOOD));
    expect(other.result.headroom?.currency).toBeNull();
  });

  it('Runway /v1/organization: the credit balance in Runway credits', async () => {
    const f = await fake('runway', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('runway', f.baseUrl), key(GOOD));
    expect(result.headroom).toMatchObject(credit(5000, null, null, 'credits'));
  });

  it('ElevenLabs /v1/user/subscription: the character quota, as credit in characters', async () => {
    const f = await fake('elevenlabs', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('elevenlabs', f.baseUrl), key(GOOD));
    expect(result.headroom).toMatchObject(credit(88_000, 100_000, 12_000, 'characters'));
  });

  it('a key-info call that reveals nothing leaves headroom null (Hugging Face whoami)', async () => {
    const f = await fake('huggingface', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('huggingface', f.baseUrl), key(GOOD));
    expect(result.ok).toBe(true);
    expect(result.headroom).toBeNull();
  });
});
