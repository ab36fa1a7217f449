// The bench's floors must do the work ours does, no less, or a ratio against them flatters us: the list floor answers
// the GUI's queries with the API's exact bytes, the CLI floor prints every provider, and the bench sends the GUI's own
// query strings.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRequest } from '../../src-renderer/src/client/http-transport.js';
import { DB_FILE } from '../../src-main/core/store/database.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { seedProviders } from './lib.js';
import { guiListPath, missPaths, searchPaths, sortedPagePaths } from './list.js';
import { RUN_TS, childEnv, floorPath, runChecked, startServer, stopAll, type Server } from './processes.js';

const PROVIDERS = 420;
let ours: TestServer;
let floor: Server;
const dir = tempDir();

beforeAll(async () => {
  ours = await startTestServer();
  seedProviders(ours.desk, PROVIDERS);
  // One provider with stored models, so the floor's model counts are checked too.
  const withModels = ours.desk.repo.findProvider('bench-openai-00000');
  if (!withModels) throw new Error('the seeded store has no bench-openai-00000');
  ours.desk.repo.transaction(() =>
    ours.desk.repo.replaceModels(withModels.id, [
      {
        provider_id: withModels.id,
        model_id: 'm-1',
        key_id: null,
        display_name: 'M 1',
        capabilities: '[]',
        context_window: null,
        owned_by: null,
        fetched_at: '2026-01-01T00:00:00.000Z',
      },
    ]),
  );
  ours.desk.db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = join(dir.path, 'floor.sqlite');
  copyFileSync(join(ours.desk.options.dataDir, DB_FILE), copy);
  const { headers } = await ours.request(guiListPath(0));
  const replayed = Object.fromEntries(
    ['content-type', 'cache-control', 'x-content-type-options'].flatMap((name) => (headers.get(name) ? [[name, headers.get(name)]] : [])),
  );
  floor = await startServer('the list floor', process.execPath, [RUN_TS, floorPath('list-server.ts'), copy, JSON.stringify(replayed)], {
    ...childEnv(),
    PD_FLOOR_TOKEN: ours.token,
  });
}, 120_000);

afterAll(async () => {
  await floor?.stop();
  await ours?.server.close();
  await ours?.desk.close();
  stopAll();
  dir.remove();
});

async function floorText(path: string, token = ours.token): Promise<{ status: number; text: string }> {
  const response = await fetch(floor.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text() };
}

describe('the list floor', () => {
  it.each([
    ['the first page', guiListPath(0)],
    ['a deep page', guiListPath(400)],
    ['a page past the end', guiListPath(10_000)],
    ['a search of 3+ characters', guiListPath(0, 'enai-00')],
    ['a search matching display names and base URLs', guiListPath(0, 'Bench gro')],
    ['a search in the base URL only', guiListPath(0, 'api.x.ai')],
    ['a search of 2 characters', guiListPath(0, '42')],
    ['a search with LIKE and FTS5 syntax in it', guiListPath(0, '%_"* AND')],
    ['a search matching nothing', guiListPath(0, 'zzzz')],
  ])('answers %s with the API’s bytes', async (_what, path) => {
    const expected = await ours.request(path);
    expect(expected.status).toBe(200);
    const answer = await floorText(path);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(expected.text);
  });

  it('answers the descending order with the API’s bytes', async () => {
    const path = guiListPath(0).replace('order=asc', 'order=desc');
    expect((await floorText(path)).text).toBe((await ours.request(path)).text);
  });

  it('refuses a wrong token, as ours does', async () => {
    expect((await floorText(guiListPath(0), 'wrong')).status).toBe(401);
  });
});

describe('the requests the bench sends', () => {
  it('are the GUI’s own list and search URLs', () => {
    const gui = (input: Record<string, unknown>) => {
      const { path, query } = buildRequest('providers.list', input);
      return `${path}?${query}`;
    };
    expect(guiListPath(600)).toBe(gui({ sort: 'name', order: 'asc', limit: 200, offset: 600 }));
    expect(guiListPath(0, 'Bench op')).toBe(gui({ search: 'Bench op', sort: 'name', order: 'asc', limit: 200, offset: 0 }));
  });

  it('cover every page once per cycle, and distinct searches of 3 to 6 characters', () => {
    const pages = sortedPagePaths(10_000);
    expect(new Set(pages).size).toBe(50);
    expect(new Set(missPaths(1000)).size).toBe(801);
    const searches = searchPaths(10_000, 500).map((path) => new URL(path, 'http://x').searchParams.get('search') ?? '');
    expect(new Set(searches).size).toBe(500);
    for (const text of searches) {
      expect(text.length).toBeGreaterThanOrEqual(3);
      expect(text.length).toBeLessThanOrEqual(6);
      expect(text).toBe(text.trim());
    }
  });
});

describe('the CLI list floor', () => {
  it('prints a header, a rule and every provider', async () => {
    const run = await runChecked('the CLI floor', process.execPath, [floorPath('cli-list.mjs'), ours.desk.options.dataDir]);
    expect(run.stdoutLines).toBe(PROVIDERS + 2);
    expect(run.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+ENABLED\s+HEALTH\s+KEYS\s+BASE URL$/);
    expect(run.stdout.split('\n')[2]).toMatch(/^bench-anthropic-00001\s+anthropic\s+yes\s+untested\s+2\s+https:\/\//);
  });
});
