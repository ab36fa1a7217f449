import { useEffect, useRef } from 'react';
import { useStores, useTestAll, useUi } from '../../stores';
import { plural } from '../../lib/format';
import { Spinner } from '../common/Spinner';

/**
 * The top bar's word on a test-all whose dialog is closed: its progress while it runs ("Testing 340/1,000"), then its
 * outcome until the results are looked at. Either one reopens the dialog.
 */
export function TestAllIndicator() {
  const { ui } = useStores();
  const dialogOpen = useUi((s) => s.dialog === 'test-all');
  const running = useTestAll((s) => s.running);
  const cancelling = useTestAll((s) => s.cancelling);
  const done = useTestAll((s) => s.done);
  const total = useTestAll((s) => s.total);
  const summary = useTestAll((s) => s.summary);
  useFinishedToast(running, dialogOpen);

  if (dialogOpen || (!running && !summary)) return null;
  const open = () => ui.getState().openDialog('test-all');
  if (running) {
    const label = cancelling ? 'Cancelling test' : total > 0 ? `Testing ${done.toLocaleString()}/${total.toLocaleString()}` : 'Testing…';
    return (
      <button type="button" className="button button--ghost test-all-indicator" onClick={open} title="Show the test-all progress">
        <Spinner size={12} />
        <span>{label}</span>
        {total > 0 && <progress className="progress test-all-indicator-bar" max={total} value={done} aria-hidden="true" />}
      </button>
    );
  }
  if (!summary) return null;
  const outcome = summary.cancelled
    ? `Test cancelled: ${summary.failed.toLocaleString()} failed`
    : summary.failed > 0
      ? `Tested: ${summary.failed.toLocaleString()} failed`
      : `Tested: all ${summary.passed.toLocaleString()} passed`;
  return (
    <button
      type="button"
      className={`button button--ghost test-all-indicator ${summary.failed > 0 ? 'is-fail' : 'is-ok'}`}
      onClick={open}
      title="Show the test-all results"
    >
      <span>{outcome}</span>
    </button>
  );
}

/** Says when a run that was sent to the background ends. */
function useFinishedToast(running: boolean, dialogOpen: boolean): void {
  const { ui, testAll } = useStores();
  const wasRunning = useRef(running);
  useEffect(() => {
    const finished = wasRunning.current && !running;
    wasRunning.current = running;
    if (!finished || dialogOpen) return;
    const summary = testAll.getState().summary;
    if (!summary) return;
    const tested = summary.passed + summary.failed;
    ui.getState().toast(
      `${summary.cancelled ? 'Test all cancelled' : 'Test all finished'}: ${plural(tested, 'provider')} tested, ${summary.failed.toLocaleString()} failed`,
      summary.failed > 0 ? 'error' : 'success',
    );
  }, [running, dialogOpen, ui, testAll]);
}
