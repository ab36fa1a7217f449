/**
 * Indexes for the queries the list runs. One per sort the list API accepts, each ending in `seq` as the ORDER BY does
 * (type and created_at have theirs since 0001); an expression must stay textually equal to repository.ts's, or SQLite
 * will not use it. And an FTS5 trigram index over the searched columns (provider-search.ts): external content, so it
 * keeps no copy of the text, and no positions (detail none), since LIKE decides on its candidates anyway. Triggers
 * keep it in step, and only when a searched column really changes, so health and test writes do not touch it.
 * Every step may run again on a store that has it already.
 */
/** The trigger that indexes an inserted provider; a bulk insert drops it and rebuilds the index once (Repository.insertingInBulk). */
export const SEARCH_INSERT_TRIGGER = `CREATE TRIGGER IF NOT EXISTS providers_search_insert AFTER INSERT ON providers BEGIN
  INSERT INTO providers_search (rowid, name, display_name, base_url) VALUES (new.seq, new.name, new.display_name, new.base_url);
END;`;

export const sql = `
CREATE INDEX IF NOT EXISTS providers_name_sort ON providers (name COLLATE NOCASE, seq);
CREATE INDEX IF NOT EXISTS providers_display_name_sort ON providers (COALESCE(NULLIF(display_name, ''), name) COLLATE NOCASE, seq);
CREATE INDEX IF NOT EXISTS providers_updated_at_sort ON providers (updated_at, seq);
CREATE INDEX IF NOT EXISTS providers_status_sort ON providers (status, seq);
CREATE INDEX IF NOT EXISTS providers_health_sort ON providers (
  (CASE health WHEN 'error' THEN 0 WHEN 'offline' THEN 1 WHEN 'degraded' THEN 2 WHEN 'ok' THEN 3 ELSE 4 END), seq
);

CREATE VIRTUAL TABLE IF NOT EXISTS providers_search USING fts5 (
  name, display_name, base_url,
  content = 'providers', content_rowid = 'seq',
  tokenize = 'trigram case_sensitive 0 remove_diacritics 0',
  detail = 'none'
);
INSERT INTO providers_search (providers_search) VALUES ('rebuild');

${SEARCH_INSERT_TRIGGER}
CREATE TRIGGER IF NOT EXISTS providers_search_delete AFTER DELETE ON providers BEGIN
  INSERT INTO providers_search (providers_search, rowid, name, display_name, base_url)
    VALUES ('delete', old.seq, old.name, old.display_name, old.base_url);
END;
CREATE TRIGGER IF NOT EXISTS providers_search_update AFTER UPDATE OF seq, name, display_name, base_url ON providers
  WHEN old.seq IS NOT new.seq OR old.name IS NOT new.name OR old.display_name IS NOT new.display_name OR old.base_url IS NOT new.base_url
BEGIN
  INSERT INTO providers_search (providers_search, rowid, name, display_name, base_url)
    VALUES ('delete', old.seq, old.name, old.display_name, old.base_url);
  INSERT INTO providers_search (rowid, name, display_name, base_url) VALUES (new.seq, new.name, new.display_name, new.base_url);
END;
`;
