/** The first schema: providers (uuid id + integer seq), api keys, models, check results, key slots, meta. */
export const sql = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT,
  sealed BLOB
);

CREATE TABLE key_slots (
  kind TEXT PRIMARY KEY,
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE providers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  base_url TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  description TEXT NOT NULL DEFAULT '',
  settings TEXT NOT NULL DEFAULT '{}',
  secrets BLOB,
  network_config TEXT NOT NULL,
  proxy_config TEXT NOT NULL,
  concurrency TEXT NOT NULL,
  custom_provider_config TEXT,
  send_back_raw_request INTEGER NOT NULL DEFAULT 0,
  send_back_raw_response INTEGER NOT NULL DEFAULT 0,
  store_raw_request_response INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'untested',
  state TEXT NOT NULL DEFAULT 'unknown',
  last_check TEXT,
  models_status TEXT NOT NULL DEFAULT 'none',
  models_error TEXT,
  config_hash TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX providers_created_at ON providers (created_at, seq);
CREATE INDEX providers_type ON providers (type);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  secret_sealed BLOB,
  secret_ref TEXT,
  mask_head TEXT NOT NULL DEFAULT '',
  mask_tail TEXT NOT NULL DEFAULT '',
  secret_length INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  weight REAL NOT NULL DEFAULT 1,
  models TEXT NOT NULL DEFAULT '[]',
  blacklisted_models TEXT NOT NULL DEFAULT '[]',
  use_for_batch_api INTEGER NOT NULL DEFAULT 0,
  key_config TEXT,
  key_config_secrets BLOB,
  status TEXT NOT NULL DEFAULT 'untested',
  last_check TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (provider_id, name)
);
CREATE INDEX api_keys_provider ON api_keys (provider_id, position);

CREATE TABLE models (
  provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  model_id TEXT NOT NULL,
  key_id TEXT,
  display_name TEXT NOT NULL,
  capabilities TEXT NOT NULL DEFAULT '[]',
  context_window INTEGER,
  owned_by TEXT,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (provider_id, model_id)
);

CREATE TABLE check_results (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  key_id TEXT,
  result TEXT NOT NULL,
  checked_at TEXT NOT NULL
);
CREATE INDEX check_results_provider ON check_results (provider_id, id);
`;
