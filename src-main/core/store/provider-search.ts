/**
 * The list's search as SQL: a substring of the name, display name or base URL, ASCII case-insensitive (SQLite's LIKE).
 * From three characters on, the trigram index (providers_search, migration 0004) finds the candidates first; LIKE then
 * decides on those few rows, so the results are exactly LIKE's: the index folds case beyond ASCII and, storing no
 * positions, matches trigrams anywhere in a row. Shorter searches cannot use trigrams and stay a LIKE scan.
 */

/** Trigrams have three characters: a shorter search has none. */
export const TRIGRAM_LENGTH = 3;

const LIKE_ON_SEARCHED_COLUMNS =
  "(name LIKE @search_like ESCAPE '\\' OR display_name LIKE @search_like ESCAPE '\\' OR base_url LIKE @search_like ESCAPE '\\')";

export interface SearchCondition {
  sql: string;
  params: Record<string, string>;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * An FTS5 query that every row containing `text` matches: each of its trigrams as a quoted string (so quotes, `*`,
 * `AND` … are literal), all required. Null when the text is too short for a trigram. Characters are code points, as
 * the tokenizer counts them.
 */
export function trigramQuery(text: string): string | null {
  const chars = Array.from(text);
  if (chars.length < TRIGRAM_LENGTH) return null;
  const trigrams = new Set<string>();
  for (let i = 0; i + TRIGRAM_LENGTH <= chars.length; i++) trigrams.add(chars.slice(i, i + TRIGRAM_LENGTH).join(''));
  return [...trigrams].map((trigram) => `"${trigram.replaceAll('"', '""')}"`).join(' AND ');
}

/**
 * The WHERE condition for a search. The matching rowids come first (`seq IN (…)`), so the query sorts the matches
 * instead of walking a sort index and testing every row.
 */
export function searchCondition(text: string): SearchCondition {
  const like = `%${escapeLike(text)}%`;
  const match = trigramQuery(text);
  if (match === null) return { sql: LIKE_ON_SEARCHED_COLUMNS, params: { search_like: like } };
  return {
    sql: `seq IN (SELECT rowid FROM providers_search WHERE providers_search MATCH @search_match) AND ${LIKE_ON_SEARCHED_COLUMNS}`,
    params: { search_like: like, search_match: match },
  };
}
