import type { CheckResult, Provider } from '@contract/domain-schemas';
import { formatLatency } from '../../lib/format';
import { resultHealth, verdictOf } from '../../lib/health';
import { HealthBadge } from '../common/HealthBadge';
import { CheckFailure } from '../common/CheckFailure';

/** The verdict of the last test, per key, with latency and (for failures) what to do about it. */
export function TestResults({ results, provider }: { results: CheckResult[]; provider: Provider }) {
  const keyName = (id: string | null) =>
    id === null ? 'Endpoint (no key)' : (provider.api_keys.find((k) => k.id === id)?.name ?? 'Removed key');
  const ok = results.length > 0 && results.every((r) => r.ok);
  return (
    <section className={`test-results ${ok ? 'test-results--ok' : 'test-results--fail'}`} aria-label="Test results" aria-live="polite">
      <p className="test-results-title">{ok ? 'Test passed' : results.some((r) => r.ok) ? 'Some keys failed' : 'Test failed'}</p>
      <ul className="test-result-list">
        {results.map((result, index) => (
          <li key={`${result.key_id ?? 'endpoint'}-${index}`} className="test-result">
            <HealthBadge kind={resultHealth(result, provider)} compact />
            <span className="test-result-key">{keyName(result.key_id)}</span>
            <span className="test-result-verdict">{verdictOf(result)}</span>
            <span className="latency" data-testid="latency">
              {formatLatency(result.latency_ms)}
            </span>
            {result.http_status !== null && <span className="muted small">HTTP {result.http_status}</span>}
            {!result.ok && <CheckFailure result={result} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
