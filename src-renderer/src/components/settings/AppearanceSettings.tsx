import { useSettings, useStores } from '../../stores';
import type { Theme } from '../../stores/settings-store';
import { errorMessage } from '../../lib/errors';

const THEMES: Array<{ id: Theme; label: string }> = [
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
  { id: 'system', label: 'System' },
];

/** Light, dark or follow the system; applies at once. */
export function AppearanceSettings() {
  const { settings, ui } = useStores();
  const theme = useSettings((s) => s.preferences?.theme ?? 'system');
  const choose = (next: Theme) =>
    settings
      .getState()
      .update({ theme: next })
      .catch((e: unknown) => ui.getState().toast(errorMessage(e), 'error'));
  return (
    <section className="settings-section" aria-labelledby="settings-appearance">
      <h2 id="settings-appearance" className="settings-title">
        Appearance
      </h2>
      <fieldset className="segmented" aria-label="Theme">
        <legend className="visually-hidden">Theme</legend>
        {THEMES.map((t) => (
          <label key={t.id} className={`segment${theme === t.id ? ' segment--active' : ''}`}>
            <input
              type="radio"
              name="theme"
              value={t.id}
              checked={theme === t.id}
              onChange={() => void choose(t.id)}
              className="segment-input"
            />
            <span className={`theme-swatch theme-swatch--${t.id}`} aria-hidden="true" />
            {t.label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
