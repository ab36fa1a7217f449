/**
 * The local gateway's own state: scoped tokens (only a SHA-256 digest of each token is stored; the value is shown once)
 * and usage counters, one row per provider × key × token × outcome, added to in batches by service/usage-service.ts.
 * `key_id` and `token_id` are '' for a keyless provider and for the main API token (a primary key needs non-null parts).
 * IF NOT EXISTS: a store whose user_version was set back (tests that rebuild an older schema) keeps these tables.
 */
export const sql = `
CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('gateway')),
  token_hash BLOB NOT NULL UNIQUE,
  providers TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS tokens_created_at ON tokens (created_at, id);

CREATE TABLE IF NOT EXISTS usage_counters (
  provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  key_id TEXT NOT NULL DEFAULT '',
  token_id TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  last_used_at TEXT NOT NULL,
  PRIMARY KEY (provider_id, key_id, token_id, outcome)
);
CREATE INDEX IF NOT EXISTS usage_counters_token ON usage_counters (token_id);
`;
