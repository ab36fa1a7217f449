import { useEffect } from 'react';
import { useSettings, useStores } from '../../stores';
import { ApiSettings } from './ApiSettings';
import { AppearanceSettings } from './AppearanceSettings';
import { ChecksSettings } from './ChecksSettings';
import { SecuritySettings } from './SecuritySettings';
import { TokensSettings } from './TokensSettings';

/** Local API, security, appearance and where the data lives. */
export function SettingsView() {
  const { settings } = useStores();
  const info = useSettings((s) => s.info);
  const error = useSettings((s) => s.error);
  useEffect(() => {
    void settings.getState().load();
  }, [settings]);
  return (
    <main className="settings">
      <h1 className="page-title">Settings</h1>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      <AppearanceSettings />
      <ChecksSettings />
      <ApiSettings />
      <TokensSettings />
      <SecuritySettings />
      {info && (
        <section className="settings-section" aria-labelledby="settings-data">
          <h2 id="settings-data" className="settings-title">
            Data folder
          </h2>
          <p className="muted">The encrypted store, the key file (with command-line access), preferences and logs live here.</p>
          <code className="path">{info.data_dir}</code>
          <p className="muted small">Provider Desk {info.version}</p>
        </section>
      )}
    </main>
  );
}
