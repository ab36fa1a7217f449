import { useState } from 'react';
import { useSettings, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { canAskNotificationPermission } from '../../lib/check-transitions';
import { SelectField } from '../common/Field';

const CHOICES: Array<{ minutes: number; label: string }> = [
  { minutes: 0, label: 'Off' },
  { minutes: 5, label: 'Every 5 minutes' },
  { minutes: 15, label: 'Every 15 minutes' },
  { minutes: 60, label: 'Every hour' },
  { minutes: 360, label: 'Every 6 hours' },
];

const TIME_CAPS = [5, 10, 20, 30, 60, 120];

/** Scheduled checks: how often every enabled provider is re-tested in the background (off by default); Test all's time cap. */
export function ChecksSettings() {
  const { settings, ui, client } = useStores();
  const minutes = useSettings((s) => s.preferences?.checkIntervalMinutes);
  const timeCap = useSettings((s) => s.preferences?.testTimeoutSeconds);
  const [blocked, setBlocked] = useState(false);
  if (minutes === undefined || timeCap === undefined) return null;
  const caps = TIME_CAPS.includes(timeCap) ? TIME_CAPS : [...TIME_CAPS, timeCap].sort((a, b) => a - b);

  const chooseCap = async (seconds: number) => {
    try {
      await settings.getState().update({ testTimeoutSeconds: seconds });
      ui.getState().toast(`Test all now gives each provider ${seconds} s`, 'success');
    } catch (error) {
      ui.getState().toast(errorMessage(error), 'error');
    }
  };
  const browser = client.transport.kind === 'http';
  const choices = CHOICES.some((c) => c.minutes === minutes) ? CHOICES : [...CHOICES, { minutes, label: `Every ${minutes} minutes` }];

  const choose = async (next: number) => {
    // Asked while the user's choice is still a fresh gesture, and only the first time checks are turned on.
    if (browser && minutes === 0 && next > 0 && canAskNotificationPermission()) {
      void Notification.requestPermission().then((answer) => setBlocked(answer === 'denied'));
    }
    try {
      await settings.getState().update({ checkIntervalMinutes: next });
      ui.getState().toast(next === 0 ? 'Scheduled checks turned off' : 'Scheduled checks turned on', 'success');
    } catch (error) {
      ui.getState().toast(errorMessage(error), 'error');
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-checks">
      <h2 id="settings-checks" className="settings-title">
        Scheduled checks
      </h2>
      <p className="muted">
        Re-tests every enabled provider in the background and tells you when a key that worked stops working. Each check calls the
        provider&apos;s API the way Test does (its key or model-list endpoint); scheduled checks never run a deep test, so they make no
        billed requests.
      </p>
      <SelectField
        label="Check providers"
        value={String(minutes)}
        onChange={(e) => void choose(Number(e.target.value))}
        hint={
          browser
            ? 'Runs while provider-desk serve runs; this page shows a notification while it is open.'
            : 'Runs while Provider Desk is open; a desktop notification says when a key stops working.'
        }
      >
        {choices.map((choice) => (
          <option key={choice.minutes} value={choice.minutes}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      {browser && blocked && (
        <p className="muted small" role="note">
          This browser blocks notifications for this page; failures still appear here as messages.
        </p>
      )}
      <SelectField
        label="Time cap per provider in Test all"
        value={String(timeCap)}
        onChange={(e) => void chooseCap(Number(e.target.value))}
        hint="A provider still unanswered after this long counts as timed out, so one slow provider cannot hold the whole run."
      >
        {caps.map((seconds) => (
          <option key={seconds} value={seconds}>
            {seconds} seconds
          </option>
        ))}
      </SelectField>
    </section>
  );
}
