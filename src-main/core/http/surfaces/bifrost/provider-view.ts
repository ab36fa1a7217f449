import { REQUEST_TYPES, type CustomProviderConfig } from '../../../contract/config-schemas.js';
import type { Provider } from '../../../contract/domain-schemas.js';
import { REDACTED } from '../../../service/secret-fields.js';
import { BIFROST_STANDARD_PROVIDERS } from '../../../contract/config-schemas.js';
import { listingFields, providerStatus, type BifrostListing } from './status.js';

export const STANDARD_PROVIDERS = BIFROST_STANDARD_PROVIDERS;

export function isStandardProvider(name: string): boolean {
  return STANDARD_PROVIDERS.has(name);
}

/**
 * A set request-flag list as stored and shown: every flag we know (false unless set), like Bifrost's Go struct, then
 * every other flag as the client sent it, so newer flags round-trip instead of being dropped.
 */
export function fullAllowedRequests(flags: Readonly<Record<string, boolean | null | undefined>> | null): Record<string, boolean> | null {
  if (!flags) return null;
  const known = Object.fromEntries(REQUEST_TYPES.map((type) => [type, flags[type] === true]));
  const others = Object.entries(flags).filter(([type]) => !(type in known));
  return { ...known, ...Object.fromEntries(others.map(([type, allowed]) => [type, allowed === true])) };
}

/** Bifrost omits what is not set (`omitempty`) rather than writing null: no allowed_requests means all allowed. */
function customView(custom: CustomProviderConfig | null): Record<string, unknown> | undefined {
  if (!custom) return undefined;
  const allowed = fullAllowedRequests(custom.allowed_requests);
  const overrides = custom.request_path_overrides ?? {};
  return {
    is_key_less: custom.is_key_less === true,
    base_provider_type: custom.base_provider_type,
    ...(allowed ? { allowed_requests: allowed } : {}),
    ...(Object.keys(overrides).length > 0 ? { request_path_overrides: overrides } : {}),
  };
}

/**
 * Bifrost's ProviderResponse: every block with its defaults filled, secrets (proxy password and URL userinfo, secret
 * header values, CA certificates) shown as `<REDACTED>`, keys left out, and what Bifrost omits when empty left out
 * (custom_provider_config, status, description). `listing` is the model-discovery outcome (see status.ts).
 */
export function toProviderResponse(provider: Provider, listing: BifrostListing | undefined): Record<string, unknown> {
  // The native view already shows secret header values and the proxy URL's userinfo as `<REDACTED>`.
  const network = provider.network_config;
  const proxy = provider.proxy_config;
  const custom = customView(provider.custom_provider_config);
  return {
    name: provider.name,
    network_config: {
      base_url: provider.base_url,
      extra_headers: network.extra_headers,
      default_request_timeout_in_seconds: network.default_request_timeout_in_seconds,
      max_retries: network.max_retries,
      retry_backoff_initial: network.retry_backoff_initial,
      retry_backoff_max: network.retry_backoff_max,
      insecure_skip_verify: network.insecure_skip_verify,
      ca_cert_pem: network.ca_cert_pem ? REDACTED : '',
      allow_private_network: network.allow_private_network,
    },
    concurrency_and_buffer_size: provider.concurrency_and_buffer_size,
    proxy_config: {
      type: proxy.type,
      url: proxy.url,
      username: proxy.username,
      password: proxy.has_password ? REDACTED : '',
      ca_cert_pem: proxy.ca_cert_pem ? REDACTED : '',
    },
    send_back_raw_request: provider.send_back_raw_request,
    send_back_raw_response: provider.send_back_raw_response,
    store_raw_request_response: provider.store_raw_request_response,
    ...(custom ? { custom_provider_config: custom } : {}),
    provider_status: providerStatus({ enabled: provider.enabled }),
    ...listingFields(listing),
    config_hash: provider.config_hash,
  };
}

/**
 * What DELETE answers for a name that is not there: Bifrost's zero-valued ProviderResponse (200, like Bifrost), without
 * its `proxy_config: null`, which its own published schema does not allow.
 */
export function absentProviderResponse(name: string): Record<string, unknown> {
  return {
    name,
    network_config: {
      base_url: '',
      extra_headers: {},
      default_request_timeout_in_seconds: 0,
      max_retries: 0,
      retry_backoff_initial: 0,
      retry_backoff_max: 0,
      insecure_skip_verify: false,
      ca_cert_pem: '',
      allow_private_network: false,
    },
    concurrency_and_buffer_size: { concurrency: 0, buffer_size: 0 },
    send_back_raw_request: false,
    send_back_raw_response: false,
    store_raw_request_response: false,
    provider_status: '',
  };
}
