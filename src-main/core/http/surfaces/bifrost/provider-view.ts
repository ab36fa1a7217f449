import { REQUEST_TYPES, type CustomProviderConfig } from '../../../contract/config-schemas.js';
import type { CheckResult } from '../../../contract/domain-schemas.js';
import {
  concurrencyOf,
  customOf,
  networkOf,
  parseJson,
  proxyOf,
  PROXY_PASSWORD_PATH,
  secretPathsOf,
  settingsOf,
} from '../../../service/codec.js';
import { REDACTED } from '../../../service/secret-fields.js';
import { redactHeaders, redactProxyUrl } from '../../../service/network-secrets.js';
import { BIFROST_STANDARD_PROVIDERS } from '../../../contract/config-schemas.js';
import type { ProviderRow } from '../../../store/rows.js';

export const STANDARD_PROVIDERS = BIFROST_STANDARD_PROVIDERS;

export function isStandardProvider(name: string): boolean {
  return STANDARD_PROVIDERS.has(name);
}

/** A set request flag list: every flag present (false unless set), so what a client reads back it can send back unchanged. */
export function fullAllowedRequests(flags: Partial<Record<string, boolean>> | null): Record<string, boolean> | null {
  if (!flags) return null;
  return Object.fromEntries(REQUEST_TYPES.map((type) => [type, flags[type] === true]));
}

function customView(custom: CustomProviderConfig | null): Record<string, unknown> | null {
  if (!custom) return null;
  return {
    is_key_less: custom.is_key_less === true,
    base_provider_type: custom.base_provider_type,
    allowed_requests: fullAllowedRequests(custom.allowed_requests),
    request_path_overrides: custom.request_path_overrides ?? null,
  };
}

/** `active` unless the provider is disabled or its last check failed. */
export function providerStatus(row: ProviderRow): 'active' | 'error' {
  const last = parseJson<CheckResult | null>(row.last_check, null);
  return row.enabled === 1 && (last === null || last.ok) ? 'active' : 'error';
}

/**
 * Bifrost's ProviderResponse: every block with its defaults filled, secrets (proxy password and URL userinfo, secret
 * header values, CA certificates) shown as `<REDACTED>`, keys left out.
 */
export function toProviderResponse(
  row: ProviderRow,
  listing?: { status: 'active' | 'error'; description: string },
): Record<string, unknown> {
  const network = networkOf(row);
  const proxy = proxyOf(row);
  const hasPassword = secretPathsOf(settingsOf(row)).includes(PROXY_PASSWORD_PATH);
  const listingFailed = row.models_status === 'error';
  return {
    name: row.name,
    network_config: {
      base_url: row.base_url,
      extra_headers: redactHeaders(network.extra_headers ?? {}),
      default_request_timeout_in_seconds: network.default_request_timeout_in_seconds,
      max_retries: network.max_retries,
      retry_backoff_initial: network.retry_backoff_initial,
      retry_backoff_max: network.retry_backoff_max,
      insecure_skip_verify: network.insecure_skip_verify,
      ca_cert_pem: network.ca_cert_pem ? REDACTED : '',
      allow_private_network: network.allow_private_network,
    },
    concurrency_and_buffer_size: concurrencyOf(row),
    proxy_config: {
      type: proxy.type,
      url: redactProxyUrl(proxy.url),
      username: proxy.username,
      password: hasPassword ? REDACTED : '',
      ca_cert_pem: proxy.ca_cert_pem ? REDACTED : '',
    },
    send_back_raw_request: row.send_back_raw_request === 1,
    send_back_raw_response: row.send_back_raw_response === 1,
    store_raw_request_response: row.store_raw_request_response === 1,
    custom_provider_config: customView(customOf(row)),
    provider_status: providerStatus(row),
    status: listing?.status ?? (listingFailed ? 'error' : 'active'),
    description:
      listing?.description ?? (listingFailed ? `list_models_failed: ${row.models_error ?? 'the last model listing failed'}` : ''),
    config_hash: row.config_hash,
  };
}
