import type { TestAllSummary } from '../../stores/test-all-store';
import { causeLabel, verdictOf } from '../../lib/health';
import { HealthBadge } from '../common/HealthBadge';

/** Names shown per cause before "…and N more" (the health links above list every provider). */
const NAMES_PER_CAUSE = 200;
/** With this many causes or fewer every group starts open; with more, only the largest. */
const OPEN_GROUPS = 3;

type Failed = TestAllSummary['providers'][number];

/**
 * A test-all's failures, one expandable group per cause (key rejected, timed out, rate limited…) with its count and
 * the providers in it, most common cause first.
 */
export function FailuresByCause({ summary, onOpen }: { summary: TestAllSummary; onOpen(providerId: string): void }) {
  const groups = new Map<string, Failed[]>();
  for (const p of summary.providers) {
    if (p.ok) continue;
    const cause = p.cause ?? 'other';
    groups.set(cause, [...(groups.get(cause) ?? []), p]);
  }
  const ordered = [...groups].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
  return (
    <section className="cause-groups" aria-labelledby="test-all-causes">
      <h3 id="test-all-causes" className="section-title">
        Failures by cause
      </h3>
      <ul className="cause-list" aria-label="Failed providers">
        {ordered.map(([cause, failed], index) => (
          <li key={cause}>
            <details className="cause-group" data-cause={cause} open={ordered.length <= OPEN_GROUPS || index === 0}>
              <summary>
                <span className="cause-name">{causeLabel(cause)}</span>
                <span className="cause-count">{failed.length.toLocaleString()}</span>
              </summary>
              <ul className="test-log" aria-label={`${causeLabel(cause)}: providers`}>
                {failed.slice(0, NAMES_PER_CAUSE).map((p) => {
                  const check = p.results.find((r) => !r.ok);
                  return (
                    <li key={p.id} className="test-log-item is-fail">
                      <HealthBadge kind={p.health} compact />
                      <button type="button" className="link-button mono" onClick={() => onOpen(p.id)}>
                        {p.name}
                      </button>
                      <span className="muted small" title={check?.hint ?? undefined}>
                        {check ? `${verdictOf(check)} — ${check.message}` : ''}
                      </span>
                    </li>
                  );
                })}
                {failed.length > NAMES_PER_CAUSE && (
                  <li className="muted small">
                    …and {(failed.length - NAMES_PER_CAUSE).toLocaleString()} more (use “Show …” above to list them all)
                  </li>
                )}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
