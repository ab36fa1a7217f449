import type { CheckResult } from '@contract/domain-schemas';
import type { OperationOutput } from '@contract/operations';
import { formatLatency } from '../../lib/format';
import { verdictOf } from '../../lib/health';
import { CheckFailure } from '../common/CheckFailure';

export type DraftCheck = OperationOutput<'providers.testDraft'>;

/** What "Check" in the add form found: per key, in the order the keys were entered, with what to do about a failure. */
export function DraftCheckResult({ check, keyLabels }: { check: DraftCheck; keyLabels: ReadonlyMap<string, string> }) {
  const label = (result: CheckResult, index: number) =>
    result.key_id === null ? 'Endpoint' : (keyLabels.get(result.key_id) ?? `Key ${index + 1}`);
  const models = check.model_count === null ? '' : ` — ${check.model_count} ${check.model_count === 1 ? 'model' : 'models'} listed`;
  const title = check.ok ? `The key works${models}` : check.results.some((r) => r.ok) ? 'Some keys failed' : 'The check failed';
  return (
    <section
      className={`draft-check ${check.ok ? 'draft-check--ok' : 'draft-check--fail'}`}
      aria-label="Check result"
      data-health={check.health}
    >
      <p className="draft-check-title">{title}</p>
      <ul className="test-result-list">
        {check.results.map((result, index) => (
          <li key={`${result.key_id ?? 'endpoint'}-${index}`} className="test-result">
            <span className="test-result-key">{label(result, index)}</span>
            <span className="test-result-verdict">{verdictOf(result)}</span>
            <span className="latency">{formatLatency(result.latency_ms)}</span>
            {!result.ok && <CheckFailure result={result} />}
          </li>
        ))}
      </ul>
      <p className="muted small">Nothing was saved; the key was only used for this check.</p>
    </section>
  );
}
