import { describe, expect, it } from 'vitest';
import { createHttpServer } from '../../fakes/http-server.js';
import { runWithConcurrency } from '../../../src-main/core/probe/engine.js';
import { closedPort, key, target, testNetwork, useProbeEngine } from './helpers.js';

const { engine, fake } = useProbeEngine();

describe('answers that mean the key is wrong or not allowed', () => {
  it('401 → auth_failed with a hint, never an empty model list', async () => {
    const f = await fake('openai', { keys: ['sk-good'] });
    const outcome = await engine.checkKey(target('openai', f.baseUrl), key('sk-badbadbadbadbad1234'));
    expect(outcome.models).toBeNull();
    expect(outcome.result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 401, key_id: 'key-1' });
    expect(outcome.result.message).toMatch(/^401 from \/v1\/models: .* — the key was rejected; check it or create a new one$/);
    expect(outcome.result.hint).toBe('the key was rejected; check it or create a new one');
    const listed = await engine.listModels(target('openai', f.baseUrl), key('sk-badbadbadbadbad1234'));
    expect(listed.ok).toBe(false);
  });

  it("Gemini's 400 API_KEY_INVALID → auth_failed", async () => {
    const f = await fake('gemini');
    const { result } = await engine.checkKey(target('gemini', f.url), key('AIzaWrongWrongWrong'));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 400 });
  });

  it('Anthropic 401 authentication_error → auth_failed; its credit-balance 400 → quota_exceeded', async () => {
    const f = await fake('anthropic', { keys: ['sk-ant-ok'], quotaKeys: ['sk-ant-broke'] });
    const bad = await engine.checkKey(target('anthropic', f.url), key('sk-ant-nope'));
    expect(bad.result).toMatchObject({ error_class: 'auth_failed', http_status: 401 });
    expect(bad.result.message).toContain('invalid x-api-key');
    const broke = await engine.checkKey(target('anthropic', f.url), key('sk-ant-broke'));
    expect(broke.result).toMatchObject({ error_class: 'quota_exceeded', http_status: 400 });
  });

  it('403 → forbidden; OpenAI insufficient_quota 429 → quota_exceeded (not retried as a rate limit)', async () => {
    const f = await fake('openai', { forbiddenKeys: ['sk-project-limited'], quotaKeys: ['sk-no-credit'] });
    const forbidden = await engine.checkKey(target('openai', f.baseUrl), key('sk-project-limited'));
    expect(forbidden.result).toMatchObject({ error_class: 'forbidden', http_status: 403 });
    const quota = await engine.checkKey(target('openai', f.baseUrl), key('sk-no-credit'));
    expect(quota.result).toMatchObject({ error_class: 'quota_exceeded', http_status: 429 });
  });

  it('a required key that is missing → missing_credentials, and nothing is sent', async () => {
    const f = await fake('openai');
    const { result } = await engine.checkKey(target('openai', f.baseUrl), key(null));
    expect(result).toMatchObject({ ok: false, error_class: 'missing_credentials', http_status: null });
    expect(f.requests).toHaveLength(0);
  });
});

describe('wrong places and wrong answers', () => {
  it('404 from a wrong base URL → not_found "check the base URL"', async () => {
    const f = await fake('openai');
    const { result } = await engine.checkKey(target('openai', `${f.url}/wrong/v1`), key('test-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'not_found', http_status: 404 });
    expect(result.message).toMatch(/^404 from \/wrong\/v1\/models.* — check the base URL$/);
  });

  it('a 200 HTML page → invalid_response', async () => {
    const f = await fake('anthropic', { nonJson: true });
    const { result, models } = await engine.checkKey(target('anthropic', f.url), key('test-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'invalid_response', http_status: 200 });
    expect(result.message).toContain('not JSON (an HTML page)');
    expect(models).toBeNull();
  });

  it('JSON of the wrong shape → invalid_response naming the expected shape', async () => {
    const server = await createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"models":"nope"}'),
    );
    try {
      const { result } = await engine.checkKey(target('openai', `${server.url}/v1`), key('k'));
      expect(result.error_class).toBe('invalid_response');
      expect(result.message).toContain('expected {"data": [{"id": …}]}');
    } finally {
      await server.close();
    }
  });

  it('an answer past 32 MB is refused, not read whole; one sent in many pieces is read whole', async () => {
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    let stopped = false;
    const huge = await createHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => (stopped = true));
      // 40 MB of whitespace, a piece at a time, as long as the reader keeps reading.
      let sent = 0;
      const more = (): void => {
        while (sent < 40 && !res.destroyed) {
          sent += 1;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    const pieces = await createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const ids = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: `model-${i}`, object: 'model' }));
      res.write('{"object":"list","data":[');
      ids.forEach((id, i) => res.write(i === 0 ? id : `,${id}`));
      res.end(']}');
    });
    try {
      const refused = await engine.checkKey(target('openai', `${huge.url}/v1`), key('k'));
      expect(refused.result).toMatchObject({ ok: false, error_class: 'invalid_response' });
      expect(refused.result.message).toContain('/v1/models is larger than 32 MB');
      await expect.poll(() => stopped).toBe(true);
      const read = await engine.checkKey(target('openai', `${pieces.url}/v1`), key('k'));
      expect(read.result.ok).toBe(true);
      expect(read.models?.map((m) => m.id)).toHaveLength(300);
      expect(read.models?.at(-1)?.id).toBe('model-299');
    } finally {
      await huge.close();
      await pieces.close();
    }
  });

  it('a redirect is reported, not followed (it could carry the key elsewhere)', async () => {
    const server = await createHttpServer((_req, res) => res.writeHead(301, { location: 'https://elsewhere.example/v1/models' }).end());
    try {
      const { result } = await engine.checkKey(target('openai', `${server.url}/v1`), key('k'));
      expect(result).toMatchObject({ error_class: 'invalid_response', http_status: 301 });
      expect(result.message).toContain('https://elsewhere.example/v1/models');
    } finally {
      await server.close();
    }
  });
});

describe('retries', () => {
  it('429 then success: Retry-After (seconds) is honoured', async () => {
    const f = await fake('openai', { failFirst: [429], retryAfter: '1' });
    const t = target('openai', f.baseUrl, {
      network: testNetwork({ max_retries: 2, retry_backoff_initial: 100, retry_backoff_max: 2000 }),
    });
    const started = Date.now();
    const { result } = await engine.checkKey(t, key('test-key'));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.latency_ms).toBeGreaterThanOrEqual(950);
    expect(f.requests).toHaveLength(2);
  });

  it('Retry-After is capped by retry_backoff_max', async () => {
    const f = await fake('openai', { failFirst: [429], retryAfter: '30' });
    const t = target('openai', f.baseUrl, { network: testNetwork({ max_retries: 1, retry_backoff_initial: 100, retry_backoff_max: 300 }) });
    const started = Date.now();
    const { result } = await engine.checkKey(t, key('test-key'));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('5xx then success, with exponential backoff; without retries the 5xx is server_error', async () => {
    const f = await fake('anthropic', { failFirst: [503, 529] });
    const t = target('anthropic', f.url, { network: testNetwork({ max_retries: 3, retry_backoff_initial: 100, retry_backoff_max: 400 }) });
    const started = Date.now();
    const { result } = await engine.checkKey(t, key('test-key'));
    expect(result.ok).toBe(true);
    expect(f.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50 + 100); // at least half of 100 ms + half of 200 ms

    const g = await fake('anthropic', { failFirst: [500] });
    const once = await engine.checkKey(target('anthropic', g.url), key('test-key'));
    expect(once.result).toMatchObject({ ok: false, error_class: 'server_error', http_status: 500 });
    expect(g.requests).toHaveLength(1);
  });

  it('a dropped connection is retried; retries exhausted on 429 → rate_limited', async () => {
    const f = await fake('openai', { failFirst: [{ status: 0, drop: true }] });
    const t = target('openai', f.baseUrl, { network: testNetwork({ max_retries: 1 }) });
    expect((await engine.checkKey(t, key('test-key'))).result.ok).toBe(true);

    const g = await fake('openai', { failFirst: [429, 429, 429] });
    const limited = await engine.checkKey(target('openai', g.baseUrl, { network: testNetwork({ max_retries: 1 }) }), key('test-key'));
    expect(limited.result).toMatchObject({ error_class: 'rate_limited', http_status: 429 });
    expect(g.requests).toHaveLength(2);
  });
});

describe('connection failures', () => {
  it('timeout → timeout, within the configured seconds', async () => {
    const f = await fake('openai', { delayMs: 3000 });
    const t = target('openai', f.baseUrl, { network: testNetwork({ default_request_timeout_in_seconds: 1 }) });
    const started = Date.now();
    const { result } = await engine.checkKey(t, key('test-key'));
    expect(result).toMatchObject({ ok: false, error_class: 'timeout' });
    expect(result.message).toContain('within 1 s');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('connection refused → connection_refused', async () => {
    const port = await closedPort();
    const { result } = await engine.checkKey(target('openai', `http://127.0.0.1:${port}/v1`), key('k'));
    expect(result).toMatchObject({ ok: false, error_class: 'connection_refused', http_status: null });
    expect(result.message).toContain(`127.0.0.1:${port}`);
  });

  it('an unresolvable host → dns_failed', async () => {
    const { result } = await engine.checkKey(target('openai', 'https://provider.invalid/v1'), key('k'));
    expect(result).toMatchObject({ ok: false, error_class: 'dns_failed' });
    expect(result.message).toContain('provider.invalid');
  });

  it('cancellation through the signal stops the probe', async () => {
    const f = await fake('openai', { delayMs: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const { result } = await engine.checkKey(target('openai', f.baseUrl), key('test-key'), { signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('secrets and headers', () => {
  it('no message ever contains the secret, even when the upstream echoes it whole', async () => {
    const secret = 'sk-proj-SUPERsecretVALUE-0123456789abcdef';
    const families = ['openai', 'anthropic', 'gemini', 'azure', 'cohere', 'elevenlabs'] as const;
    for (const family of families) {
      const f = await fake(family, { keys: ['other'], echoKey: true });
      const type = family === 'azure' ? 'azure' : family;
      const { result } = await engine.checkKey(target(type, family === 'openai' ? f.baseUrl : f.url), key(secret));
      expect(result.ok).toBe(false);
      const shown = `${result.message} ${result.hint ?? ''}`;
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain('SUPERsecret');
    }
    const openai = await fake('openai', { keys: ['other'] });
    const masked = await engine.checkKey(target('openai', openai.baseUrl), key(secret));
    expect(masked.result.message).not.toMatch(/sk-\*+cdef/); // a partial echo is redacted too
  });

  it('extra headers are sent on model listing and token exchanges, and cannot override auth', async () => {
    const extra = { 'X-Org': 'acme', 'X-Trace': 'probe', Authorization: 'Bearer hijack', 'x-api-key': 'hijack' };
    const f = await fake('anthropic');
    await engine.checkKey(target('anthropic', f.url, { network: testNetwork({ extra_headers: extra }) }), key('test-key'));
    expect(f.requests[0]?.headers).toMatchObject({ 'x-org': 'acme', 'x-trace': 'probe', 'x-api-key': 'test-key' });

    const w = await fake('watsonx');
    const { result } = await engine.checkKey(
      target('watsonx', w.url, { settings: w.settings, network: testNetwork({ extra_headers: extra }) }),
      key('test-key'),
    );
    expect(result.ok).toBe(true);
    expect(w.requests.every((r) => r.headers['x-org'] === 'acme')).toBe(true);
    expect(w.requests[1]?.headers.authorization).toMatch(/^Bearer iam-/);
  });

  it('several keys of one provider get their own verdicts', async () => {
    const f = await fake('openai', { keys: ['k-good-1', 'k-good-2'], forbiddenKeys: ['k-forbidden'] });
    const keys = [
      key('k-good-1', null, 'a'),
      key('k-bad', null, 'b'),
      key('k-good-2', null, 'c'),
      key('k-forbidden', null, 'd'),
      key(null, null, 'e'),
    ];
    const outcomes = await runWithConcurrency(keys, 2, (k) => engine.checkKey(target('openai', f.baseUrl), k));
    expect(outcomes.map((o) => [o.result.key_id, o.result.ok, o.result.error_class])).toEqual([
      ['a', true, null],
      ['b', false, 'auth_failed'],
      ['c', true, null],
      ['d', false, 'forbidden'],
      ['e', false, 'missing_credentials'],
    ]);
  });
});
