import type { ModelInfo } from '../../../src-main/core/contract/domain-schemas.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configuredDeployments } from '../../../src-main/core/probe/adapters/azure.js';
import { capabilityFromName, resolveCapabilities } from '../../../src-main/core/probe/capabilities.js';
import { classifyHttpFailure, classifyNetworkError } from '../../../src-main/core/probe/classify.js';
import { createLimiter, runWithConcurrency } from '../../../src-main/core/probe/engine.js';
import { addressKind, blockedReason } from '../../../src-main/core/probe/network/ip-policy.js';
import { mergeHeaders } from '../../../src-main/core/probe/network/http-client.js';
import { backoffDelay, retryAfterDelay } from '../../../src-main/core/probe/network/retry.js';
import { SecretScrubber, bodyExcerpt, scrubModel, scrubModels } from '../../../src-main/core/probe/scrub.js';
import { hasVersionSegment, stripTrailing } from '../../../src-main/core/probe/urls.js';

const scrubber = new SecretScrubber();
const http = (status: number, body: unknown, extra: Partial<Parameters<typeof classifyHttpFailure>[0]> = {}) =>
  classifyHttpFailure({
    status,
    headers: {},
    text: typeof body === 'string' ? body : JSON.stringify(body),
    path: '/v1/models',
    purpose: 'list',
    scrubber,
    ...extra,
  });
const net = (error: unknown) =>
  classifyNetworkError(error, { target: 'api.example:443', proxy: null, timedOut: false, timeoutMs: 1000, cancelled: false, scrubber });

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it('allows loopback and public always, private only when allowed, link-local and unspecified never', () => {
    expect(blockedReason('127.0.0.1', false)).toBeNull();
    expect(blockedReason('1.1.1.1', false)).toBeNull();
    expect(blockedReason('10.0.0.1', false)).toContain('allow_private_network');
    expect(blockedReason('10.0.0.1', true)).toBeNull();
    expect(blockedReason('169.254.169.254', true)).toContain('link-local');
    expect(blockedReason('0.0.0.0', true)).toContain('unspecified');
    expect(blockedReason('example.com', false)).toBeNull();
  });
});

describe('retry timing', () => {
  it('backoff grows exponentially with jitter and never exceeds the maximum', () => {
    const policy = { maxRetries: 5, initialMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
    expect(backoffDelay(6, policy, () => 1)).toBe(1000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 100, max: 5000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, initial, extra, r) => {
          const max = initial + extra;
          const delay = backoffDelay(attempt, { maxRetries: 1, initialMs: initial, maxMs: max }, () => r);
          return delay >= Math.min(max, initial * 2 ** attempt) / 2 - 1 && delay <= max;
        },
      ),
    );
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterDelay('2', 5000, now)).toBe(2000);
    expect(retryAfterDelay('120', 5000, now)).toBe(5000);
    expect(retryAfterDelay('Wed, 01 Jan 2025 00:00:03 GMT', 5000, now)).toBe(3000);
    expect(retryAfterDelay('Tue, 31 Dec 2024 23:00:00 GMT', 5000, now)).toBe(0);
    expect(retryAfterDelay('soon', 5000, now)).toBeNull();
    expect(retryAfterDelay(undefined, 5000, now)).toBeNull();
  });
});

describe('classification of answers', () => {
  it.each([
    [401, { error: { message: 'nope' } }, 'auth_failed'],
    [403, { error: { message: 'Project does not have access to model' } }, 'forbidden'],
    [403, { message: 'The security token included in the request is invalid.' }, 'auth_failed'],
    [400, { error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } }, 'auth_failed'],
    [400, { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low' } }, 'quota_exceeded'],
    [402, { error: { message: 'Insufficient credits' } }, 'quota_exceeded'],
    [404, {}, 'not_found'],
    [408, {}, 'timeout'],
    [429, { error: { type: 'requests', message: 'Rate limit reached' } }, 'rate_limited'],
    [429, { error: { code: 'insufficient_quota' } }, 'quota_exceeded'],
    [500, 'oops', 'server_error'],
    [529, { type: 'error', error: { type: 'overloaded_error' } }, 'server_error'],
    [418, 'teapot', 'invalid_response'],
  ])('%i %j → %s', (status, body, expected) => {
    expect(http(status, body).errorClass).toBe(expected);
  });

  it('token services: IBM BXNIM0415E and OAuth invalid_grant mean bad credentials', () => {
    expect(
      http(400, { errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' }, { purpose: 'token' }).errorClass,
    ).toBe('auth_failed');
    expect(http(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { purpose: 'token' }).errorClass).toBe(
      'auth_failed',
    );
  });

  it('messages name the path and give a hint', () => {
    expect(http(404, '').message).toBe('404 from /v1/models — check the base URL');
    expect(http(404, '', { purpose: 'deep', path: '/v1/chat/completions' }).message).toBe(
      '404 from /v1/chat/completions — check the model name',
    );
    expect(http(401, { error: { message: 'Invalid key' } }).message).toBe(
      '401 from /v1/models: Invalid key — the key was rejected; check it or create a new one',
    );
  });
});

describe('classification of connection errors', () => {
  const err = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(code), { code, ...extra });
  it.each([
    [err('ENOTFOUND', { hostname: 'x.invalid' }), 'dns_failed', 'x.invalid'],
    [err('EAI_AGAIN'), 'dns_failed', 'EAI_AGAIN'],
    [err('ECONNREFUSED'), 'connection_refused', 'refused'],
    [err('UND_ERR_CONNECT_TIMEOUT'), 'timeout', 'in time'],
    [err('CERT_HAS_EXPIRED'), 'tls_failed', 'expired'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls_failed', 'self-signed'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls_failed', 'unknown CA'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls_failed', 'hostname mismatch'],
    [err('ECONNRESET'), 'connection_refused', 'closed unexpectedly'],
    [new Error('Proxy response (407) !== 200 when HTTP Tunneling'), 'proxy_failed', 'proxy authentication failed'],
    [Object.assign(new Error('fetch failed'), { cause: err('ECONNREFUSED') }), 'connection_refused', 'refused'],
    [new AggregateError([err('ECONNREFUSED'), err('ECONNREFUSED')]), 'connection_refused', 'refused'],
  ])('%s → %s', (error, expected, text) => {
    const classified = net(error);
    expect(classified.errorClass).toBe(expected);
    expect(classified.message).toContain(text);
  });

  it('a timeout the client set is reported as such', () => {
    const classified = classifyNetworkError(new Error('aborted'), {
      target: 'h:1',
      proxy: null,
      timedOut: true,
      timeoutMs: 2000,
      cancelled: false,
      scrubber,
    });
    expect(classified).toMatchObject({ errorClass: 'timeout' });
    expect(classified.message).toContain('within 2 s');
  });
});

describe('secret scrubbing', () => {
  it('removes the secret, its encodings and partial echoes, but keeps ordinary words', () => {
    const s = new SecretScrubber();
    s.add('sk-live-ABCDEFGHIJKLMNOPQRSTUVWXYZ123456');
    const scrubbed = s.scrub(
      'key sk-live-ABCDEFGHIJKLMNOPQRSTUVWXYZ123456 and sk-live-ABCD****3456 and sk-l**********3456 and c2stbGl2ZS1BQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWjEyMzQ1Ng== are invalid',
    );
    expect(scrubbed).toBe('key [redacted] and [redacted] and [redacted] and [redacted] are invalid');
  });

  it('never lets a secret through an excerpt (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 60 }).filter((x) => x.trim() === x && !/\s/.test(x)),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const s = new SecretScrubber();
          s.add(secret);
          const excerpt = bodyExcerpt(JSON.stringify({ error: { message: `${before}${secret}${after}` } }), s) ?? '';
          return !excerpt.includes(secret);
        },
      ),
    );
  });

  it('scrubs a model list at once exactly as model by model (property)', () => {
    const secret = 'sk-proj-Q8v2LmN4pR7sT1wX9yZ3aB6c';
    const fragments = [
      'gpt-4o',
      'text-embedding-3-small',
      'openai',
      ' ',
      '\n',
      '"',
      '\\',
      ',',
      secret,
      secret.slice(3, 14),
      `${secret.slice(0, 6)}****${secret.slice(-4)}`,
      encodeURIComponent(secret),
      'sk-****',
      '***',
    ];
    const text = fc.array(fc.constantFrom(...fragments), { maxLength: 4 }).map((parts) => parts.join(''));
    const model = fc.record({
      id: text.filter((id) => id.length > 0),
      display_name: text,
      owned_by: fc.option(text, { nil: null }),
      context_window: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
      capabilities: fc.constant({ chat: true }),
    });
    // The cases the one-pass check must leave to the field-by-field one: words glued by a JSON escape.
    const glued = new SecretScrubber();
    glued.add(secret);
    for (const display_name of [`${secret.slice(0, 6)}****${secret.slice(-4)}\n`, `"${secret.slice(0, 6)}****${secret.slice(-4)}`]) {
      const list = [{ id: 'gpt-4o', display_name, owned_by: null, context_window: null, capabilities: {} }] as unknown as ModelInfo[];
      expect(scrubModels(list, glued)[0]?.display_name, JSON.stringify(display_name)).toContain('[redacted]');
    }
    for (const extra of ['', 'odd"secret\\with-escapes-1234']) {
      fc.assert(
        fc.property(fc.array(model, { maxLength: 5 }), (models) => {
          const s = new SecretScrubber();
          s.add(secret);
          if (extra) s.add(extra);
          const list = models as unknown as ModelInfo[];
          expect(scrubModels(list, s)).toEqual(list.flatMap((m) => scrubModel(m, s) ?? []));
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('keeps a text it finds no echo in exactly as the word-by-word pass would (property)', () => {
    // A trailing " ***" sends any text down the word-by-word pass and is itself no echo (too short, nothing visible),
    // so scrubbing with and without it must agree, whether the text held an echo or not.
    const secret = 'sk-proj-Q8v2LmN4pR7sT1wX9yZ3aB6c';
    const fragments = [
      'gpt-4o',
      ' ',
      '"',
      'sk-proj',
      secret.slice(3, 14),
      secret.slice(9, 16),
      `${secret.slice(0, 6)}****${secret.slice(-4)}`,
      '**',
      '*',
      'ZZZ',
      'xyzwvuts',
    ];
    const text = fc.array(fc.constantFrom(...fragments), { maxLength: 8 }).map((parts) => parts.join(''));
    const s = new SecretScrubber();
    s.add(secret);
    s.add('xyzwvutsrq');
    let echoed = 0;
    fc.assert(
      fc.property(text, (t) => {
        const whole = s.scrub(`${t} ***`);
        if (whole.includes('[redacted]')) echoed += 1;
        expect(s.scrub(t)).toBe(whole.slice(0, -' ***'.length));
      }),
      { numRuns: 2000 },
    );
    expect(echoed).toBeGreaterThan(100); // the texts did exercise echoes, not only clean words
  });

  it('service-account JSON: the private key is scrubbed, public fields are not', () => {
    const s = new SecretScrubber();
    s.add(
      JSON.stringify({
        client_email: 'svc@proj.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
      }),
    );
    expect(s.scrub('svc@proj.iam.gserviceaccount.com leaked MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(
      'svc@proj.iam.gserviceaccount.com leaked [redacted]',
    );
  });
});

describe('capabilities by name', () => {
  it.each([
    ['text-embedding-3-large', 'embedding'],
    ['nomic-embed-text', 'embedding'],
    ['bge-m3', 'embedding'],
    ['multilingual-e5-large', 'embedding'],
    ['voyage-3', 'embedding'],
    ['bge-reranker-v2-m3', 'rerank'],
    ['whisper-large-v3', 'audio'],
    ['gpt-4o-mini-tts', 'audio'],
    ['gpt-4o-transcribe', 'audio'],
    ['dall-e-3', 'image'],
    ['gpt-image-1', 'image'],
    ['black-forest-labs/flux-schnell', 'image'],
    ['stable-diffusion-xl', 'image'],
    ['llama-3.3-70b', 'chat'],
  ])('%s → %s', (id, capability) => {
    expect(capabilityFromName(id)).toBe(capability);
  });

  it('metadata wins over the name; secondary capabilities keep their order', () => {
    expect(resolveCapabilities('text-embedding-weird', ['chat'])).toEqual(['chat']);
    expect(resolveCapabilities('my-model', ['tools', 'vision'])).toEqual(['chat', 'vision', 'tools']);
  });
});

describe('small helpers', () => {
  it('version segments and trailing segments', () => {
    expect(hasVersionSegment('https://api.groq.com/openai/v1')).toBe(true);
    expect(hasVersionSegment('https://generativelanguage.googleapis.com/v1beta/openai')).toBe(true);
    expect(hasVersionSegment('http://localhost:8000')).toBe(false);
    expect(hasVersionSegment('https://host/service/v1-beta')).toBe(false);
    expect(stripTrailing('https://api.anthropic.com/v1/', /v1/)).toBe('https://api.anthropic.com');
    expect(stripTrailing('https://g.test/v1beta/openai', /openai|v1beta|v1/)).toBe('https://g.test');
  });

  it('extra headers never override auth or framing headers', () => {
    expect(
      mergeHeaders({ 'X-A': '1', authorization: 'Bearer evil', Host: 'evil', 'Content-Length': '1' }, { Authorization: 'Bearer good' }),
    ).toEqual({ 'X-A': '1', Authorization: 'Bearer good' });
  });

  it('azure deployments from text, map or list', () => {
    expect(configuredDeployments('gpt-4o=prod-4o\n text-embedding-3-large = emb \nsolo')).toEqual([
      { model: 'gpt-4o', name: 'prod-4o' },
      { model: 'text-embedding-3-large', name: 'emb' },
      { model: 'solo', name: 'solo' },
    ]);
    expect(configuredDeployments({ 'gpt-4o': 'prod' })).toEqual([{ model: 'gpt-4o', name: 'prod' }]);
    expect(configuredDeployments(['a'])).toEqual([{ model: 'a', name: 'a' }]);
  });
});

describe('concurrency', () => {
  it('keeps exactly `limit` in flight and preserves order', async () => {
    let inFlight = 0;
    const samples: number[] = [];
    const progress: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await runWithConcurrency(
      items,
      4,
      async (i) => {
        inFlight++;
        samples.push(inFlight);
        await new Promise((r) => setTimeout(r, 5 + ((i * 7) % 11)));
        inFlight--;
        return i * 2;
      },
      (p) => progress.push(p.done),
    );
    expect(results).toEqual(items.map((i) => i * 2));
    expect(Math.max(...samples)).toBe(4);
    // Every start after the first 4 happens right after a finish, so the pool stays full until the tail.
    expect(samples.slice(3, 17).every((n) => n === 4)).toBe(true);
    expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('a failing item does not stop the others; the first error is reported at the end', async () => {
    const seen: number[] = [];
    await expect(
      runWithConcurrency([1, 2, 3, 4], 2, async (i) => {
        seen.push(i);
        if (i === 2) throw new Error('boom');
        return i;
      }),
    ).rejects.toThrow('boom');
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
  });

  it('a shared limiter bounds work across independent callers', async () => {
    const limit = createLimiter(3);
    let inFlight = 0;
    let peak = 0;
    const task = () =>
      limit(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 3));
        inFlight--;
      });
    await Promise.all([...Array.from({ length: 10 }, task), ...Array.from({ length: 10 }, task)]);
    expect(peak).toBe(3);
  });
});
