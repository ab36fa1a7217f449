import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../src-main/core/catalog/catalog.js';
import { classifyHttpFailure } from '../../../src-main/core/probe/classify.js';
import { SecretScrubber } from '../../../src-main/core/probe/scrub.js';
import { startFakeProvider } from '../../fakes/providers.js';
import { FAKED_TYPES, type ProviderFake } from '../../fakes/providers/index.js';
import { startOpenAiDialect, openAiModel } from '../../fakes/providers/openai-compatible.js';
import { PUBLIC_LISTING } from '../../fakes/providers/public-listing.js';
import { reply, startFakeServer } from '../../fakes/providers/server.js';
import { key, target } from './helpers.js';
import { useProviderFakes } from './provider-fakes.js';

const { engine, fake } = useProviderFakes();

const GOOD = 'good-key-0123456789abcdef';
const WRONG = 'wrong-key-0123456789abcdef';

/** Bedrock, Vertex and watsonx are proven by their own adapters' tests. */
const ELSEWHERE = ['bedrock', 'vertex', 'watsonx'];
const TYPES = CATALOG.map((e) => e.id).filter((id) => !ELSEWHERE.includes(id));
/** No free call proves these keys: a normal test says so, a deep test proves them with one billed request. */
const BILLED_ONLY = ['nvidia', 'voyage'];
const KEYLESS = ['ollama'];
const PROVEN_FOR_FREE = TYPES.filter((t) => !BILLED_ONLY.includes(t) && !KEYLESS.includes(t));
/** Types whose real model list answers without a key (GitHub's catalog: undocumented, so treated the same). */
const PUBLIC_LIST_TYPES = [...Object.keys(PUBLIC_LISTING), 'github'];

/** The fake's model list URL, the one a public-listing provider answers for any key. */
function listUrl(f: ProviderFake): string {
  return f.type === 'github' ? `${f.url}/catalog/models` : `${f.baseUrl}/models`;
}

describe('per-provider fakes', () => {
  it('cover every catalog type but Bedrock, Vertex and watsonx', () => {
    expect([...FAKED_TYPES].sort()).toEqual([...TYPES].sort());
  });

  it.each(PUBLIC_LIST_TYPES)('%s: the fake lists models for a wrong key, like the real service', async (type) => {
    const f = await fake(type, { keys: [GOOD] });
    const res = await fetch(listUrl(f), { headers: { Authorization: `Bearer ${WRONG}` } });
    expect(res.status).toBe(200);
  });
});

describe.each(PROVEN_FOR_FREE)('%s: a normal test proves the key without a billed request', (type) => {
  it('a right key is ok, a wrong key is auth_failed', async () => {
    const f = await fake(type, { keys: [GOOD] });
    const good = await engine.checkKey(target(type, f.baseUrl), key(GOOD));
    expect(good.result, good.result.message).toMatchObject({ ok: true, error_class: null });
    expect(good.result.message).toMatch(/^key works/);
    expect(good.models).not.toBeNull();

    const bad = await engine.checkKey(target(type, f.baseUrl), key(WRONG));
    expect(bad.result, bad.result.message).toMatchObject({ ok: false, error_class: 'auth_failed' });
    expect(bad.models).toBeNull();
    expect((await engine.listModels(target(type, f.baseUrl), key(WRONG))).ok).toBe(false);
    expect(f.billed()).toEqual([]);
  });
});

describe('public model lists do not count as proof', () => {
  it.each(PUBLIC_LIST_TYPES.filter((t) => t !== 'nvidia'))('%s: a wrong key fails on the key proof, before any listing', async (type) => {
    const f = await fake(type, { keys: [GOOD] });
    const { result, models } = await engine.checkKey(target(type, f.baseUrl), key(WRONG));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 401 });
    expect(models).toBeNull();
    expect(f.requests.map((r) => r.path)).not.toContain(new URL(listUrl(f)).pathname);
  });

  it('OpenRouter: GET /api/v1/key proves the key, then the public list is read', async () => {
    const f = await fake('openrouter', { keys: [GOOD] });
    const { result, models } = await engine.checkKey(target('openrouter', f.baseUrl), key(GOOD));
    expect(result.ok).toBe(true);
    expect(f.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/key', 'GET /api/v1/models']);
    expect(f.requests[0]?.headers.authorization).toBe(`Bearer ${GOOD}`);
    expect(models?.map((m) => m.id)).toEqual(['openai/gpt-4o', 'meta-llama/llama-3.3-70b-instruct:free']);
  });

  it('NVIDIA: a wrong key is never reported as working; a deep test rejects it', async () => {
    const f = await fake('nvidia', { keys: [GOOD] });
    const plain = await engine.checkKey(target('nvidia', f.baseUrl), key(WRONG));
    expect(plain.result).toMatchObject({ ok: true, error_class: 'unsupported' });
    expect(plain.result.message).toMatch(/^key not verified/);
    expect(plain.result.message).not.toContain('key works');
    const deep = await engine.checkKey(target('nvidia', f.baseUrl), key(WRONG), { deep: true });
    expect(deep.result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 401 });
    expect(deep.result.message).toContain('Authentication failed');
  });

  it('a public list behind a server without the key-info call leaves the key unverified, never "works"', async () => {
    // An OpenRouter-compatible proxy that lists models for anyone but has no /api/v1/key.
    const proxy = await startOpenAiDialect(
      { ...PUBLIC_LISTING.openrouter!, extra: undefined, models: [openAiModel('openai/gpt-4o')] },
      { keys: [GOOD] },
    );
    try {
      const { result, models } = await engine.checkKey(target('openrouter', `${proxy.url}/api/v1`), key(WRONG));
      expect(result).toMatchObject({ ok: true, error_class: 'unsupported' });
      expect(result.message).toContain('/api/v1/key');
      expect(result.message).toContain('not verified');
      expect(models?.map((m) => m.id)).toEqual(['openai/gpt-4o']);
    } finally {
      await proxy.close();
    }
  });

  it('a listing that needs the key still proves it when a compatible server lacks the key-info call', async () => {
    // The generic fake has no /user/balance: its 404 leaves the (key-guarded) listing as the proof.
    const compatible = await startFakeProvider('openai', { keys: [GOOD] });
    try {
      const good = await engine.checkKey(target('deepseek', compatible.baseUrl), key(GOOD));
      expect(good.result).toMatchObject({ ok: true, error_class: null });
      expect(compatible.requests.map((r) => r.path)).toEqual(['/user/balance', '/v1/models']);
      const bad = await engine.checkKey(target('deepseek', compatible.baseUrl), key(WRONG));
      expect(bad.result.error_class).toBe('auth_failed');
    } finally {
      await compatible.close();
    }
  });
});

describe('billed-only proofs: a normal test sends no billed request and says the key is not verified', () => {
  const cases = [
    { type: 'nvidia', options: {}, proof: { path: '/v1/chat/completions', model: 'meta/llama-3.1-8b-instruct' }, billedForWrongKey: 1 },
    { type: 'voyage', options: {}, proof: { path: '/v1/embeddings', model: 'voyage-3.5-lite' }, billedForWrongKey: 1 },
    // A Perplexity key without access to the Router's (free) model list; a wrong key is refused there already.
    { type: 'perplexity', options: { routerKeys: [] }, proof: { path: '/chat/completions', model: 'sonar' }, billedForWrongKey: 0 },
  ];

  it.each(cases)('$type: plain test lists models but does not claim the key works', async ({ type, options }) => {
    const f = await fake(type, { keys: [GOOD], ...options });
    const { result, models } = await engine.checkKey(target(type, f.baseUrl), key(GOOD));
    expect(result).toMatchObject({ ok: true, error_class: 'unsupported', http_status: 200 });
    expect(result.message).toMatch(/^key not verified; \d+ models? available: /);
    expect(result.hint).toContain('deep test');
    expect(models?.length).toBeGreaterThan(0);
    expect(f.billed()).toEqual([]);
  });

  it.each(cases)(
    '$type: a deep test rejects a wrong key (with at most the one billed request)',
    async ({ type, options, billedForWrongKey }) => {
      const f = await fake(type, { keys: [GOOD], ...options });
      const bad = await engine.checkKey(target(type, f.baseUrl), key(WRONG), { deep: true });
      expect(bad.result).toMatchObject({ ok: false, error_class: 'auth_failed' });
      expect(f.billed()).toHaveLength(billedForWrongKey);
    },
  );

  it.each(cases)('$type: a deep test proves a right key with its cheapest model', async ({ type, options, proof }) => {
    const f = await fake(type, { keys: [GOOD], ...options });
    const { result } = await engine.checkKey(target(type, f.baseUrl), key(GOOD), { deep: true });
    expect(result, result.message).toMatchObject({ ok: true, error_class: null });
    expect(result.message).toMatch(/^key works/);
    expect(result.message).toContain(`${proof.model} answered`);
    expect(f.billed().map((r) => [r.path, JSON.parse(r.body).model])).toEqual([[proof.path, proof.model]]);
  });

  it('voyage and nvidia: a wrong key in a plain test is unverified too (no free call can tell), and nothing is billed', async () => {
    for (const type of ['voyage', 'nvidia']) {
      const f = await fake(type, { keys: [GOOD] });
      const { result } = await engine.checkKey(target(type, f.baseUrl), key(WRONG));
      expect(result).toMatchObject({ ok: true, error_class: 'unsupported' });
      expect(result.message).toContain('run a deep test');
      expect(f.billed()).toEqual([]);
    }
  });

  it('voyage: the message says only a billed request can prove the key', async () => {
    const f = await fake('voyage', { keys: [GOOD] });
    const { result } = await engine.checkKey(target('voyage', f.baseUrl), key(GOOD));
    expect(result.message).toContain('only a billed request can prove a Voyage key');
    expect(f.requests).toEqual([]);
  });

  it('perplexity: the Router list proves a key that has access, and lists its models; a deep test on a Router model uses the Router', async () => {
    const f = await fake('perplexity', { keys: [GOOD] });
    const { result, models } = await engine.checkKey(target('perplexity', f.baseUrl), key(GOOD), {
      deep: true,
      model: 'openai/gpt-oss-120b',
    });
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(models?.map((m) => m.id)).toEqual(['perplexity/sonar', 'openai/gpt-oss-120b']);
    expect(f.billed().map((r) => r.path)).toEqual(['/router/v1/chat/completions']);
  });

  it('perplexity: a wrong key is rejected by the free Router call (JSON or openresty HTML), with no billed request', async () => {
    for (const htmlErrors of [false, true]) {
      const f = await fake('perplexity', { keys: [GOOD], routerKeys: [], htmlErrors });
      const { result } = await engine.checkKey(target('perplexity', f.baseUrl), key(WRONG));
      expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 401 });
      expect(f.billed()).toEqual([]);
    }
  });
});

describe('each provider’s own wrong-key answer is auth_failed, with its message', () => {
  it.each([
    ['openai', 401, 'Incorrect API key provided'],
    ['anthropic', 401, 'invalid x-api-key'],
    ['gemini', 400, 'API key not valid'],
    ['azure', 401, 'Access denied due to invalid subscription key'],
    ['openrouter', 401, 'User not found.'],
    ['vercel', 401, 'Invalid API key'],
    ['cohere', 401, 'invalid api token'],
    ['mistral', 401, 'Unauthorized'],
    ['groq', 401, 'Invalid API Key'],
    ['deepseek', 401, 'Authentication Fails'],
    ['together', 401, 'Invalid API key provided'],
    ['xai', 400, 'Incorrect API key provided'],
    ['huggingface', 401, 'Invalid credentials in Authorization header'],
    ['replicate', 401, 'You did not pass a valid authentication token'],
    ['elevenlabs', 401, 'Invalid API key'],
    ['moonshot', 401, 'Invalid Authentication'],
    ['github', 401, 'Bad credentials'],
    ['vllm', 401, 'Unauthorized'],
    ['rits', 403, 'Authentication failed'],
  ])('%s answers %i "%s"', async (type, status, text) => {
    const f = await fake(type, { keys: [GOOD] });
    const { result } = await engine.checkKey(target(type, f.baseUrl), key(WRONG));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: status });
    expect(result.message).toContain(text);
    expect(result.hint).toContain('key was rejected');
    expect(`${result.message} ${result.hint}`).not.toContain(WRONG);
  });
});

describe('classifying the answers that are not a plain 401', () => {
  const classify = (status: number, body: unknown) =>
    classifyHttpFailure({
      status,
      headers: {},
      text: typeof body === 'string' ? body : JSON.stringify(body),
      path: '/v1/x',
      purpose: 'check',
      scrubber: new SecretScrubber(),
    }).errorClass;

  const googleWrongKey = {
    error: {
      code: 400,
      message: 'API Key not found. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    },
  };
  it.each([
    {
      name: 'xAI 400 with a string error',
      status: 400,
      body: { code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***23.' },
      expected: 'auth_failed',
    },
    { name: 'Gemini 400 API_KEY_INVALID wrapped in an array', status: 400, body: [googleWrongKey], expected: 'auth_failed' },
    { name: 'a 3scale gateway’s plain-text 403', status: 403, body: 'Authentication failed', expected: 'auth_failed' },
    {
      name: 'a wrong Bedrock API key',
      status: 403,
      body: { Message: 'Authentication failed: Please make sure your API Key is valid.' },
      expected: 'auth_failed',
    },
    {
      name: 'NVIDIA 403 problem+json (no permission)',
      status: 403,
      body: { status: 403, title: 'Forbidden', detail: 'Authorization failed' },
      expected: 'forbidden',
    },
    {
      name: 'ElevenLabs missing_permissions',
      status: 401,
      body: { detail: { status: 'missing_permissions', message: 'missing the permission user_read' } },
      expected: 'forbidden',
    },
    {
      name: 'ElevenLabs invalid_api_key',
      status: 401,
      body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } },
      expected: 'auth_failed',
    },
    {
      name: 'a 400 about something else',
      status: 400,
      body: { error: { message: 'max_tokens is too large' } },
      expected: 'invalid_response',
    },
  ])('$name → $expected', ({ status, body, expected }) => {
    expect(classify(status, body)).toBe(expected);
  });
});

describe('key-info answers', () => {
  it('xAI: a disabled or blocked key fails even though xAI knows it; a blocked team is forbidden', async () => {
    const disabled = await fake('xai', { keys: [GOOD], xaiKey: { api_key_disabled: true } });
    const a = await engine.checkKey(target('xai', disabled.baseUrl), key(GOOD));
    expect(a.result).toMatchObject({ ok: false, error_class: 'auth_failed' });
    expect(a.result.message).toContain('disabled');
    const team = await fake('xai', { keys: [GOOD], xaiKey: { team_blocked: true } });
    const b = await engine.checkKey(target('xai', team.baseUrl), key(GOOD));
    expect(b.result).toMatchObject({ ok: false, error_class: 'forbidden' });
  });

  it('DeepSeek: an account without usable balance fails as quota_exceeded, and shows the balance', async () => {
    const f = await fake('deepseek', {
      keys: [GOOD],
      deepseekBalance: { is_available: false, balance_infos: [{ currency: 'USD', total_balance: '0.00' }] },
    });
    const { result } = await engine.checkKey(target('deepseek', f.baseUrl), key(GOOD));
    expect(result).toMatchObject({ ok: false, error_class: 'quota_exceeded' });
    expect(result.headroom).toMatchObject({ credit_remaining: 0, currency: 'USD' });
  });

  it('Moonshot: no available balance fails as quota_exceeded', async () => {
    const f = await fake('moonshot', { keys: [GOOD], moonshotBalance: { code: 0, data: { available_balance: -1.5 }, status: true } });
    const { result } = await engine.checkKey(target('moonshot', f.baseUrl), key(GOOD));
    expect(result).toMatchObject({ ok: false, error_class: 'quota_exceeded' });
    expect(result.headroom?.credit_remaining).toBe(-1.5);
  });

  it('ElevenLabs: the key goes only in xi-api-key; a key without user_read is still proven', async () => {
    const f = await fake('elevenlabs', { keys: [GOOD], restrictedKeys: ['restricted-key-0123456789'] });
    const { result, models } = await engine.checkKey(target('elevenlabs', f.baseUrl), key('restricted-key-0123456789'));
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(models?.map((m) => m.id)).toEqual(['eleven_multilingual_v2', 'eleven_turbo_v2_5']);
    expect(f.requests.map((r) => r.path)).toEqual(['/v1/user/subscription', '/v1/models']);
    expect(f.requests.every((r) => r.headers.authorization === undefined && r.headers['xi-api-key'] === 'restricted-key-0123456789')).toBe(
      true,
    );
  });

  it('GitHub: an App installation token that may not read /user (403) is still proven', async () => {
    const f = await fake('github', { keys: [GOOD], restrictedKeys: ['ghs_installation0123456789'] });
    const { result } = await engine.checkKey(target('github', f.baseUrl), key('ghs_installation0123456789'));
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(f.requests.map((r) => r.path)).toEqual(['/user', '/catalog/models']);
  });

  it('Cohere: check-api-key answering valid: false rejects the key', async () => {
    const server = await startFakeServer({
      route: (req) => (req.path === '/v1/check-api-key' ? reply(200, { valid: false }) : reply(200, { models: [] })),
    });
    try {
      const { result } = await engine.checkKey(target('cohere', server.url), key(GOOD));
      expect(result).toMatchObject({ ok: false, error_class: 'auth_failed' });
      expect(result.message).toContain('valid: false');
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/check-api-key']);
    } finally {
      await server.close();
    }
  });

  it('Ollama: keyless; behind an auth proxy a wrong key is auth_failed', async () => {
    const open = await fake('ollama');
    expect((await engine.checkKey(target('ollama', open.baseUrl), key(null, null, null))).result).toMatchObject({ ok: true, key_id: null });
    const guarded = await fake('ollama', { proxyKeys: [GOOD] });
    expect((await engine.checkKey(target('ollama', guarded.baseUrl), key(GOOD))).result.ok).toBe(true);
    expect((await engine.checkKey(target('ollama', guarded.baseUrl), key(WRONG))).result.error_class).toBe('auth_failed');
  });
});
