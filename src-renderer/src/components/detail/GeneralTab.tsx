import type { FormEvent } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { ProviderPatch as ProviderPatchInput } from '@contract/provider-inputs';
import type { ProviderPatch } from '../../stores/detail-store';
import { useCatalog } from '../../stores';
import { validate, type FieldErrors } from '../../lib/errors';
import { SwitchField, TextField } from '../common/Field';
import { SaveBar } from '../common/SaveBar';
import { SettingsFields, settingsPatch } from '../catalog/SettingsFields';
import { useDraft, useSave } from './use-draft';

/** The General tab's form values for a stored provider. */
export function generalDraft(p: Provider) {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.settings))
    if (!key.startsWith('has_') && value !== null && value !== undefined)
      settings[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return { name: p.name, display_name: p.display_name, base_url: p.base_url, enabled: p.enabled, settings };
}

export type GeneralDraft = ReturnType<typeof generalDraft>;

/** The update a General draft asks for (only what differs from the stored provider), and the fields already wrong. */
export function generalPatch(d: GeneralDraft, provider: Provider): { patch: ProviderPatch; errors: FieldErrors } {
  const original = generalDraft(provider);
  const patch = {
    ...(d.name !== original.name ? { name: d.name.trim() } : {}),
    ...(d.display_name !== original.display_name ? { display_name: d.display_name.trim() } : {}),
    ...(d.base_url !== original.base_url ? { base_url: d.base_url.trim() } : {}),
    ...(d.enabled !== original.enabled ? { enabled: d.enabled } : {}),
  };
  const changedSettings = settingsPatch(
    Object.fromEntries(Object.entries(d.settings).filter(([k, v]) => v !== (original.settings[k] ?? ''))),
  );
  const cleared = Object.keys(original.settings).filter((k) => (d.settings[k] ?? '') === '' && original.settings[k] !== '');
  const settings = { ...(changedSettings ?? {}), ...Object.fromEntries(cleared.map((k) => [k, null])) };
  const full = Object.keys(settings).length > 0 ? { ...patch, settings } : patch;
  const checked = validate(ProviderPatchInput, full);
  return { patch: full, errors: checked.ok ? {} : checked.fields };
}

/** Name, display name, base URL, on/off and the type's own settings. */
export function GeneralTab({ provider }: { provider: Provider }) {
  const type = useCatalog((s) => s.byId(provider.type));
  const draft = useDraft(provider, 'general', generalDraft);
  const { save, busy, errors, message } = useSave(provider.id, 'general');
  const d = draft.value;
  const storedSecrets = new Set(
    Object.keys(provider.settings)
      .filter((k) => k.startsWith('has_') && provider.settings[k] === true)
      .map((k) => k.slice(4)),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { patch, errors: local } = generalPatch(d, provider);
    void save(patch, local);
  };

  return (
    <form className="form tab-form" onSubmit={submit} noValidate aria-label="General settings" data-draft-tab="general">
      <div className="form-grid">
        <TextField
          label="Name"
          value={d.name}
          onChange={(e) => draft.update((v) => ({ ...v, name: e.target.value }))}
          error={errors.name}
          hint="Used by tools and the API to refer to this provider."
          spellCheck={false}
          autoComplete="off"
        />
        <TextField
          label="Display name"
          optional
          value={d.display_name}
          onChange={(e) => draft.update((v) => ({ ...v, display_name: e.target.value }))}
          error={errors.display_name}
          placeholder={type?.label}
        />
        <TextField
          label="Base URL"
          className="form-grid-wide"
          value={d.base_url}
          onChange={(e) => draft.update((v) => ({ ...v, base_url: e.target.value }))}
          error={errors.base_url}
          placeholder={type?.base_url_template ?? type?.default_base_url ?? 'https://…'}
          spellCheck={false}
          type="url"
        />
        <div className="form-grid-wide">
          <SwitchField
            label="Enabled"
            checked={d.enabled}
            onChange={(enabled) => draft.update((v) => ({ ...v, enabled }))}
            hint="Disabled providers are skipped by Test all and hidden from tools that ask for enabled providers."
          />
        </div>
      </div>
      {type && (
        <SettingsFields
          type={type}
          values={d.settings}
          onChange={(key, value) => draft.update((v) => ({ ...v, settings: { ...v.settings, [key]: value } }))}
          errors={errors}
          storedSecrets={storedSecrets}
        />
      )}
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{type?.label ?? provider.type}</dd>
        </div>
        <div>
          <dt>Capabilities</dt>
          <dd>{provider.capabilities.join(', ') || '—'}</dd>
        </div>
        <div>
          <dt>Config hash</dt>
          <dd className="mono">{provider.config_hash.slice(0, 16)}</dd>
        </div>
        <div>
          <dt>Revision</dt>
          <dd>{provider.revision}</dd>
        </div>
      </dl>
      <SaveBar dirty={draft.dirty} busy={busy} message={message ?? draft.conflict} onDiscard={draft.reset} />
    </form>
  );
}
