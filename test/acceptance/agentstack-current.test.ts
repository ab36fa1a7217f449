/**
 * Acceptance: the Agent Stack surface's `match` as Agent Stack's current SDK calls it
 * (`ModelProvider.match`: `POST /api/v1/model_providers/match` with `{suggested_models, capability}`, reading `items`)
 * and as its server scores (service `match_models`, unit tests `test_model_provider_match.py`), with providers created
 * the way its CLI (`agentstack model setup`) creates them. Scores are CPython's; notes in docs/peers/agentstack.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { matchScores } from '../../src-main/core/http/surfaces/agentstack/match.js';

const MP = '/api/v1/model_providers';
const OPENAI_KEY = 'sk-agentstack-current-0001';
const ANTHROPIC_KEY = 'sk-ant-agentstack-current-0001';
const GEMINI_KEY = 'AIza-agentstack-current-0001';
const COMPAT_KEY = 'compat-agentstack-current-0001';

let t: TestServer;
const fakes: FakeProvider[] = [];

/** The SDK authenticates with Basic (any user, the token as password) and sends JSON. */
function as(path: string, init: RequestInit & { json?: unknown } = {}) {
  const basic = `Basic ${Buffer.from(`agentstack:${t.token}`).toString('base64')}`;
  return t.request(path, { ...init, noAuth: true, headers: { authorization: basic, ...(init.headers as object) } });
}

/** `ModelProvider.create` from the SDK: all seven keys, the unset ones as explicit null. */
async function createProvider(type: string, baseUrl: string, apiKey: string) {
  const res = await as(MP, {
    method: 'POST',
    json: { name: null, description: null, type, base_url: baseUrl, watsonx_project_id: null, watsonx_space_id: null, api_key: apiKey },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** `ModelProvider.match` from the SDK: no score_cutoff unless a test needs one; the SDK reads only `items`. */
async function match(suggested: string[] | null, capability: 'llm' | 'embedding', extra: Record<string, unknown> = {}) {
  const res = await as(`${MP}/match`, { method: 'POST', json: { suggested_models: suggested, capability, ...extra } });
  expect(res.status, res.text).toBe(200);
  return res.body.items as Array<{ model_id: string; score: number }>;
}

function scoreOf(items: Array<{ model_id: string; score: number }>, id: string): number | undefined {
  return items.find((i) => i.model_id === id)?.score;
}

beforeAll(async () => {
  t = await startTestServer();
  const [gemini, openai, anthropic, ollama, compat] = await Promise.all([
    startFakeProvider('gemini', { keys: [GEMINI_KEY], models: ['gemini-2.5-pro', 'gemini-embedding-001'] }),
    startFakeProvider('openai', { keys: [OPENAI_KEY], models: ['gpt-3.5-turbo', 'gpt-4', 'gpt-4o', 'gpt-4o-mini'] }),
    startFakeProvider('anthropic', { keys: [ANTHROPIC_KEY], models: ['claude-3-5-sonnet'] }),
    startFakeProvider('ollama', { models: ['granite3.3:8b', 'nomic-embed-text:latest'] }),
    startFakeProvider('openai', { keys: [COMPAT_KEY], models: ['m'] }),
  ]);
  fakes.push(gemini, openai, anthropic, ollama, compat);
  // The base URLs the CLI sends for each type (its defaults, pointed at the fakes).
  await createProvider('gemini', `${gemini.url}/v1beta/openai`, GEMINI_KEY);
  await createProvider('openai', openai.baseUrl, OPENAI_KEY);
  await createProvider('anthropic', `${anthropic.url}/v1`, ANTHROPIC_KEY);
  await createProvider('ollama', `${ollama.url}/v1`, 'dummy');
  await createProvider('other', compat.baseUrl, COMPAT_KEY);
});
afterAll(async () => {
  await t.close();
  await Promise.all(fakes.map((f) => f.close()));
});

describe('Agent Stack current: model ids as Agent Stack names them', () => {
  it('names Gemini models "gemini:models/<name>", the CLI recommended default, so an exact match scores 1.0', async () => {
    const llm = await match(['gemini:models/gemini-2.5-pro'], 'llm');
    expect(llm[0]).toEqual({ model_id: 'gemini:models/gemini-2.5-pro', score: 1.0 });
    const embedding = await match(['gemini:models/gemini-embedding-001'], 'embedding');
    expect(embedding[0]).toEqual({ model_id: 'gemini:models/gemini-embedding-001', score: 1.0 });
    expect(scoreOf(llm, 'gemini:gemini-2.5-pro')).toBeUndefined();
  });

  it('keeps every other family\'s listing id as it is: "<type>:<id>" (ollama tags, anthropic ids, other)', async () => {
    expect((await match(['ollama:granite3.3:8b'], 'llm'))[0]).toEqual({ model_id: 'ollama:granite3.3:8b', score: 1.0 });
    expect((await match(['ollama:nomic-embed-text:latest'], 'embedding'))[0]).toEqual({
      model_id: 'ollama:nomic-embed-text:latest',
      score: 1.0,
    });
    expect((await match(['anthropic:claude-3-5-sonnet'], 'llm'))[0]).toEqual({ model_id: 'anthropic:claude-3-5-sonnet', score: 1.0 });
    expect((await match(['openai:gpt-4o'], 'llm'))[0]).toEqual({ model_id: 'openai:gpt-4o', score: 1.0 });
  });
});

describe('Agent Stack current: scores rounded as Agent Stack rounds them', () => {
  // [available model, suggestion, CPython round(0.5 + SequenceMatcher(None, model, suggestion).ratio() / 2, 2)]
  const vectors: Array<[string, string, number]> = [
    ['gemini:models/gemini-2.5-pro', 'gemini-2.5-pro', 0.83],
    ['openai:gpt-3.5-turbo', 'gpt-3.5', 0.76],
    ['openai:gpt-4', 'gpt-4o', 0.78],
    ['openai:gpt-4o-mini', 'gpt-4o', 0.75],
    ['openai:gpt-3.5-turbo', 'openai:gpt-4', 0.84],
    ['openai:gpt-4o', 'openai:gpt-4o-mini', 0.92],
    ['ollama:granite3.3:8b', 'granite3.3:8b', 0.89],
  ];
  for (const [model, suggestion, expected] of vectors) {
    it(`${model} for "${suggestion}" → ${expected}`, async () => {
      expect(scoreOf(await match([suggestion], 'llm'), model)).toBe(expected);
    });
  }

  it('drops a model at or below the cutoff (anthropic:claude-3-5-sonnet for "gpt-3.5": r 0.235)', async () => {
    expect(scoreOf(await match(['gpt-3.5'], 'llm'), 'anthropic:claude-3-5-sonnet')).toBeUndefined();
  });

  it('rounds an exact half to even like Python: 0.625 → 0.62 (r = 0.25, reachable below the default cutoff)', async () => {
    // other:m against "otXXXXXXX": one common block "ot", 2·2 / (7 + 9) = 0.25.
    expect(scoreOf(await match(['otXXXXXXX'], 'llm', { score_cutoff: 0.2 }), 'other:m')).toBe(0.62);
  });

  it('returns every score with at most two decimals, ordered by the exact score then id', async () => {
    const items = await match(['gpt-4o', 'gemini-2.5-pro', 'granite'], 'llm');
    expect(items.length).toBeGreaterThan(3);
    for (const { score } of items) expect(Math.round(score * 100) / 100).toBe(score);
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('Agent Stack current: match without suggestions', () => {
  it('suggested_models null or [] → only the configured default model; none is configured, so items is []', async () => {
    for (const capability of ['llm', 'embedding'] as const) {
      for (const suggested of [null, []]) {
        const res = await as(`${MP}/match`, { method: 'POST', json: { suggested_models: suggested, capability } });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ items: [], total_count: 0, has_more: false, next_page_token: null });
      }
    }
  });
});

describe("Agent Stack current: the match algorithm against Agent Stack's own unit tests", () => {
  const available = ['openai:gpt-4o', 'openai:gpt-4o-mini', 'anthropic:claude-3-5-sonnet'];

  it('no suggestions with a default → exactly [{default, 0.5}]; without a default → []', async () => {
    expect(await matchScores(null, available, 0.4, 'openai:gpt-4o')).toEqual([{ model_id: 'openai:gpt-4o', score: 0.5 }]);
    expect(await matchScores([], available, 0.4, 'openai:gpt-4o')).toEqual([{ model_id: 'openai:gpt-4o', score: 0.5 }]);
    expect(await matchScores(null, available, 0.4, null)).toEqual([]);
  });

  it('an exact suggestion scores 1.0; a partial one between 0.5 and 1', async () => {
    const exact = await matchScores(['openai:gpt-4o-mini'], available, 0.4);
    expect(exact[0]).toEqual({ model_id: 'openai:gpt-4o-mini', score: 1.0 });
    const partial = exact.find((i) => i.model_id === 'openai:gpt-4o');
    expect(partial?.score).toBeGreaterThan(0.5);
    expect(partial?.score).toBeLessThan(1);
  });

  it('all suggestions below the cutoff and no default → []', async () => {
    expect(await matchScores(['zzzzzzzzzzzz'], available, 0.4)).toEqual([]);
  });

  it('the default with a fuzzy hit on the same id keeps max(0.5, fuzzy), and the exact match sorts first', async () => {
    const items = await matchScores(['openai:gpt-4o-mini'], available, 0.4, 'openai:gpt-4o');
    expect(items.map((i) => i.model_id).slice(0, 2)).toEqual(['openai:gpt-4o-mini', 'openai:gpt-4o']);
    expect(items[1]?.score).toBe(0.92);
    // A default no suggestion comes near still stays, at 0.5.
    const far = await matchScores(['zzzzzzzzzzzz'], available, 0.4, 'anthropic:claude-3-5-sonnet');
    expect(far).toEqual([{ model_id: 'anthropic:claude-3-5-sonnet', score: 0.5 }]);
  });
});

describe('Agent Stack current: one store with surfaces that keep base URLs verbatim', () => {
  it('still refuses a duplicate base URL when another surface stored it with a trailing slash', async () => {
    const coder = await t.request('/api/v2/ai/providers', {
      method: 'POST',
      json: { type: 'openai-compat', name: 'dup-slash', enabled: true, base_url: 'https://dup.example.com/v1/' },
    });
    expect(coder.status, coder.text).toBe(201);
    const res = await as(MP, {
      method: 'POST',
      json: { type: 'other', base_url: 'https://dup.example.com/v1', api_key: 'k-0123456789' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "Duplicate model_provider found: base_url='https://dup.example.com/v1' already exists" });
  });
});
