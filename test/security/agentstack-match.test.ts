import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { similarityRatio } from '../../src-main/core/http/surfaces/agentstack/similarity.js';
import { MAX_SUGGESTED_MODEL_LENGTH, MAX_SUGGESTED_MODELS } from '../../src-main/core/http/surfaces/agentstack/match.js';
import { roundLikePython } from '../../src-main/core/http/surfaces/agentstack/round.js';

const MP = '/api/v1/model_providers';
const KEY = 'sk-match-bound-0123456789';
const MODEL_COUNT = 5000;
const FAMILIES = ['gpt-4o-mini', 'claude-3-5-sonnet', 'llama-3.1-70b-instruct', 'mistral-large', 'text-embedding-3-small'];
const MODELS = Array.from({ length: MODEL_COUNT }, (_, i) => `${FAMILIES[i % FAMILIES.length]}-ft-${String(i).padStart(5, '0')}`);

/** The longest list the surface accepts, every entry as long as allowed, built from model-like words so none is skipped cheaply. */
const LONGEST_LIST = Array.from({ length: MAX_SUGGESTED_MODELS }, (_, k) => {
  let entry = '';
  for (let n = k; entry.length < MAX_SUGGESTED_MODEL_LENGTH; n++) entry += `${FAMILIES[n % FAMILIES.length]}-${n}:`;
  return entry.slice(0, MAX_SUGGESTED_MODEL_LENGTH);
});

let t: TestServer;
let upstream: FakeProvider;

beforeAll(async () => {
  t = await startTestServer();
  upstream = await startFakeProvider('openai', { keys: [KEY], models: MODELS });
  const created = await t.request(MP, { method: 'POST', json: { type: 'openai', base_url: upstream.baseUrl, api_key: KEY } });
  expect(created.status).toBe(201);
  expect(t.desk.repo.allModels()).toHaveLength(MODEL_COUNT);
});
afterAll(async () => {
  await t.close();
  await upstream.close();
});

const match = (json: unknown) => t.request(`${MP}/match`, { method: 'POST', json });

describe('Agent Stack match: bounded work', () => {
  it('keeps /api/v1/health answering quickly while it scores 5,000 models against the longest allowed list', async () => {
    // score_cutoff 0 defeats the cheap upper bounds: every pair is compared in full, the worst case the limits allow.
    const started = performance.now();
    let finished = false;
    const pending = match({ capability: 'llm', suggested_models: LONGEST_LIST, score_cutoff: 0 }).finally(() => {
      finished = true;
    });
    const latencies: number[] = [];
    while (!finished) {
      const sent = performance.now();
      const health = await t.request('/api/v1/health');
      latencies.push(performance.now() - sent);
      expect(health.status).toBe(200);
    }
    const res = await pending;
    const elapsed = performance.now() - started;

    expect(res.status).toBe(200);
    expect(res.body.total_count).toBe(MODEL_COUNT);
    expect(elapsed).toBeLessThan(30_000);
    // Health was asked many times during the match, and no answer waited behind it: nine in ten came within 200 ms,
    // and even the slowest (a GC pause or the scheduler of a loaded machine) took a small part of the match — a match
    // that held the event loop would make one answer wait about as long as the whole match.
    expect(latencies.length).toBeGreaterThan(5);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(200);
    expect(sorted.at(-1)).toBeLessThan(Math.max(200, elapsed / 4));

    // The scores are still difflib's: the best-scored model's score comes from its best suggestion (rounded to 2 places).
    const top = res.body.items[0] as { model_id: string; score: number };
    const id = top.model_id.replace(/^openai:/, '');
    const best = LONGEST_LIST.reduce((max, s) => Math.max(max, similarityRatio(`openai:${id}`, s)), 0);
    expect(top.score).toBe(roundLikePython(0.5 + best / 2, 2));
  }, 60_000);

  it('refuses a list longer than the limit with 400, naming the field', async () => {
    const res = await match({ capability: 'llm', suggested_models: Array.from({ length: MAX_SUGGESTED_MODELS + 1 }, (_, i) => `m-${i}`) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      detail: [
        {
          type: 'too_long',
          loc: ['body', 'suggested_models'],
          msg: `List should have at most ${MAX_SUGGESTED_MODELS} items after validation, not ${MAX_SUGGESTED_MODELS + 1}`,
        },
      ],
    });
  });

  it('refuses an entry longer than the limit with 400, naming the entry', async () => {
    const res = await match({ capability: 'llm', suggested_models: ['gpt-4o', 'x'.repeat(MAX_SUGGESTED_MODEL_LENGTH + 1)] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      detail: [
        {
          type: 'string_too_long',
          loc: ['body', 'suggested_models', 1],
          msg: `String should have at most ${MAX_SUGGESTED_MODEL_LENGTH} characters`,
        },
      ],
    });
  });

  it('counts characters as code points, as pydantic does', async () => {
    const fits = await match({ capability: 'llm', suggested_models: ['😀'.repeat(MAX_SUGGESTED_MODEL_LENGTH)] });
    expect(fits.status).toBe(200);
    const over = await match({ capability: 'llm', suggested_models: ['😀'.repeat(MAX_SUGGESTED_MODEL_LENGTH + 1)] });
    expect(over.status).toBe(400);
    expect(over.body.detail[0].loc).toEqual(['body', 'suggested_models', 0]);
  });

  it('answers a 200,000-entry list (once a stack overflow in Math.max) with 400, not 500', async () => {
    const res = await match({ capability: 'llm', suggested_models: Array.from({ length: 200_000 }, () => 'a') });
    expect(res.status).toBe(400);
    expect(res.body.detail[0]).toMatchObject({ type: 'too_long', loc: ['body', 'suggested_models'] });
    expect((await t.request('/api/v1/health')).status).toBe(200);
  });
});
