import { describe, expect, it } from 'vitest';
import { FAKE_AWS, makeServiceAccount, rsaKeyPair } from '../../fakes/providers.js';
import { key, target, useProbeEngine } from './helpers.js';

const { engine, fake } = useProbeEngine();

function ids(models: { id: string }[] | null): string[] {
  return (models ?? []).map((m) => m.id);
}

describe('openai family', () => {
  it('lists models with a good key and sends it as a Bearer token', async () => {
    const f = await fake('openai', { keys: ['sk-good'] });
    const { result, models } = await engine.checkKey(target('openai', f.baseUrl), key('sk-good'));
    expect(result).toMatchObject({ ok: true, error_class: null, key_id: 'key-1', http_status: 200 });
    expect(ids(models)).toEqual(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small', 'whisper-1', 'dall-e-3']);
    expect(f.requests[0]?.headers.authorization).toBe('Bearer sk-good');
    expect(new Date(result.checked_at).toISOString()).toBe(result.checked_at);
    const caps = Object.fromEntries((models ?? []).map((m) => [m.id, m.capabilities]));
    expect(caps).toMatchObject({
      'gpt-4o': ['chat'],
      'text-embedding-3-small': ['embedding'],
      'whisper-1': ['audio'],
      'dall-e-3': ['image'],
    });
    expect(models?.[0]).toMatchObject({ key_id: 'key-1', owned_by: 'system', fetched_at: result.checked_at });
  });

  it('accepts a base URL written without /v1 (tries /models, then /v1/models)', async () => {
    const f = await fake('openai');
    const { result, models } = await engine.checkKey(target('openai', f.url), key('test-key'));
    expect(result.ok).toBe(true);
    expect(models).toHaveLength(5);
    expect(f.requests.map((r) => r.path)).toEqual(['/models', '/v1/models']);
  });

  it('reads OpenRouter and Mistral metadata for capabilities and context', async () => {
    const f = await fake('openai', {
      rawModels: [
        {
          id: 'openai/gpt-4o',
          name: 'OpenAI: GPT-4o',
          context_length: 128000,
          architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
          supported_parameters: ['tools', 'max_tokens'],
        },
        {
          id: 'mistral-large-latest',
          owned_by: 'mistralai',
          max_context_length: 131072,
          capabilities: { completion_chat: true, function_calling: true, vision: false },
        },
        { id: 'mistral-embed', owned_by: 'mistralai', capabilities: { completion_chat: false } },
      ],
    });
    const { models } = await engine.checkKey(target('openrouter', f.baseUrl), key('test-key'));
    expect(models?.[0]).toMatchObject({
      id: 'openai/gpt-4o',
      display_name: 'OpenAI: GPT-4o',
      capabilities: ['chat', 'vision', 'tools'],
      context_window: 128000,
    });
    expect(models?.[1]).toMatchObject({ capabilities: ['chat', 'tools'], context_window: 131072, owned_by: 'mistralai' });
    expect(models?.[2]?.capabilities).toEqual(['embedding']);
  });

  it('deep-tests a model with a one-token chat completion', async () => {
    const f = await fake('openai');
    const { result } = await engine.checkKey(target('openai', f.baseUrl), key('test-key'), { deep: true, model: 'gpt-4o-mini' });
    expect(result.ok).toBe(true);
    expect(result.message).toContain('gpt-4o-mini answered');
    const chat = f.requests.find((r) => r.path === '/v1/chat/completions');
    expect(JSON.parse(chat?.body ?? '{}')).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 1 });
  });

  it('serves custom providers through their base type, with list path overrides and keyless mode', async () => {
    const f = await fake('openai');
    const custom = {
      is_key_less: true,
      base_provider_type: 'openai' as const,
      allowed_requests: null,
      request_path_overrides: { list_models: '/v1/models' },
    };
    const { result, models } = await engine.checkKey(target('openai-compat', f.url, { custom }), key('ignored-secret'));
    expect(result.error_class).toBe('auth_failed'); // the fake requires a key: proves no key was sent
    expect(f.requests[0]?.headers.authorization).toBeUndefined();
    expect(f.requests[0]?.path).toBe('/v1/models');
    expect(models).toBeNull();

    const withKey = { ...custom, is_key_less: false };
    const ok = await engine.checkKey(target('openai-compat', f.url, { custom: withKey }), key('test-key'));
    expect(ok.result.ok).toBe(true);
  });
});

describe('together, rits, github, elevenlabs, ollama', () => {
  it('together: bare array with type, display_name and organization', async () => {
    const f = await fake('together');
    const { result, models } = await engine.checkKey(target('together', f.baseUrl), key('test-key'));
    expect(result.ok).toBe(true);
    expect(models?.map((m) => [m.id, m.capabilities[0], m.owned_by])).toEqual([
      ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'chat', 'meta-llama'],
      ['BAAI/bge-large-en-v1.5', 'embedding', 'BAAI'],
      ['black-forest-labs/FLUX.1-schnell', 'image', 'black-forest-labs'],
    ]);
  });

  it('rits: sends the key in RITS_API_KEY, not Authorization', async () => {
    const f = await fake('rits', { keys: ['rits-secret'] });
    const { result } = await engine.checkKey(target('rits', f.baseUrl), key('rits-secret'));
    expect(result.ok).toBe(true);
    expect(f.requests[0]?.headers.rits_api_key).toBe('rits-secret');
    expect(f.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('github: maps …/inference to /catalog/models and reads modalities', async () => {
    const f = await fake('github');
    const { result, models } = await engine.checkKey(target('github', f.baseUrl), key('test-key'));
    expect(result.ok).toBe(true);
    // GET /user proves the token first (this fake has no /user: test/core/probe/key-proof.test.ts covers it).
    expect(f.requests.map((r) => r.path)).toEqual(['/user', '/catalog/models']);
    expect(f.requests[1]?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(models?.find((m) => m.id === 'openai/gpt-4.1')).toMatchObject({
      capabilities: ['chat', 'vision', 'tools'],
      context_window: 131072,
      owned_by: 'openai',
    });
    expect(models?.find((m) => m.id === 'openai/text-embedding-3-large')?.capabilities).toEqual(['embedding']);
    const deep = await engine.checkKey(target('github', f.baseUrl), key('test-key'), { deep: true, model: 'openai/gpt-4.1' });
    expect(deep.result.ok).toBe(true);
    expect(f.requests.at(-1)?.path).toBe('/inference/chat/completions');
  });

  it('elevenlabs: xi-api-key header and a bare array', async () => {
    const f = await fake('elevenlabs', { keys: ['sk_el'] });
    const { result, models } = await engine.checkKey(target('elevenlabs', f.url), key('sk_el'));
    expect(result.ok).toBe(true);
    expect(f.requests[0]?.headers['xi-api-key']).toBe('sk_el');
    expect(models?.map((m) => m.capabilities)).toEqual([['audio'], ['audio']]);
  });

  it('ollama: keyless /api/tags, also when the base URL ends in /v1', async () => {
    const f = await fake('ollama');
    const t = target('ollama', `${f.url}/v1`, { network: { ...target('ollama', '').network, allow_private_network: true } });
    const { result, models } = await engine.checkKey(t, key(null, null, null));
    expect(result).toMatchObject({ ok: true, key_id: null });
    expect(f.requests[0]?.path).toBe('/api/tags');
    expect(f.requests[0]?.headers.authorization).toBeUndefined();
    expect(models?.find((m) => m.id === 'nomic-embed-text:latest')?.capabilities).toEqual(['embedding']);
    expect(models?.find((m) => m.id === 'llava:7b')?.capabilities).toEqual(['chat', 'vision']);
  });
});

describe('paginated families follow every page', () => {
  const many = Array.from({ length: 7 }, (_, i) => `model-${i}`);

  it('anthropic: x-api-key, anthropic-version, limit=1000 and after_id=last_id while has_more', async () => {
    const f = await fake('anthropic', { keys: ['sk-ant-good'], models: many, pageSize: 3 });
    const { result, models } = await engine.checkKey(target('anthropic', `${f.url}/v1`), key('sk-ant-good'));
    expect(result.ok).toBe(true);
    expect(ids(models)).toEqual(many);
    expect(f.requests.map((r) => r.query)).toEqual([
      { limit: '1000' },
      { limit: '1000', after_id: 'model-2' },
      { limit: '1000', after_id: 'model-5' },
    ]);
    expect(f.requests[0]?.headers).toMatchObject({ 'x-api-key': 'sk-ant-good', 'anthropic-version': '2023-06-01' });
  });

  it('gemini: x-goog-api-key (never ?key=) and pageToken, base with or without /v1beta', async () => {
    const f = await fake('gemini', { keys: ['AIza-good'], models: many, pageSize: 4 });
    for (const base of [f.url, `${f.url}/v1beta`]) {
      const { result, models } = await engine.checkKey(target('gemini', base), key('AIza-good'));
      expect(result.ok).toBe(true);
      expect(ids(models)).toEqual(many);
    }
    expect(f.requests).toHaveLength(4);
    expect(f.requests.every((r) => r.path === '/v1beta/models' && r.query.pageSize === '1000' && !('key' in r.query))).toBe(true);
    expect(f.requests[1]?.query.pageToken).toBeTruthy();
    expect(f.requests[0]?.headers['x-goog-api-key']).toBe('AIza-good');
  });

  it('gemini: capabilities from supportedGenerationMethods, deep test with maxOutputTokens 1', async () => {
    const f = await fake('gemini');
    const { models } = await engine.checkKey(target('gemini', f.url), key('test-key'));
    expect(models?.find((m) => m.id === 'gemini-2.0-flash')).toMatchObject({ capabilities: ['chat', 'vision'], context_window: 1048576 });
    expect(models?.find((m) => m.id === 'text-embedding-004')?.capabilities).toEqual(['embedding']);
    const deep = await engine.checkKey(target('gemini', f.url), key('test-key'), { deep: true, model: 'models/gemini-2.0-flash' });
    expect(deep.result.ok).toBe(true);
    const request = f.requests.at(-1);
    expect(request?.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(JSON.parse(request?.body ?? '{}').generationConfig).toEqual({ maxOutputTokens: 1 });
    const missing = await engine.checkKey(target('gemini', f.url), key('test-key'), { deep: true, model: 'gemini-nope' });
    expect(missing.result).toMatchObject({ ok: false, error_class: 'not_found', http_status: 404 });
    expect(missing.result.message).toContain('check the model name');
    expect(missing.models).toHaveLength(3);
  });

  it('cohere: page_size=1000 and page_token from next_page_token', async () => {
    const f = await fake('cohere', { models: [...many, 'embed-v4.0', 'rerank-v3.5'], pageSize: 4 });
    const { result, models } = await engine.checkKey(target('cohere', `${f.url}/v2`), key('test-key'));
    expect(result.ok).toBe(true);
    expect(models).toHaveLength(9);
    // POST /v1/check-api-key comes first (this fake has none; the key-guarded listing proves the key instead).
    const pages = f.requests.filter((r) => r.path === '/v1/models');
    expect(pages.map((r) => r.query.page_token ?? null)).toHaveLength(3);
    expect(pages[0]?.query.page_size).toBe('1000');
    expect(models?.find((m) => m.id === 'embed-v4.0')?.capabilities).toEqual(['embedding']);
    expect(models?.find((m) => m.id === 'rerank-v3.5')?.capabilities).toEqual(['rerank']);
    expect(models?.find((m) => m.id === 'model-0')?.capabilities).toEqual(['chat', 'tools']);
  });

  it('vertex: signs an RS256 JWT, exchanges it at the token_uri, pages publisher models', async () => {
    const f = await fake('vertex', { models: many, pageSize: 3 });
    const t = target('vertex', f.url, { settings: f.settings });
    const { result, models } = await engine.checkKey(t, key(f.serviceAccountJson));
    expect(result.ok).toBe(true);
    expect(ids(models)).toEqual(many);
    const [tokenCall, projectCall, ...listCalls] = f.requests;
    expect(tokenCall?.path).toBe('/token');
    expect(projectCall?.path).toBe('/v1/projects/fake-project/locations/us-central1/endpoints');
    expect(new URLSearchParams(tokenCall?.body).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(listCalls.map((r) => r.path)).toEqual(Array(3).fill('/v1beta1/publishers/google/models'));
    expect(listCalls[0]?.query.pageSize).toBe('100');
    expect(listCalls[1]?.query.pageToken).toBeTruthy();
    expect(f.tokens.has((listCalls[0]?.headers.authorization ?? '').replace('Bearer ', ''))).toBe(true);
  });

  it('vertex: a JWT signed with another key is rejected by the token endpoint → auth_failed', async () => {
    const f = await fake('vertex');
    const forged = makeServiceAccount(`${f.url}/token`, rsaKeyPair().privateKeyPem);
    const { result } = await engine.checkKey(target('vertex', f.url, { settings: f.settings }), key(forged));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 400 });
    expect(result.message).toContain('/token');
    expect(result.message).not.toContain('PRIVATE KEY');
  });

  it('vertex: the service account may come from settings; missing → missing_credentials', async () => {
    const f = await fake('vertex');
    const fromSettings = await engine.checkKey(
      target('vertex', f.url, { settings: { ...f.settings, auth_credentials: JSON.parse(f.serviceAccountJson ?? '{}') } }),
      key(null),
    );
    expect(fromSettings.result.ok).toBe(true);
    const none = await engine.checkKey(target('vertex', f.url, { settings: f.settings }), key(null));
    expect(none.result.error_class).toBe('missing_credentials');
    const deep = await engine.checkKey(target('vertex', f.url, { settings: f.settings }), key(f.serviceAccountJson), {
      deep: true,
      model: 'gemini-2.0-flash-001',
    });
    expect(deep.result.ok).toBe(true);
    expect(f.requests.at(-1)?.path).toBe(
      '/v1/projects/fake-project/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent',
    );
  });

  it('watsonx: IAM apikey exchange, then foundation_model_specs following next.href, withdrawn dropped', async () => {
    const f = await fake('watsonx', { keys: ['ibm-key'], models: many, withdrawnModels: ['ibm/granite-13b-chat-v2'], pageSize: 3 });
    const { result, models } = await engine.checkKey(target('watsonx', f.url, { settings: f.settings }), key('ibm-key'));
    expect(result.ok).toBe(true);
    expect(ids(models)).toEqual(many);
    const [iam, projectCheck, ...specs] = f.requests;
    expect(iam).toMatchObject({ method: 'POST', path: '/identity/token' });
    expect(projectCheck).toMatchObject({ path: '/ml/v4/deployments', query: { project_id: 'fake-project' } });
    expect(Object.fromEntries(new URLSearchParams(iam?.body))).toEqual({
      grant_type: 'urn:ibm:params:oauth:grant-type:apikey',
      apikey: 'ibm-key',
    });
    expect(specs.map((r) => r.query.start ?? '0')).toEqual(['0', '3', '6']);
    expect(specs[0]?.query).toMatchObject({ version: '2024-05-01', limit: '200' });
    const bad = await engine.checkKey(target('watsonx', f.url, { settings: f.settings }), key('wrong-ibm-key'));
    expect(bad.result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 400 });
    expect(bad.result.message).toContain('Provided API key could not be found');
  });
});

describe('azure', () => {
  it('uses the api-key header, lists deployments and maps them to base-model capabilities', async () => {
    const f = await fake('azure', { keys: ['azkey'], deployments: { 'chat-prod': 'gpt-4o', emb: 'text-embedding-3-large' } });
    const { result, models } = await engine.checkKey(target('azure', '', { settings: { endpoint: `${f.url}/openai` } }), key('azkey'));
    expect(result.ok).toBe(true);
    expect(models?.map((m) => [m.id, m.display_name, m.capabilities])).toEqual([
      ['chat-prod', 'chat-prod (gpt-4o)', ['chat']],
      ['emb', 'emb (text-embedding-3-large)', ['embedding']],
    ]);
    expect(f.requests.map((r) => [r.path, r.query['api-version']])).toEqual([
      ['/openai/models', '2024-10-21'],
      ['/openai/deployments', '2023-03-15-preview'],
    ]);
    expect(f.requests[0]?.headers['api-key']).toBe('azkey');
  });

  it('falls back to configured deployments when the deployments API is retired, api_version from key config', async () => {
    const f = await fake('azure', { deploymentsRetired: true });
    const keyConfig = { azure_key_config: { endpoint: f.url, api_version: '2025-01-01-preview', deployments: { 'gpt-4o': 'my-4o' } } };
    const { result, models } = await engine.checkKey(target('azure', ''), key('test-key', keyConfig));
    expect(result.ok).toBe(true);
    expect(ids(models)).toEqual(['my-4o']);
    expect(f.requests[0]?.query['api-version']).toBe('2025-01-01-preview');
  });

  it('without any deployment, lists the base models', async () => {
    const f = await fake('azure', { deploymentsRetired: true });
    const { models } = await engine.checkKey(target('azure', f.url), key('test-key'));
    expect(ids(models)).toEqual(['gpt-4o', 'text-embedding-3-large']);
  });
});

describe('bedrock', () => {
  it('signs with SigV4 (the fake recomputes the signature) and reads modalities', async () => {
    const f = await fake('bedrock', { aws: { ...FAKE_AWS, sessionToken: 'session-tok', region: 'eu-west-1' } });
    const settings = {
      region: 'eu-west-1',
      access_key: FAKE_AWS.accessKeyId,
      access_key_secret: FAKE_AWS.secretAccessKey,
      session_token: 'session-tok',
    };
    const { result, models } = await engine.checkKey(target('bedrock', f.url, { settings }), key(null));
    expect(result.ok).toBe(true);
    const request = f.requests[0];
    expect(request?.path).toBe('/foundation-models');
    expect(request?.query).toEqual({});
    expect(request?.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${FAKE_AWS.accessKeyId}/\\d{8}/eu-west-1/bedrock/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-date[^,]*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(request?.headers['x-amz-security-token']).toBe('session-tok');
    expect(models?.find((m) => m.id.startsWith('anthropic.'))).toMatchObject({ capabilities: ['chat', 'vision'], owned_by: 'anthropic' });
  });

  it('a wrong secret access key fails the signature check → auth_failed without leaking the secret', async () => {
    const f = await fake('bedrock');
    const keyConfig = {
      bedrock_key_config: { access_key: FAKE_AWS.accessKeyId, secret_key: 'WRONGsecretWRONGsecret1234', region: 'us-east-1' },
    };
    const { result } = await engine.checkKey(target('bedrock', f.url), key(null, keyConfig));
    expect(result).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 403 });
    expect(result.message).not.toContain('WRONGsecret');
    const unknown = await engine.checkKey(
      target('bedrock', f.url),
      key(null, { access_key: 'AKIAUNKNOWN000000000', access_key_secret: 'x'.repeat(40) }),
    );
    expect(unknown.result.error_class).toBe('auth_failed');
    expect(unknown.result.message).toContain('security token included in the request is invalid');
  });

  it('a Bedrock API key goes as Bearer; no credentials at all → missing_credentials', async () => {
    const f = await fake('bedrock', { keys: ['bedrock-api-key'] });
    const { result } = await engine.checkKey(target('bedrock', f.url), key('bedrock-api-key'));
    expect(result.ok).toBe(true);
    expect(f.requests[0]?.headers.authorization).toBe('Bearer bedrock-api-key');
    // An environment without AWS variables or shared files (the deep test and the chain: bedrock.test.ts).
    const none = await engine.checkKey(target('bedrock', f.url, { env: { HOME: '/nonexistent/provider-desk-home' } }), key(null));
    expect(none.result).toMatchObject({ ok: false, error_class: 'missing_credentials' });
    expect(f.requests).toHaveLength(1);
  });
});

describe('families without a list endpoint', () => {
  it('replicate: GET /account proves the token; an empty model list is the answer', async () => {
    const f = await fake('replicate', { keys: ['r8_good'] });
    const { result, models } = await engine.checkKey(target('replicate', f.baseUrl), key('r8_good'));
    expect(result.ok).toBe(true);
    expect(models).toEqual([]);
    expect(f.requests[0]?.path).toBe('/v1/account');
    const listed = await engine.listModels(target('replicate', f.baseUrl), key('r8_good'));
    expect(listed).toEqual({ ok: true, models: [] });
    const bad = await engine.listModels(target('replicate', f.baseUrl), key('r8_bad'));
    expect(bad.ok).toBe(false);
  });

  it('voyage: the static list; only a deep test (a one-word embedding, billed) proves the key', async () => {
    const f = await fake('voyage', { keys: ['pa-good'] });
    const { result, models } = await engine.checkKey(target('voyage', f.baseUrl), key('pa-good'));
    expect(result).toMatchObject({ ok: true, error_class: 'unsupported' });
    expect(f.requests).toEqual([]);
    const deep = await engine.checkKey(target('voyage', f.baseUrl), key('pa-good'), { deep: true });
    expect(deep.result).toMatchObject({ ok: true, error_class: null });
    expect(JSON.parse(f.requests[0]?.body ?? '{}')).toEqual({ input: ['hello'], model: 'voyage-3.5-lite' });
    expect(models?.some((m) => m.id === 'rerank-2.5' && m.capabilities.includes('rerank'))).toBe(true);
    expect(models?.every((m) => m.capabilities.includes('embedding') || m.capabilities.includes('rerank'))).toBe(true);
  });

  it('perplexity: without the Router list, the documented models; a deep test on a chosen model proves the key', async () => {
    // This fake has no Router (/router/v1/models answers 404): the key cannot be proven for free.
    const f = await fake('perplexity', { keys: ['pplx-good'] });
    const { result, models } = await engine.checkKey(target('perplexity', f.url), key('pplx-good'), { deep: true, model: 'sonar-pro' });
    expect(result).toMatchObject({ ok: true, error_class: null });
    expect(f.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /router/v1/models', 'POST /chat/completions']);
    expect(JSON.parse(f.requests[1]?.body ?? '{}')).toMatchObject({ model: 'sonar-pro', max_tokens: 1 });
    expect(ids(models)).toContain('sonar-reasoning-pro');
    const bad = await engine.checkKey(target('perplexity', f.url), key('pplx-bad'), { deep: true });
    expect(bad.result.error_class).toBe('auth_failed');
  });

  it('runway: GET /v1/organization with X-Runway-Version; models from the tier', async () => {
    const f = await fake('runway', { keys: ['key_good'], models: ['gen4_turbo', 'act_two'] });
    const { result, models } = await engine.checkKey(target('runway', f.baseUrl), key('key_good'));
    expect(result.ok).toBe(true);
    expect(f.requests[0]?.headers['x-runway-version']).toBe('2024-11-06');
    expect(ids(models)).toEqual(['gen4_turbo', 'act_two']);
  });
});
