import { UNREACHABLE_ERROR_CLASSES, type CheckResult, type Provider } from '@contract/domain-schemas';

export type HealthKind = 'online' | 'offline' | 'error' | 'untested';

export const HEALTH_LABELS: Record<HealthKind, string> = { online: 'Online', offline: 'Offline', error: 'Error', untested: 'Untested' };

const UNREACHABLE = new Set<string>(UNREACHABLE_ERROR_CLASSES);

/** One word for a provider's health, from its stored status, state and last check. */
export function healthOf(provider: Pick<Provider, 'status' | 'state' | 'last_check'>): HealthKind {
  if (provider.status === 'untested') return 'untested';
  if (provider.status === 'active') return 'online';
  const cls = provider.last_check?.error_class;
  if (provider.state !== 'online' && cls && UNREACHABLE.has(cls)) return 'offline';
  return 'error';
}

export function checkKind(check: CheckResult | null | undefined): HealthKind {
  if (!check) return 'untested';
  if (check.ok) return 'online';
  return check.error_class && UNREACHABLE.has(check.error_class) ? 'offline' : 'error';
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
};

/** The verdict of one check in a couple of words: "Works", "Key rejected", "Timed out"… */
export function verdictOf(check: CheckResult): string {
  if (check.ok) return 'Works';
  return (check.error_class && CLASS_LABELS[check.error_class]) || 'Failed';
}
