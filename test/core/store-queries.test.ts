/**
 * The list's queries as SQLite runs them: every sort the API accepts has an index (EXPLAIN QUERY PLAN), a search of
 * three characters or more starts from the trigram index and then sorts only its matches, its results are exactly
 * those of `LIKE '%text%'`, and triggers keep that index in step with the providers table.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../src-main/core/desk.js';
import { PROVIDER_SORT_FIELDS } from '../../src-main/core/contract/sort-fields.js';
import type { ProviderHealth } from '../../src-main/core/contract/domain-schemas.js';
import { DB_FILE, migrate, type Db } from '../../src-main/core/store/database.js';
import { MIGRATIONS } from '../../src-main/core/store/migrations/index.js';
import { providerListSql, type ProviderQuery } from '../../src-main/core/store/repository.js';
import type { ProviderRow } from '../../src-main/core/store/rows.js';
import { openTestDesk, tempDir } from '../helpers/desk.js';

type SortField = (typeof PROVIDER_SORT_FIELDS)[number];

/** The index each sort must walk; a sort added to the API without one fails to compile here. */
const SORT_INDEX: Record<SortField, string> = {
  name: 'providers_name_sort',
  display_name: 'providers_display_name_sort',
  type: 'providers_type',
  created_at: 'providers_created_at',
  updated_at: 'providers_updated_at_sort',
  status: 'providers_status_sort',
  health: 'providers_health_sort',
};

async function closeAndRemove(desk: Desk): Promise<void> {
  await desk.close();
  rmSync(desk.options.dataDir, { recursive: true, force: true });
}

function plan(db: Db, sql: string, params: Record<string, unknown>): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail);
}

/** The FTS5 check that the index holds exactly what the providers table holds (it throws otherwise). */
function checkSearchIndex(db: Db): void {
  db.prepare("INSERT INTO providers_search (providers_search, rank) VALUES ('integrity-check', 1)").run();
}

/** The reference: the search as it was, `LIKE '%text%'` on the three columns, sorted by name. */
function likeSearch(db: Db, text: string): number[] {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .prepare(
      `SELECT seq FROM providers WHERE name LIKE @p ESCAPE '\\' OR display_name LIKE @p ESCAPE '\\' OR base_url LIKE @p ESCAPE '\\'
       ORDER BY name COLLATE NOCASE, seq`,
    )
    .pluck()
    .all({ p: pattern }) as number[];
}

function searchSeqs(desk: Desk, text: string): number[] {
  return desk.repo.queryProviders({ search: text, sortBy: 'name', order: 'asc' }).rows.map((row) => row.seq);
}

function names(desk: Desk, text: string): string[] {
  return desk.repo.queryProviders({ search: text, sortBy: 'name', order: 'asc' }).rows.map((row) => row.name);
}

describe('list query plans', () => {
  let desk: Desk;

  beforeAll(() => {
    desk = openTestDesk();
    const types = ['openai', 'groq', 'anthropic', 'mistral'];
    desk.repo.transaction(() => {
      for (let i = 0; i < 400; i++) {
        desk.providers.insertNew({ name: `plan-${i}`, display_name: i % 3 ? `Plan ${i}` : '', type: types[i % types.length]! });
      }
    });
  });
  afterAll(() => closeAndRemove(desk));

  const searches = [undefined, 'p', 'pl', 'pla', 'plan-12'];
  const typeFilters = [undefined, ['openai'], ['openai', 'groq']];
  const healthFilters: Array<ProviderHealth | undefined> = [undefined, 'error'];
  const sorts: Array<SortField | undefined> = [undefined, ...PROVIDER_SORT_FIELDS];
  const combinations: ProviderQuery[] = searches.flatMap((search) =>
    typeFilters.flatMap((types) =>
      healthFilters.flatMap((health) =>
        sorts.flatMap((sortBy) =>
          (['asc', 'desc'] as const).map((order) => ({ search, types, health, sortBy, order, limit: 200, offset: 400 })),
        ),
      ),
    ),
  );

  it('walks the sort index for every sort, with no sorting step, when nothing narrows the rows', () => {
    for (const query of combinations.filter((q) => !q.types && !q.health && (q.search ?? '').length < 3)) {
      const sql = providerListSql(query);
      const index = SORT_INDEX[(query.sortBy ?? 'created_at') as SortField];
      for (const statement of [sql.page, sql.seqs]) {
        expect(plan(desk.db, statement, sql.params), JSON.stringify(query)).toEqual([
          expect.stringMatching(new RegExp(`^SCAN providers USING (COVERING )?INDEX ${index}$`)),
        ]);
      }
    }
  });

  it('searches of three characters or more start from the trigram index and sort only its matches', () => {
    for (const query of combinations.filter((q) => (q.search ?? '').length >= 3)) {
      const sql = providerListSql(query);
      for (const statement of [sql.count, sql.page, sql.seqs]) {
        const steps = plan(desk.db, statement, sql.params);
        expect(steps, JSON.stringify(query)).toContain('SCAN providers_search VIRTUAL TABLE INDEX 0:M3');
        // Providers are looked up by the matches' rowids, never walked in index order and tested one by one.
        const providerSteps = steps.filter((step) => /\bproviders\b(?!_search)/.test(step));
        expect(providerSteps.length, JSON.stringify({ query, steps })).toBeGreaterThan(0);
        for (const step of providerSteps) expect(step, JSON.stringify(query)).toMatch(/^SEARCH providers USING .*rowid=\?/);
      }
    }
  });

  it('never reads the whole table without an index: filters use theirs, sorts theirs', () => {
    for (const query of combinations) {
      const sql = providerListSql(query);
      const statements = [sql.page, sql.seqs];
      // Counting what a one- or two-letter LIKE matches has to look at every row; anything else does not.
      if (!query.search || query.search.length >= 3 || query.types || query.health) statements.push(sql.count);
      for (const statement of statements) {
        for (const step of plan(desk.db, statement, sql.params)) {
          expect(step, `${JSON.stringify(query)}: ${statement}`).not.toMatch(/^SCAN providers$/);
        }
      }
      if (query.types || query.health) {
        const steps = plan(desk.db, sql.page, sql.params);
        expect(steps.join(' | '), JSON.stringify(query)).toMatch(
          /SEARCH providers USING INDEX providers_(type|health) \((type|health)=\?|SCAN providers USING INDEX providers_\w+_sort/,
        );
      }
    }
  });

  it('runs every combination and pages consistently with the count', () => {
    for (const query of combinations) {
      const { rows, total } = desk.repo.queryProviders({ ...query, limit: 1000, offset: 0 });
      expect(rows.length, JSON.stringify(query)).toBe(total);
      expect(desk.repo.providerSeqs({ ...query, limit: 1000, offset: 0 })).toEqual(rows.map((row) => row.seq));
    }
  });
});

describe('search through the trigram index', () => {
  let desk: Desk;
  let template: ProviderRow;

  beforeAll(() => {
    desk = openTestDesk();
    template = desk.providers.insertNew({ name: 'template', type: 'openai' });
    desk.repo.deleteProvider(template.id);
  });
  afterAll(() => closeAndRemove(desk));

  /** Characters that fold differently under ASCII and Unicode rules, LIKE's and FTS5's special characters. */
  const CHARS = [
    'a',
    'A',
    'b',
    'B',
    'k',
    'K',
    '\u212a',
    'é',
    'É',
    'ß',
    'İ',
    'i',
    ' ',
    '-',
    '.',
    '/',
    '%',
    '_',
    '\\',
    '"',
    '*',
    '(',
    '^',
    '1',
    '😀',
  ];
  const text = (max: number) => fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((chars) => chars.join(''));
  const rows = fc.uniqueArray(fc.record({ name: text(10).filter((s) => s.length > 0), display_name: text(10), base_url: text(14) }), {
    maxLength: 25,
    selector: (row) => row.name,
  });
  /** Searches: random text, or a piece of a stored value with its ASCII case changed. */
  const searches = fc.array(
    fc.oneof(
      text(6).filter((s) => s.length > 0),
      fc.record({ row: fc.nat(), column: fc.nat(2), start: fc.nat(), length: fc.integer({ min: 1, max: 7 }), upper: fc.boolean() }),
    ),
    { minLength: 1, maxLength: 8 },
  );

  it('finds exactly what LIKE finds, for any stored text and any search', () => {
    fc.assert(
      fc.property(rows, searches, (stored, wanted) => {
        desk.repo.transaction(() => {
          desk.db.prepare('DELETE FROM providers').run();
          for (const row of stored) desk.repo.insertProvider({ ...template, id: randomUUID(), ...row });
        });
        checkSearchIndex(desk.db);
        for (const search of wanted) {
          let query: string;
          if (typeof search === 'string') query = search;
          else {
            const row = stored[search.row % Math.max(stored.length, 1)];
            const value = row ? Array.from([row.name, row.display_name, row.base_url][search.column]!) : [];
            const piece = value
              .slice(search.start % Math.max(value.length, 1), (search.start % Math.max(value.length, 1)) + search.length)
              .join('');
            query = search.upper ? piece.toUpperCase() : piece.toLowerCase();
            if (query === '') continue;
          }
          const expected = likeSearch(desk.db, query);
          expect(searchSeqs(desk, query), JSON.stringify({ query, stored })).toEqual(expected);
          const page = desk.repo.queryProviders({ search: query, sortBy: 'name', order: 'asc', limit: 3, offset: 1 });
          expect({ total: page.total, seqs: page.rows.map((row) => row.seq) }).toEqual({
            total: expected.length,
            seqs: expected.slice(1, 4),
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('takes quotes, FTS5 operators and LIKE wildcards literally', () => {
    desk.repo.transaction(() => {
      desk.db.prepare('DELETE FROM providers').run();
      for (const [name, display_name] of [
        ['quoted', 'say "hi" AND bye'],
        ['star', 'gpt-4* OR NOT x'],
        ['percent', '100%_done'],
        ['plain', 'say hi and bye'],
      ] as const) {
        desk.repo.insertProvider({ ...template, id: randomUUID(), name, display_name });
      }
    });
    expect(names(desk, '"hi" AND')).toEqual(['quoted']);
    expect(names(desk, 'and bye')).toEqual(['plain', 'quoted']);
    expect(names(desk, '4* OR NOT')).toEqual(['star']);
    expect(names(desk, '0%_')).toEqual(['percent']);
    expect(names(desk, '%_d')).toEqual(['percent']);
    expect(names(desk, 'NEAR(')).toEqual([]);
    // One or two characters go through LIKE, with the same meaning.
    expect(names(desk, '%')).toEqual(['percent']);
    expect(names(desk, '"')).toEqual(['quoted']);
  });
});

describe('the trigram index stays in step with the providers', () => {
  let desk: Desk;
  beforeAll(() => {
    desk = openTestDesk();
  });
  afterAll(() => closeAndRemove(desk));

  it('after create, rename, a new base URL and delete', () => {
    desk.providers.create({ name: 'sunrise', display_name: 'Sunrise Relay', type: 'openai', base_url: 'https://relay.example.test/v1' });
    expect(names(desk, 'rise')).toEqual(['sunrise']);
    expect(names(desk, 'RELAY.EXAMPLE')).toEqual(['sunrise']);

    const renamed = desk.providers.update('sunrise', {
      name: 'moonset',
      display_name: 'Moonset Gate',
      base_url: 'https://gate.example.test/v1',
    });
    expect(renamed.name).toBe('moonset');
    expect(names(desk, 'rise')).toEqual([]);
    expect(names(desk, 'relay')).toEqual([]);
    expect(names(desk, 'moonset')).toEqual(['moonset']);
    expect(names(desk, 'set gate')).toEqual(['moonset']);
    expect(names(desk, 'gate.example')).toEqual(['moonset']);
    checkSearchIndex(desk.db);

    desk.providers.remove('moonset');
    expect(names(desk, 'moon')).toEqual([]);
    expect(names(desk, 'gate')).toEqual([]);
    checkSearchIndex(desk.db);
  });

  it('after an import', async () => {
    const imported = await desk.dispatch(
      'config.import',
      {
        providers: {
          groq: { keys: [{ name: 'main', value: 'gsk_import_search_0123456789abcdef' }] },
          ollama: { keys: [], network_config: { base_url: 'http://127.0.0.1:11434' } },
        },
      },
      { transport: 'ipc' },
    );
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    expect(names(desk, 'gro')).toEqual(['groq']);
    expect(names(desk, '11434')).toEqual(['ollama']);
    checkSearchIndex(desk.db);
  });

  it('is not written when a write leaves the searched columns as they are (health, test results)', () => {
    const row = desk.providers.insertNew({ name: 'steady', type: 'openai' });
    const searchRows = () =>
      (desk.db.prepare('SELECT COUNT(*) FROM providers_search_data').pluck().get() as number) +
      (desk.db.prepare('SELECT COUNT(*) FROM providers_search_idx').pluck().get() as number);
    const changes = () => desk.db.prepare('SELECT total_changes()').pluck().get() as number;
    const before = { changes: changes(), rows: searchRows() };
    desk.db.prepare("UPDATE providers SET health = 'ok', last_check = ?, name = name WHERE seq = ?").run(new Date().toISOString(), row.seq);
    // One row changed, and nothing in the index (its trigger's WHEN is false).
    expect(changes() - before.changes).toBe(1);
    expect(searchRows()).toBe(before.rows);
    checkSearchIndex(desk.db);
  });

  it('is detected by the integrity check when it is not (so the checks above can fail)', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, DB_FILE));
    try {
      migrate(db);
      db.exec('DROP TRIGGER providers_search_insert');
      db.prepare(
        `INSERT INTO providers (id, name, type, network_config, proxy_config, concurrency, config_hash, created_at, updated_at)
         VALUES ('x', 'unindexed', 'openai', '{}', '{}', '{}', 'h', 'now', 'now')`,
      ).run();
      expect(() => checkSearchIndex(db)).toThrow();
    } finally {
      db.close();
      dir.remove();
    }
  });

  it('indexes the providers a store already holds when the migration runs', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, DB_FILE));
    try {
      const before = MIGRATIONS.findIndex((step) => step.name === '0004-list-indexes');
      for (const step of MIGRATIONS.slice(0, before)) db.exec(step.sql);
      db.pragma(`user_version = ${before}`);
      const insert = db.prepare(
        `INSERT INTO providers (id, name, display_name, type, base_url, network_config, proxy_config, concurrency, config_hash, created_at, updated_at)
         VALUES (?, ?, ?, 'openai', ?, '{}', '{}', '{}', 'h', 'now', 'now')`,
      );
      insert.run('1', 'older-one', 'Kept From Before', 'https://old.example.test');
      insert.run('2', 'older-two', '', 'https://other.example.test');
      migrate(db);
      checkSearchIndex(db);
      const found = (text: string) =>
        (
          db
            .prepare(providerListSql({ search: text, sortBy: 'name', order: 'asc' }).page)
            .all(providerListSql({ search: text, sortBy: 'name', order: 'asc' }).params) as ProviderRow[]
        ).map((row) => row.name);
      expect(found('from before')).toEqual(['older-one']);
      expect(found('example.test')).toEqual(['older-one', 'older-two']);
      expect(found('OTHER')).toEqual(['older-two']);
    } finally {
      db.close();
      dir.remove();
    }
  });
});
