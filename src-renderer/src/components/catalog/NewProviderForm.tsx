import { useState, type FormEvent } from 'react';
import { ProviderCreateInput } from '@contract/provider-inputs';
import { useStores } from '../../stores';
import type { CatalogType } from '../../stores/catalog-store';
import { formMessage, serverFieldErrors, validate, type FieldErrors } from '../../lib/errors';
import { TextAreaField, TextField } from '../common/Field';
import { ProviderIcon } from '../common/ProviderIcon';
import { Icon } from '../common/Icon';
import { SettingsFields, settingsPatch } from './SettingsFields';

/** A free name for a type: "openai", then "openai-2", … (the server has the last word). */
function suggestName(type: CatalogType): string {
  return type.id.replace(/[^a-z0-9-]/g, '-');
}

/** Moves errors on `api_keys[0].value` to the form's one API key field. */
function formErrors(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) out[path.startsWith('api_keys') ? 'api_key' : path] = message;
  return out;
}

/** The new-provider form, prefilled from the catalog entry; validated in the page with the contract's schema, then by the server. */
export function NewProviderForm({ type, onBack, onDone }: { type: CatalogType; onBack(): void; onDone(id: string): void }) {
  const { client } = useStores();
  const [name, setName] = useState(suggestName(type));
  const [displayName, setDisplayName] = useState('');
  const [baseUrl, setBaseUrl] = useState(type.default_base_url ?? '');
  const [apiKey, setApiKey] = useState('');
  const [settings, setSettings] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const serviceAccount = type.auth === 'google-service-account';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const input = {
      name: name.trim(),
      type: type.id,
      ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
      ...(baseUrl.trim() ? { base_url: baseUrl.trim() } : {}),
      ...(settingsPatch(settings) ? { settings: settingsPatch(settings) } : {}),
      ...(apiKey ? { api_keys: [{ name: 'default', value: apiKey }] } : {}),
    };
    const checked = validate(ProviderCreateInput, input);
    const local: FieldErrors = checked.ok ? {} : formErrors(checked.fields);
    if (type.key_required && !apiKey) local.api_key = `is required for ${type.label}`;
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await client.call('providers.create', input);
      onDone(created.id);
    } catch (error) {
      const fields = formErrors(serverFieldErrors(error));
      setErrors(fields);
      setFormError(formMessage(error));
      setBusy(false);
    }
  };

  const loadServiceAccount = async (file: File | undefined) => {
    if (file) setApiKey((await file.text()).trim());
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={`New ${type.label} provider`}>
      <div className="form-intro">
        <ProviderIcon type={type.id} label={type.label} size={40} />
        <div>
          <p className="form-intro-title">{type.label}</p>
          <p className="muted">{type.local ? 'Runs on your machine; no key needed.' : `Key format: ${type.key_hint}`}</p>
        </div>
        <button type="button" className="button button--ghost" onClick={onBack}>
          <Icon name="back" /> All types
        </button>
      </div>
      {formError && (
        <p className="banner banner--error" role="alert">
          {formError}
        </p>
      )}
      <div className="form-grid">
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          hint="Lowercase letters, digits and dashes; tools use it to refer to this provider."
          autoComplete="off"
          spellCheck={false}
          autoFocus
          required
        />
        <TextField
          label="Display name"
          optional
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors.display_name}
          placeholder={type.label}
        />
        <TextField
          label="Base URL"
          className="form-grid-wide"
          optional={type.default_base_url !== null || type.settings.length > 0}
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          error={errors.base_url}
          placeholder={type.base_url_template ?? 'https://…'}
          spellCheck={false}
          type="url"
        />
        {serviceAccount ? (
          <TextAreaField
            label="API key"
            className="form-grid-wide"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            error={errors.api_key}
            rows={4}
            spellCheck={false}
            placeholder='{"type": "service_account", …}'
            hint="Paste the service-account JSON key file."
          />
        ) : (
          <TextField
            label="API key"
            className="form-grid-wide"
            type="password"
            optional={!type.key_required}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            error={errors.api_key}
            placeholder={type.key_hint}
            autoComplete="off"
            spellCheck={false}
            hint="Stored encrypted. Or write env.VARIABLE to read it from the environment."
          />
        )}
        {serviceAccount && (
          <label className="file-pick form-grid-wide">
            <span>Load the service-account JSON from a file</span>
            <input type="file" accept="application/json,.json" onChange={(e) => void loadServiceAccount(e.target.files?.[0])} />
          </label>
        )}
      </div>
      <SettingsFields
        type={type}
        values={settings}
        onChange={(key, value) => setSettings((s) => ({ ...s, [key]: value }))}
        errors={errors}
      />
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
