/**
 * One row per provider's stored model list: a hash of what was listed and when it was last fetched. A test or refresh
 * that lists the same models again then writes this one row instead of deleting and re-inserting every model (a
 * provider may list thousands); `fetched_at` still says when the list was last seen. Providers listed before this
 * step have no row, so their next listing is written in full and gets one.
 */
export const sql = `
CREATE TABLE model_lists (
  provider_id TEXT PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  fetched_at TEXT NOT NULL
);
`;
