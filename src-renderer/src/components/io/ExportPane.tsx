import { useState } from 'react';
import { useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { exportConfig, type SecretsMode } from '../../lib/config-ops';
import { MIN_PASSPHRASE_LENGTH } from '@contract/config-schemas';
import { downloadJson } from '../../lib/download';
import { TextField } from '../common/Field';
import { Icon } from '../common/Icon';

const MODES: Array<{ id: SecretsMode; label: string; text: string }> = [
  {
    id: 'redacted',
    label: 'Without secrets',
    text: 'Keys become <REDACTED> (importing it back keeps the stored keys); env.VAR references stay.',
  },
  { id: 'plain', label: 'With plain secrets', text: 'Every key is written out in plain text.' },
  { id: 'encrypted', label: 'Encrypted', text: 'The whole file is sealed with a passphrase; keys included.' },
];

/** Export config.json with a choice of how secrets are written. */
export function ExportPane({ onDone }: { onDone(): void }) {
  const { client, ui } = useStores();
  const [mode, setMode] = useState<SecretsMode>('redacted');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setError(null);
    if (mode === 'encrypted' && passphrase.length < MIN_PASSPHRASE_LENGTH)
      return setError(`Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    setBusy(true);
    try {
      const document = await exportConfig(client, mode, passphrase);
      const stamp = new Date().toISOString().slice(0, 10);
      downloadJson(`provider-desk-config-${stamp}${mode === 'encrypted' ? '.encrypted' : ''}.json`, document);
      ui.getState().toast('Config exported', 'success');
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <div className="io-pane">
      <fieldset className="radio-cards">
        <legend className="fieldset-legend">Secrets</legend>
        {MODES.map((m) => (
          <label key={m.id} className={`radio-card${mode === m.id ? ' radio-card--active' : ''}`}>
            <input type="radio" name="secrets" value={m.id} checked={mode === m.id} onChange={() => setMode(m.id)} />
            <span>
              <span className="radio-card-title">{m.label}</span>
              <span className="muted small">{m.text}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {mode === 'plain' && (
        <p className="banner banner--warning" role="note">
          This file will contain your API keys in plain text. Anyone who gets it can use them. Keep it safe and delete it when done.
        </p>
      )}
      {mode === 'encrypted' && (
        <TextField
          label="Passphrase"
          type="password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          hint={`At least ${MIN_PASSPHRASE_LENGTH} characters. You need it to import the file; it cannot be recovered.`}
          autoComplete="new-password"
        />
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button button--primary" onClick={() => void run()} disabled={busy}>
          <Icon name="download" /> {busy ? 'Exporting…' : 'Download config.json'}
        </button>
      </div>
    </div>
  );
}
