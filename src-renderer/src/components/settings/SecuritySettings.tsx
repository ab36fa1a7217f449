import { useState } from 'react';
import { useSettings, useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { SwitchField } from '../common/Field';

const SLOT_NAMES: Record<string, string> = { 'os-keychain': 'OS keychain', keyfile: 'Key file' };

/** Where the vault's key is kept, with a plain warning when the OS offers no real keychain. */
export function SecuritySettings() {
  const info = useSettings((s) => s.info);
  if (!info) return null;
  const backend = info.vault.keychain_backend;
  return (
    <section className="settings-section" aria-labelledby="settings-security">
      <h2 id="settings-security" className="settings-title">
        Security
      </h2>
      <p className="muted">Keys are encrypted with AES-256-GCM. The data key is stored only wrapped, in these key slots:</p>
      <ul className="slot-list" aria-label="Vault key slots">
        {info.vault.slots.map((slot) => (
          <li key={slot} className="chip">
            {SLOT_NAMES[slot] ?? slot}
          </li>
        ))}
      </ul>
      <dl className="facts">
        <div>
          <dt>Keychain backend</dt>
          <dd className="mono">{backend ?? 'none (headless: key file only)'}</dd>
        </div>
      </dl>
      {(info.vault.warning || backend === 'basic_text') && (
        <p className="banner banner--warning" role="note">
          {info.vault.warning ??
            'Your desktop offers no real keychain: the vault key is protected only by a file readable by your user account.'}
        </p>
      )}
      <CliAccessSwitch />
    </section>
  );
}

/**
 * "Allow command-line access": with a real OS keychain the data key lives only there, unless the user also wants it in
 * master.key for the CLI and `serve`. Elsewhere the key file is how the store opens, so the switch is shown on and fixed.
 */
function CliAccessSwitch() {
  const { settings, ui, client } = useStores();
  const info = useSettings((s) => s.info);
  const [busy, setBusy] = useState(false);
  if (!info) return null;
  const { cli_access: enabled, cli_access_configurable: configurable } = info.vault;

  const change = async (next: boolean) => {
    setBusy(true);
    try {
      await client.call('vault.setCliAccess', { enabled: next });
      await settings.getState().load();
      ui.getState().toast(next ? 'Command-line access on: master.key written' : 'Command-line access off: master.key deleted', 'success');
    } catch (error) {
      ui.getState().toast(errorMessage(error), 'error');
    } finally {
      setBusy(false);
    }
  };

  const fixed =
    info.vault.keychain_backend === null
      ? 'Always on here: without the desktop app, the key file is how the store is opened.'
      : 'Always on here: without a real OS keychain, the key file is how the store is opened.';
  return (
    <SwitchField
      label="Allow command-line access"
      checked={enabled}
      disabled={!configurable || busy}
      onChange={(next) => void change(next)}
      hint={
        <>
          Also keeps the vault&apos;s key in <span className="mono">master.key</span> in the data folder, so{' '}
          <span className="mono">provider-desk</span> commands and <span className="mono">serve</span> can open the store without the app. A
          copy of the data folder together with master.key can decrypt your keys. Command-line tools can also reach the running app through
          its local API without this. {configurable ? '' : fixed}
        </>
      }
    />
  );
}
