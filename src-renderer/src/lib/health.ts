import { PROVIDER_HEALTH, type CheckResult, type KeyHealth, type Provider, type ProviderHealth } from '@contract/domain-schemas';

/** The health words, as the backend computes them (service/health-model.ts); the GUI only shows them, never re-derives them. */
export type HealthKind = ProviderHealth | KeyHealth;

export const HEALTH_LABELS: Record<HealthKind, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  error: 'Error',
  offline: 'Offline',
  untested: 'Untested',
  missing_env: 'Missing env',
};

/** The provider health words in the order filters and summaries list them. */
export const PROVIDER_HEALTH_WORDS: readonly ProviderHealth[] = PROVIDER_HEALTH;

export function healthOf(provider: Pick<Provider, 'health'>): ProviderHealth {
  return provider.health;
}

/** The stored health of the key a check was about (the provider's own for a keyless check); untested once the key is gone. */
export function resultHealth(result: Pick<CheckResult, 'key_id'>, provider: Pick<Provider, 'health' | 'api_keys'>): HealthKind {
  if (result.key_id === null) return provider.health;
  return provider.api_keys.find((k) => k.id === result.key_id)?.health ?? 'untested';
}

const CLASS_LABELS: Record<string, string> = {
  auth_failed: 'Key rejected',
  forbidden: 'No permission',
  not_found: 'Not found',
  rate_limited: 'Rate limited',
  quota_exceeded: 'Out of quota',
  server_error: 'Server error',
  timeout: 'Timed out',
  dns_failed: 'Host not found',
  connection_refused: 'Connection refused',
  tls_failed: 'TLS failed',
  proxy_failed: 'Proxy failed',
  blocked_private_network: 'Private network blocked',
  invalid_response: 'Unexpected answer',
  missing_credentials: 'Missing key',
  missing_env: 'Variable not set',
  unsupported: 'Not supported',
};

/** A test-all failure cause (an error class, or 'other') in a couple of words: "Key rejected", "Timed out"… */
export function causeLabel(cause: string): string {
  return CLASS_LABELS[cause] ?? 'Other failures';
}

/** The verdict of one check in a couple of words: "Works", "Key rejected", "Timed out"… */
export function verdictOf(check: CheckResult): string {
  // Answered, but only a billed (deep) request could prove the key: never shown as working.
  if (check.ok && check.error_class === 'unsupported') return 'Not verified';
  if (check.ok) return 'Works';
  return (check.error_class && CLASS_LABELS[check.error_class]) || 'Failed';
}
