import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { startFakeProvider, type FakeProvider } from '../fakes/providers.js';
import { createFileLogger } from '../../src-main/core/log/logger.js';

const GOOD = 'sk-draft-good-0123456789abcdefgh';
const BAD = 'sk-draft-bad-9876543210zyxwvuts';

let t: TestServer;
let dir: { path: string; remove(): void };
let openai: FakeProvider;
let ollama: FakeProvider;

const draft = (body: unknown, query = '') => t.request(`/api/v1/provider-drafts/test${query}`, { method: 'POST', json: body });

/** Every file under the data dir (store, WAL, logs, server file), as latin1 text to search for a plaintext key. */
function everyByteWritten(path = dir.path): string {
  return readdirSync(path)
    .map((name) => join(path, name))
    .map((file) => (statSync(file).isDirectory() ? everyByteWritten(file) : readFileSync(file).toString('latin1')))
    .join('\n');
}

function rowCounts(): Record<string, number> {
  const count = (table: string) => (t.desk.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { providers: count('providers'), api_keys: count('api_keys'), check_results: count('check_results'), models: count('models') };
}

beforeAll(async () => {
  dir = tempDir();
  // A real file logger at debug level, so "never logged" is checked against what a user's log would hold.
  t = await startTestServer({ dataDir: dir.path, logger: createFileLogger(dir.path, 'debug') });
  openai = await startFakeProvider('openai', { keys: [GOOD] });
  ollama = await startFakeProvider('ollama');
});

afterAll(async () => {
  await t?.close();
  await openai?.close();
  await ollama?.close();
  dir?.remove();
});

describe('POST /api/v1/provider-drafts/test (providers.testDraft)', () => {
  it('proves a good key before anything is saved: ok, health, the models it listed', async () => {
    const res = await draft({ name: 'my-openai', type: 'openai', base_url: openai.baseUrl, api_keys: [{ name: 'default', value: GOOD }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ok: true, health: 'ok' });
    expect(res.body.model_count).toBeGreaterThan(0);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({ ok: true, error_class: null });
    // It really reached the upstream with the key.
    expect(openai.requests.some((r) => String(r.headers.authorization) === `Bearer ${GOOD}`)).toBe(true);
  });

  it('refuses a bad key with the reason and a hint, never echoing the key', async () => {
    const res = await draft({ type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: BAD }] });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ok: false, health: 'error', model_count: null });
    expect(res.body.results[0]).toMatchObject({ ok: false, error_class: 'auth_failed', http_status: 401 });
    expect(typeof res.body.results[0].hint).toBe('string');
    expect(res.text).not.toContain(BAD);
  });

  it('counts a draft with one good and one bad key as degraded', async () => {
    const res = await draft({ type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: GOOD }, { value: BAD }] });
    expect(res.body).toMatchObject({ ok: false, health: 'degraded' });
    expect(res.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
  });

  it('checks a keyless type without a key, and says a keyed type needs one', async () => {
    const keyless = await draft({ type: 'ollama', base_url: ollama.baseUrl });
    expect(keyless.body).toMatchObject({ ok: true, health: 'ok' });
    expect(keyless.body.results[0].key_id).toBeNull();
    const keyed = await draft({ type: 'openai', base_url: openai.baseUrl });
    expect(keyed.body).toMatchObject({ ok: false, health: 'error' });
    expect(keyed.body.results[0]).toMatchObject({ error_class: 'missing_credentials', key_id: null });
  });

  it('reports an unset env.VAR as missing_env by name', async () => {
    const res = await draft({ type: 'openai', base_url: openai.baseUrl, api_keys: [{ value: 'env.PD_DRAFT_UNSET_VARIABLE' }] });
    expect(res.body.results[0]).toMatchObject({ ok: false, error_class: 'missing_env' });
    expect(res.body.results[0].message).toContain('PD_DRAFT_UNSET_VARIABLE');
  });

  it('validates like create, by field, with the name rule in words', async () => {
    const res = await draft({ name: 'Bad Name', type: 'nope', api_keys: [{ value: ' padded ' }], surprise: 1 });
    expect(res.status).toBe(400);
    const paths = (res.body.error.fields as Array<{ path: string; message: string }>).map((f) => f.path).sort();
    // An unknown field is refused at the body level, by name (as create does).
    expect(paths).toEqual(['', 'api_keys[0].value', 'name', 'type']);
    expect(res.body.error.message).toContain('surprise');
    const name = res.body.error.fields.find((f: { path: string }) => f.path === 'name');
    expect(name.message).toMatch(/lowercase letters and digits/);
    expect(name.message).not.toMatch(/\^|\$|\[a-z/);
  });

  it('refuses keys in the query string (URLs end up in logs)', async () => {
    const res = await draft({ type: 'openai' }, `?api_keys=${GOOD}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('api_keys');
  });

  it('stored nothing: no provider, key, check or model row, and neither key anywhere in the data dir', async () => {
    expect(rowCounts()).toEqual({ providers: 0, api_keys: 0, check_results: 0, models: 0 });
    expect((await t.request('/api/v1/providers')).body.total).toBe(0);
    t.desk.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = everyByteWritten();
    expect(bytes).not.toContain(GOOD);
    expect(bytes).not.toContain(BAD);
  });
});
