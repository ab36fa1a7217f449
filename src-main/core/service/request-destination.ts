/**
 * What decides where a provider's requests go and how they are authenticated: the base URL, the type-specific settings
 * (endpoint, region, project, location, credentials …), the extra headers, the trusted CA, TLS verification, the
 * private-network rule, the proxy and the custom provider's paths. When any of it changes, every verdict about the
 * provider's keys is stale. Timeouts, retries, names and flags do not change the answer a key gets, so they do not count.
 */
import type { ProviderRow } from '../store/rows.js';
import { canonicalJson } from './canonical-json.js';
import { parseJson } from './codec.js';

type DestinationColumns = Pick<ProviderRow, 'base_url' | 'settings' | 'network_config' | 'proxy_config' | 'custom_provider_config'>;

/**
 * One comparable string for a provider's destination. `secrets` are its opened sealed secrets (setting secrets, proxy
 * password and userinfo, header values): the stored blocks show `<REDACTED>` in their place, so a new secret is seen only there.
 * The string holds plaintext secrets: compare it in memory and drop it.
 */
export function requestDestination(row: DestinationColumns, secrets: Record<string, string>): string {
  const network = parseJson<Record<string, unknown>>(row.network_config, {});
  return canonicalJson({
    base_url: row.base_url,
    settings: parseJson<unknown>(row.settings, {}),
    extra_headers: network.extra_headers ?? {},
    ca_cert_pem: network.ca_cert_pem ?? '',
    insecure_skip_verify: network.insecure_skip_verify ?? false,
    allow_private_network: network.allow_private_network ?? false,
    proxy: parseJson<unknown>(row.proxy_config, {}),
    custom: parseJson<unknown>(row.custom_provider_config, null),
    secrets,
  });
}
