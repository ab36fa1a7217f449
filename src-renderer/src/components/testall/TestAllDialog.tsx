import { useEffect } from 'react';
import { useStores, useTestAll } from '../../stores';
import { formatLatency, plural } from '../../lib/format';
import { HEALTH_LABELS, PROVIDER_HEALTH_WORDS, verdictOf } from '../../lib/health';
import type { ProviderHealth } from '@contract/domain-schemas';
import { Dialog } from '../common/Dialog';
import { Icon } from '../common/Icon';
import { HealthBadge } from '../common/HealthBadge';
import { FailuresByCause } from './FailuresByCause';

/** Tests every enabled provider: a progress bar while it runs, then a summary with the failures grouped by cause. */
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
  const cancelling = useTestAll((s) => s.cancelling);
  const retesting = useTestAll((s) => s.only !== null);
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
  /** Closing while it runs only hides the dialog: the run goes on, and the top bar shows its progress. */
  const close = () => {
    ui.getState().closeDialog();
    testAll.getState().reset();
  };
  /** Shows exactly the providers counted under a health word: the list filter uses the same words as this summary. */
  const showHealth = (health: ProviderHealth) => {
    close();
    providers.getState().setQuery({ health });
  };
  const openProvider = (id: string) => {
    close();
    ui.getState().openProvider(id, 'keys');
  };

  const status = running
    ? cancelling
      ? 'Cancelling…'
      : total > 0
        ? `Tested ${done.toLocaleString()} of ${total.toLocaleString()}`
        : 'Starting…'
    : summary
      ? summary.cancelled
        ? 'Cancelled'
        : 'Finished'
      : '';

  return (
    <Dialog
      title={retesting ? 'Retest failed providers' : 'Test all providers'}
      description="Every enabled provider is tested in parallel; each gets a time cap (Settings → Checks). You can close this while it runs."
      onClose={close}
      footer={
        running ? (
          <>
            <button
              type="button"
              className="button button--danger-ghost"
              disabled={cancelling}
              onClick={() => void testAll.getState().cancel()}
            >
              <Icon name="x" /> {cancelling ? 'Cancelling…' : 'Cancel test'}
            </button>
            <button type="button" className="button button--primary" onClick={close}>
              Run in background
            </button>
          </>
        ) : (
          <>
            {failures.length > 0 && (
              <button type="button" className="button" onClick={() => void testAll.getState().retestFailed()}>
                <Icon name="refresh" /> Retest failed ({failures.length.toLocaleString()})
              </button>
            )}
            <button type="button" className="button" onClick={() => void testAll.getState().run()}>
              <Icon name="play" /> Test all again
            </button>
            <button type="button" className="button button--primary" onClick={close}>
              Done
            </button>
          </>
        )
      }
    >
      <div className="progress-block">
        <div className="progress-meta">
          <span>{status}</span>
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
          {summary.cancelled && (
            <p className="banner banner--warning test-all-cancelled">
              Cancelled after {plural(summary.passed + summary.failed, 'provider')} of {summary.total.toLocaleString()}.{' '}
              {summary.not_tested > 0 && `${summary.not_tested.toLocaleString()} not tested; they keep their previous results.`}
            </p>
          )}
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
              <span className="stat-label">{plural(summary.passed + summary.failed, 'provider')}</span>
            </div>
          </div>
          {summary.total === 0 && <p className="muted">There are no enabled providers to test.</p>}
        </div>
      )}
      {summary && failures.length > 0 && <FailuresByCause summary={summary} onOpen={openProvider} />}
      {!summary && recent.length > 0 && (
        <ul className="test-log" aria-label="Latest results">
          {recent.map((r) => {
            const check = r.results.find((c) => !c.ok) ?? r.results[0];
            return (
              <li key={r.provider.id} className={`test-log-item ${r.ok ? 'is-ok' : 'is-fail'}`}>
                <HealthBadge kind={r.health} compact />
                <button type="button" className="link-button mono" onClick={() => openProvider(r.provider.id)}>
                  {r.provider.name}
                </button>
                <span className="muted small">
                  {check ? (r.ok ? formatLatency(check.latency_ms) : `${verdictOf(check)} — ${check.hint ?? check.message}`) : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
