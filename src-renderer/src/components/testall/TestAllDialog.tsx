import { useEffect } from 'react';
import { useStores, useTestAll } from '../../stores';
import { formatLatency, plural } from '../../lib/format';
import { HEALTH_LABELS, PROVIDER_HEALTH_WORDS, verdictOf } from '../../lib/health';
import type { ProviderHealth } from '@contract/domain-schemas';
import { Dialog } from '../common/Dialog';
import { Icon } from '../common/Icon';
import { HealthBadge } from '../common/HealthBadge';

/** Tests every enabled provider: a progress bar while it runs, then a summary with the failures. */
const STAT_TONE: Record<ProviderHealth, string> = {
  ok: 'stat--ok',
  degraded: 'stat--warn',
  error: 'stat--fail',
  offline: 'stat--warn',
  untested: 'stat--muted',
};

export function TestAllDialog() {
  const { testAll, ui, providers } = useStores();
  const running = useTestAll((s) => s.running);
  const done = useTestAll((s) => s.done);
  const total = useTestAll((s) => s.total);
  const recent = useTestAll((s) => s.recent);
  const summary = useTestAll((s) => s.summary);
  const error = useTestAll((s) => s.error);

  useEffect(() => {
    const state = testAll.getState();
    if (!state.running && !state.summary) void state.run();
  }, [testAll]);

  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  const failures = summary?.providers.filter((p) => !p.ok) ?? [];
  const close = () => {
    ui.getState().closeDialog();
    testAll.getState().reset();
  };
  /** Shows exactly the providers counted under a health word: the list filter uses the same words as this summary. */
  const showHealth = (health: ProviderHealth) => {
    close();
    providers.getState().setQuery({ health });
  };

  return (
    <Dialog
      title="Test all providers"
      description="Every enabled provider is tested in parallel."
      onClose={close}
      footer={
        <>
          {!running && (
            <button type="button" className="button" onClick={() => void testAll.getState().run()}>
              <Icon name="refresh" /> Run again
            </button>
          )}
          <button type="button" className="button button--primary" onClick={close}>
            {running ? 'Hide' : 'Done'}
          </button>
        </>
      }
    >
      <div className="progress-block">
        <div className="progress-meta">
          <span>
            {running
              ? total > 0
                ? `Tested ${done.toLocaleString()} of ${total.toLocaleString()}`
                : 'Starting…'
              : summary
                ? 'Finished'
                : ''}
          </span>
          <span>{percent}%</span>
        </div>
        <progress
          className="progress"
          max={Math.max(total, 1)}
          value={done}
          aria-label="Test progress"
          aria-valuetext={`${done} of ${total} providers tested`}
        />
      </div>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {summary && (
        <div className="summary" role="status">
          <div className="summary-stats" aria-label="Providers by health">
            {PROVIDER_HEALTH_WORDS.filter((health) => health !== 'untested' || summary.by_health.untested > 0).map((health) => (
              <div key={health} className={`stat ${STAT_TONE[health]}`} data-health={health}>
                <span className="stat-value">{summary.by_health[health].toLocaleString()}</span>
                <span className="stat-label">{HEALTH_LABELS[health]}</span>
                {summary.by_health[health] > 0 && (
                  <button type="button" className="link-button small" onClick={() => showHealth(health)}>
                    Show {HEALTH_LABELS[health].toLowerCase()}
                  </button>
                )}
              </div>
            ))}
            <div className="stat">
              <span className="stat-value">{(summary.duration_ms / 1000).toFixed(1)} s</span>
              <span className="stat-label">{plural(summary.total, 'provider')}</span>
            </div>
          </div>
          {summary.total === 0 && <p className="muted">There are no enabled providers to test.</p>}
        </div>
      )}
      {(summary ? failures.slice(0, 50) : recent).length > 0 && (
        <ul className="test-log" aria-label={summary ? 'Failed providers' : 'Latest results'}>
          {(summary ? failures.slice(0, 50) : recent.map((r) => ({ ...r.provider, ok: r.ok, health: r.health, results: r.results }))).map(
            (p) => {
              const failure = p.results.find((r) => !r.ok) ?? p.results[0];
              return (
                <li key={p.id} className={`test-log-item ${p.ok ? 'is-ok' : 'is-fail'}`}>
                  <HealthBadge kind={p.health} compact />
                  <button type="button" className="link-button mono" onClick={() => (close(), ui.getState().openProvider(p.id, 'keys'))}>
                    {p.name}
                  </button>
                  <span className="muted small">
                    {failure
                      ? p.ok
                        ? formatLatency(failure.latency_ms)
                        : `${verdictOf(failure)} — ${failure.hint ?? failure.message}`
                      : ''}
                  </span>
                </li>
              );
            },
          )}
        </ul>
      )}
      {summary && failures.length > 50 && (
        <p className="muted small">
          …and {failures.length - 50} more. Use the “Show …” links above to list every provider of each health in the list.
        </p>
      )}
    </Dialog>
  );
}
