import type { ProviderHealth } from '../contract/domain-schemas.js';
import { searchCondition } from './provider-search.js';
import { PROVIDER_SORT_FIELDS } from '../contract/sort-fields.js';

/** The API's sorts, and seq (insertion order) for the store's own readers. */
export const PROVIDER_SORT_COLUMNS = [...PROVIDER_SORT_FIELDS, 'seq'] as const;
export type ProviderSortColumn = (typeof PROVIDER_SORT_COLUMNS)[number];

export interface ProviderQuery {
  search?: string | undefined;
  types?: string[] | undefined;
  /** Health filter on the stored health (service/health-model.ts). */
  health?: ProviderHealth | undefined;
  sortBy?: ProviderSortColumn | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Sorting by health puts the worst first: error, offline, degraded, ok, untested. */
const HEALTH_RANK_SQL = "CASE health WHEN 'error' THEN 0 WHEN 'offline' THEN 1 WHEN 'degraded' THEN 2 WHEN 'ok' THEN 3 ELSE 4 END";

/** The statements of a list query (test/core/store-queries.test.ts checks their plans) and their parameters. */
export function providerListSql(query: ProviderQuery): {
  count: string;
  page: string;
  seqs: string;
  /** A search through the trigram index: its matches are few, as a rule, and best read once (queryProviders). */
  searchFirst: boolean;
  params: Record<string, unknown>;
} {
  const { clause, params } = providerFilter(query);
  const tail = `${clause} ${providerOrder(query)} LIMIT @limit OFFSET @offset`;
  return {
    searchFirst: 'search_match' in params,
    count: `SELECT COUNT(*) AS n FROM providers ${clause}`,
    page: `SELECT * FROM providers ${tail}`,
    seqs: `SELECT seq FROM providers ${tail}`,
    params: { ...params, limit: query.limit ?? -1, offset: query.offset ?? 0 },
  };
}

/** Rows in the order of `seqs` (an IN list comes back in any order); seqs without a row are left out. */
export function inOrder<T extends { seq: number }>(seqs: number[], rows: T[]): T[] {
  const bySeq = new Map(rows.map((row) => [row.seq, row]));
  return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
}

/** The WHERE clause of a list query: search, types, health. */
function providerFilter(query: ProviderQuery): { clause: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.search) {
    const search = searchCondition(query.search);
    where.push(search.sql);
    Object.assign(params, search.params);
  }
  if (query.types && query.types.length > 0) {
    where.push(`type IN (${query.types.map((_, i) => `@type${i}`).join(', ')})`);
    query.types.forEach((type, i) => (params[`type${i}`] = type));
  }
  // The stored health is the word every view shows, so the filter and the GUI's dot can never disagree.
  if (query.health) {
    where.push('health = @health');
    params.health = query.health;
  }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** The ORDER BY of a list query; each expression has an index of the same text, ending in seq (migration 0004). */
function providerOrder(query: ProviderQuery): string {
  const column = PROVIDER_SORT_COLUMNS.includes(query.sortBy as ProviderSortColumn) ? query.sortBy : 'created_at';
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  // A provider without a display name is shown under its name, so it sorts by that name too.
  const expression =
    column === 'display_name'
      ? "COALESCE(NULLIF(display_name, ''), name) COLLATE NOCASE"
      : column === 'name'
        ? 'name COLLATE NOCASE'
        : column === 'health'
          ? HEALTH_RANK_SQL
          : column;
  return `ORDER BY ${expression} ${direction}, seq ${direction}`;
}
