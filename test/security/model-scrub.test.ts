import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileUpstream, type HostileUpstream } from '../fakes/hostile-upstream.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/desk.js';

const KEY = 'sk-proj-Echo7HostileUpstream0123456789abcdef';
/** What the fake echoes in one model id: 12 characters of the key, not the whole of it. */
const PARTIAL = KEY.slice(2, 14);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function upstream(): Promise<HostileUpstream> {
  const started = await startHostileUpstream({ keys: [KEY], echoKey: true });
  cleanups.push(() => started.close());
  return started;
}

/** Every file under the data dir (SQLite file, WAL, logs …). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function expectNoKey(where: string, text: string): void {
  expect(text, where).not.toContain(KEY);
  expect(text, where).not.toContain(PARTIAL);
}

describe('models from an upstream that echoes the key', () => {
  it('are stored and shown without the key: echoing ids are dropped, names and owners redacted', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const ts: TestServer = await startTestServer({ dataDir: dir.path });
    const native = await upstream();
    const forAgentStack = await upstream();

    const created = await ts.request('/api/v1/providers', {
      method: 'POST',
      json: { name: 'echo', type: 'openai', base_url: native.baseUrl, api_keys: [{ value: KEY }] },
    });
    expect(created.status).toBe(201);

    const texts: Array<[string, string]> = [];
    const call = async (path: string, init: Parameters<TestServer['request']>[1] = {}) => {
      const answer = await ts.request(path, init);
      expect(answer.status, path).toBeLessThan(300);
      texts.push([path, answer.text]);
      return answer;
    };

    const tested = await call('/api/v1/providers/echo/test', { method: 'POST', json: {} });
    expect(tested.body.ok).toBe(true);
    const listed = await call('/api/v1/providers/echo/models');
    expect(listed.body.models.map((m: { id: string }) => m.id)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(listed.body.models[1]).toMatchObject({ owned_by: 'org [redacted]', display_name: 'Mini for [redacted]' });
    await call('/api/v1/providers/echo/models/refresh', { method: 'POST', json: {} });
    await call('/api/v1/providers/echo');
    await call('/api/v1/providers/echo/checks');
    await call('/api/providers/echo');
    await call('/bifrost/api/providers/echo');
    await call('/bifrost/api/providers/echo/refresh-models', { method: 'POST', json: {} });
    const bifrost = await call('/bifrost/api/models?provider=echo&limit=50');
    expect(bifrost.body.models.map((m: { name: string }) => m.name)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    await call('/api/v1/model_providers', { method: 'POST', json: { type: 'openai', base_url: forAgentStack.baseUrl, api_key: KEY } });
    await call('/api/v1/model_providers');
    await call('/api/v1/model_providers/match', { method: 'POST', json: { capability: 'llm', suggested_models: ['openai:gpt-4o'] } });
    await call('/api/v1/config/export');

    await ts.close();

    for (const [path, text] of texts) expectNoKey(path, text);
    const files = filesUnder(dir.path);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    for (const file of files) expectNoKey(file, readFileSync(file).toString('latin1'));
  });
});
