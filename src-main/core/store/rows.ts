/** Rows as SQLite holds them (JSON columns still text, secrets still sealed). */
export interface ProviderRow {
  seq: number;
  id: string;
  name: string;
  display_name: string;
  type: string;
  base_url: string;
  enabled: number;
  description: string;
  settings: string;
  secrets: Buffer | null;
  network_config: string;
  proxy_config: string;
  concurrency: string;
  custom_provider_config: string | null;
  send_back_raw_request: number;
  send_back_raw_response: number;
  store_raw_request_response: number;
  /** ok | degraded | error | offline | untested, kept by service/health-model.ts whenever keys or checks change. */
  health: string;
  /** Deprecated (derived from health): untested | active | error. */
  status: string;
  /** Deprecated (derived from health): unknown | online | offline. */
  state: string;
  last_check: string | null;
  models_status: string;
  models_error: string | null;
  config_hash: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface KeyRow {
  id: string;
  provider_id: string;
  position: number;
  name: string;
  secret_sealed: Buffer | null;
  secret_ref: string | null;
  mask_head: string;
  mask_tail: string;
  secret_length: number;
  enabled: number;
  weight: number;
  models: string;
  blacklisted_models: string;
  use_for_batch_api: number;
  key_config: string | null;
  key_config_secrets: Buffer | null;
  status: string;
  last_check: string | null;
  created_at: string;
  updated_at: string;
}

/** A model as a provider's listing gives it (what a refresh writes). */
export interface ModelRow {
  provider_id: string;
  model_id: string;
  key_id: string | null;
  display_name: string;
  capabilities: string;
  context_window: number | null;
  owned_by: string | null;
  fetched_at: string;
}

/** A stored model: the listing's columns and the user's curation (migration 0007). */
export interface StoredModelRow extends ModelRow {
  /** 0 when the user turned the model off. */
  enabled: number;
  /** 1 for an id the user added; never marked gone. */
  custom: number;
  /** When a refresh first stopped listing it; null while listed. */
  gone_at: string | null;
}
