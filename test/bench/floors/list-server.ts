/**
 * The floor of the provider list: node:http and better-sqlite3, nothing else between the socket and the SQL.
 * It answers the GUI's list query (`sort=name`, `order`, `limit`, `offset`, `search`) on its own copy of a store,
 * with its own indexes for it — `(name COLLATE NOCASE, seq)`, and an FTS5 trigram table (no positions) that finds the
 * candidate rows of a search of three characters or more, LIKE deciding on those few, as the product's search does —
 * and the same bytes as the real API: the same rows, keys and model counts, mapped by the product's own row mapping
 * (the output format is part of the work, not overhead). The bench checks that the bytes are equal before it measures.
 *
 *   run-ts.mjs list-server.ts <store.sqlite> <headers-json>     bearer token in PD_FLOOR_TOKEN
 *
 * Prints `listening on http://127.0.0.1:<port>`.
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toProvider } from '../../../src-main/core/service/codec.js';
import type { KeyView } from '../../../src-main/core/store/repository.js';
import type { ProviderRow } from '../../../src-main/core/store/rows.js';

const [file, headersJson] = process.argv.slice(2);
const token = process.env.PD_FLOOR_TOKEN;
if (!file || !token) {
  console.error('usage: PD_FLOOR_TOKEN=… run-ts.mjs list-server.ts <store.sqlite> [headers-json]');
  process.exit(2);
}
const headers: Record<string, string> = JSON.parse(headersJson ?? '{}') as Record<string, string>;

const db = new Database(file);
db.pragma('journal_mode = WAL');
// The floor's own schema, on its own copy: whatever the product's migrations did or did not add.
db.exec('CREATE INDEX IF NOT EXISTS floor_name_sort ON providers (name COLLATE NOCASE, seq)');
// External content: the table reads its text from providers, and its index is built once from the rows there.
if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'floor_search'").get()) {
  db.exec(`CREATE VIRTUAL TABLE floor_search USING fts5 (name, display_name, base_url, content = 'providers', content_rowid = 'seq', tokenize = 'trigram');
    INSERT INTO floor_search (floor_search) VALUES ('rebuild');`);
}

const KEY_VIEW_COLUMNS = `id, provider_id, position, name, secret_ref, mask_head, mask_tail, secret_length, enabled, weight, models,
  blacklisted_models, use_for_batch_api, key_config, status, last_check, created_at, updated_at`;
const LIKE = "(name LIKE @like ESCAPE '\\' OR display_name LIKE @like ESCAPE '\\' OR base_url LIKE @like ESCAPE '\\')";
/** The candidates: rows holding every trigram of the search (the table keeps no positions, so LIKE decides). */
const MATCH = 'seq IN (SELECT rowid FROM floor_search WHERE floor_search MATCH @match)';

const statements = {
  count: db.prepare('SELECT COUNT(*) AS n FROM providers'),
  asc: db.prepare('SELECT * FROM providers ORDER BY name COLLATE NOCASE ASC, seq ASC LIMIT @limit OFFSET @offset'),
  desc: db.prepare('SELECT * FROM providers ORDER BY name COLLATE NOCASE DESC, seq DESC LIMIT @limit OFFSET @offset'),
  countMatch: db.prepare(`SELECT COUNT(*) AS n FROM providers WHERE ${MATCH} AND ${LIKE}`),
  matchAsc: db.prepare(
    `SELECT * FROM providers WHERE ${MATCH} AND ${LIKE} ORDER BY name COLLATE NOCASE ASC, seq ASC LIMIT @limit OFFSET @offset`,
  ),
  matchDesc: db.prepare(
    `SELECT * FROM providers WHERE ${MATCH} AND ${LIKE} ORDER BY name COLLATE NOCASE DESC, seq DESC LIMIT @limit OFFSET @offset`,
  ),
  countLike: db.prepare(`SELECT COUNT(*) AS n FROM providers WHERE ${LIKE}`),
  likeAsc: db.prepare(`SELECT * FROM providers WHERE ${LIKE} ORDER BY name COLLATE NOCASE ASC, seq ASC LIMIT @limit OFFSET @offset`),
  likeDesc: db.prepare(`SELECT * FROM providers WHERE ${LIKE} ORDER BY name COLLATE NOCASE DESC, seq DESC LIMIT @limit OFFSET @offset`),
  keys: db.prepare(
    `SELECT ${KEY_VIEW_COLUMNS} FROM api_keys WHERE provider_id IN (SELECT value FROM json_each(?)) ORDER BY position, created_at, id`,
  ),
  counts: db.prepare(
    'SELECT provider_id, COUNT(*) AS n FROM models WHERE provider_id IN (SELECT value FROM json_each(?)) GROUP BY provider_id',
  ),
};

// The floor must be what it claims: the sorted page walks the index, the search starts from the trigram table.
const plan = (sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ limit: 1, offset: 0, match: '"abc"', like: '%abc%' }) as Array<{ detail: string }>)
    .map((row) => row.detail)
    .join('; ');
const sortedPlan = plan(statements.asc.source);
const searchPlan = plan(statements.matchAsc.source);
if (!/USING INDEX/.test(sortedPlan) || /TEMP B-TREE/.test(sortedPlan))
  throw new Error(`the sorted page does not use the index: ${sortedPlan}`);
if (!/VIRTUAL TABLE INDEX/.test(searchPlan)) throw new Error(`the search does not use the trigram table: ${searchPlan}`);

/** Every trigram of the text, quoted (so `"`, `*`, AND … are literal) and all required. */
function trigrams(text: string): string {
  const chars = [...text];
  const all = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) all.add(chars.slice(i, i + 3).join(''));
  return [...all].map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
}
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function page(query: URLSearchParams): { status: number; body: string } {
  const sort = query.get('sort') ?? 'name';
  const order = query.get('order') ?? 'desc';
  const limit = Number(query.get('limit') ?? 100);
  const offset = Number(query.get('offset') ?? 0);
  const search = query.get('search') ?? '';
  if (
    sort !== 'name' ||
    (order !== 'asc' && order !== 'desc') ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    !Number.isInteger(offset) ||
    offset < 0
  )
    return { status: 400, body: '{"error":"the floor answers sort=name pages only"}' };
  const ascending = order === 'asc';
  let total: number;
  let rows: ProviderRow[];
  if (search === '') {
    total = (statements.count.get() as { n: number }).n;
    rows = (ascending ? statements.asc : statements.desc).all({ limit, offset }) as ProviderRow[];
  } else if ([...search].length >= 3) {
    const params = { match: trigrams(search), like: `%${escapeLike(search)}%` };
    total = (statements.countMatch.get(params) as { n: number }).n;
    rows = (ascending ? statements.matchAsc : statements.matchDesc).all({ ...params, limit, offset }) as ProviderRow[];
  } else {
    const like = `%${escapeLike(search)}%`;
    total = (statements.countLike.get({ like }) as { n: number }).n;
    rows = (ascending ? statements.likeAsc : statements.likeDesc).all({ like, limit, offset }) as ProviderRow[];
  }
  const ids = JSON.stringify(rows.map((row) => row.id));
  const keys = new Map<string, KeyView[]>(rows.map((row) => [row.id, []]));
  for (const key of statements.keys.all(ids) as KeyView[]) keys.get(key.provider_id)?.push(key);
  const counts = new Map<string, number>();
  for (const row of statements.counts.all(ids) as Array<{ provider_id: string; n: number }>) counts.set(row.provider_id, row.n);
  const items = rows.map((row) => toProvider(row, keys.get(row.id) ?? [], counts.get(row.id) ?? 0));
  return { status: 200, body: JSON.stringify({ items, total, limit, offset }) };
}

const expected = `Bearer ${token}`;
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://floor');
  const answer =
    request.headers.authorization !== expected
      ? { status: 401, body: '{"error":"unauthorized"}' }
      : url.pathname === '/api/v1/providers'
        ? page(url.searchParams)
        : { status: 404, body: '{"error":"not found"}' };
  // The string goes to the socket as it is (no copy into a Buffer first); its length in bytes is all that is needed.
  response.writeHead(answer.status, { ...headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  response.end(answer.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
