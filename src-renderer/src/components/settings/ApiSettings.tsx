import { useState } from 'react';
import { useSettings, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { SwitchField, TextField } from '../common/Field';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Icon } from '../common/Icon';

async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}

/** The loopback API: on/off and port (next start), the token (reveal, copy, rotate), a curl example. */
export function ApiSettings() {
  const { settings, ui, session, client } = useStores();
  const preferences = useSettings((s) => s.preferences);
  const info = useSettings((s) => s.info);
  const token = useSettings((s) => s.token);
  const [port, setPort] = useState<string | null>(null);
  const [portError, setPortError] = useState<string | undefined>();
  const [shown, setShown] = useState(false);
  const [rotating, setRotating] = useState(false);
  if (!preferences || !info) return null;

  const url = info.api.url || `http://127.0.0.1:${preferences.apiPort}`;
  const curl = `curl -H "Authorization: Bearer ${shown && token ? token : '$PROVIDER_DESK_TOKEN'}" ${url}/api/v1/providers`;
  const portValue = port ?? String(preferences.apiPort);

  const savePort = async () => {
    const value = Number(portValue);
    try {
      setPortError(undefined);
      await settings.getState().update({ apiPort: value });
      setPort(null);
      ui.getState().toast('The new port applies the next time Provider Desk starts', 'info');
    } catch (error) {
      setPortError(errorMessage(error).replace(/^Invalid input: apiPort /, ''));
    }
  };

  const withToken = async (action: (token: string) => Promise<void> | void) => {
    try {
      await action(token ?? (await settings.getState().loadToken()));
    } catch (error) {
      ui.getState().toast(errorMessage(error), 'error');
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-api">
      <h2 id="settings-api" className="settings-title">
        Local API
      </h2>
      <p className="muted">
        Tools on this computer reach Provider Desk at <span className="mono">{url}</span>
        {info.api.enabled ? '' : ' (not running now)'}.
      </p>
      {/* Served by a `provider-desk serve` on this data dir, or on another port than the preferred one. */}
      {info.api.note && <p className="muted">{info.api.note}</p>}
      <SwitchField
        label="Run the local API"
        checked={preferences.apiEnabled}
        onChange={(apiEnabled) =>
          void settings
            .getState()
            .update({ apiEnabled })
            .then(() => ui.getState().toast('Applies the next time Provider Desk starts'))
        }
        hint="Applies the next time Provider Desk starts."
      />
      <form
        className="inline-field"
        onSubmit={(e) => {
          e.preventDefault();
          void savePort();
        }}
      >
        <TextField
          label="Port"
          inputMode="numeric"
          value={portValue}
          onChange={(e) => setPort(e.target.value)}
          error={portError}
          hint="1024–65535; applies at the next start."
        />
        <button type="submit" className="button" disabled={port === null}>
          Save port
        </button>
      </form>
      <div className="token-row">
        <div className="token-box">
          <span className="field-label">Token</span>
          <code className="token-value" aria-label="Local API token">
            {shown && token ? token : '•'.repeat(24)}
          </code>
        </div>
        <button type="button" className="button" onClick={() => void withToken(() => setShown(!shown))}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void withToken(async (t) => (await copyText(t), ui.getState().toast('Token copied', 'success')))}
        >
          <Icon name="copy" /> Copy token
        </button>
        <button type="button" className="button button--danger-ghost" onClick={() => setRotating(true)}>
          <Icon name="refresh" /> Rotate token
        </button>
      </div>
      <div className="code-block">
        <pre aria-label="curl example">
          <code>{curl}</code>
        </pre>
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            void withToken(
              async (t) => (await copyText(curl.replace('$PROVIDER_DESK_TOKEN', t)), ui.getState().toast('Command copied', 'success')),
            )
          }
        >
          <Icon name="copy" size={14} /> Copy command
        </button>
      </div>
      {rotating && (
        <ConfirmDialog
          title="Rotate the local API token?"
          confirmLabel="Rotate token"
          danger
          onClose={() => setRotating(false)}
          onConfirm={async () => {
            const fresh = await settings.getState().rotateToken();
            // A browser session ends with the old token; sign in again with the new one.
            if (client.transport.session) await session.getState().login(fresh);
            setShown(true);
            ui.getState().toast('Token rotated: update the tools that use it', 'success');
          }}
        >
          <p>The current token stops working at once. Every script and tool that uses it needs the new one.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
