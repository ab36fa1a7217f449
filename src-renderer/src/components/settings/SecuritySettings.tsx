import { useSettings } from '../../stores';

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
    </section>
  );
}
