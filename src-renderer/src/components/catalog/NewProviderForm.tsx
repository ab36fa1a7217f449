import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ProviderCreateInput, ProviderName } from '@contract/provider-inputs';
import { DeskClientError, type DeskClient } from '../../client/desk-client';
import { useStores } from '../../stores';
import type { CatalogType } from '../../stores/catalog-store';
import { errorMessage, formMessage, serverFieldErrors, validate, type FieldErrors } from '../../lib/errors';
import { describeRepeats, parseKeyLines } from '../../lib/key-lines';
import { NAME_RULE, nextFreeName, slugifyName } from '../../lib/slug';
import { TextAreaField, TextField } from '../common/Field';
import { ProviderIcon } from '../common/ProviderIcon';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';
import { pasteErrors } from '../detail/PasteKeysForm';
import { DraftCheckResult, type DraftCheck } from './DraftCheckResult';
import { SettingsFields, settingsPatch } from './SettingsFields';
import '../../styles/keys-editing.css';

/** Whether a provider with exactly this name exists (a missing one is a 404, which is the answer "free"). */
async function nameTaken(client: DeskClient, name: string): Promise<boolean> {
  try {
    const found = await client.call('providers.get', { idOrName: name });
    return found.name === name;
  } catch (error) {
    if (error instanceof DeskClientError && error.code === 'not_found') return false;
    throw error;
  }
}

/** Moves errors on `api_keys[i].value` to the form's API key field. */
function formErrors(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fields)) out[path.startsWith('api_keys') ? 'api_key' : path] = message;
  return out;
}

/** The keys the form holds: the one field, or one per pasted line (the first named "default", the rest key-2, key-3…). */
function keyInputs(single: string, lines: string[] | null): Array<{ name?: string; value: string }> {
  const values = lines ?? (single ? [single] : []);
  return values.map((value, index) => (index === 0 ? { name: 'default', value } : { value }));
}

/** The new-provider form, prefilled from the catalog entry; validated in the page with the contract's schema, then by the server. */
export function NewProviderForm({ type, onBack, onDone }: { type: CatalogType; onBack(): void; onDone(id: string): void }) {
  const { client } = useStores();
  const base = slugifyName(type.id);
  const [name, setName] = useState(base);
  const [nameTouched, setNameTouched] = useState(false);
  // Read by the default-name lookup when it answers: a name typed meanwhile wins.
  const typedName = useRef(false);
  /** A free name to offer when the name `for` is taken; shown only while the field still holds that name. */
  const [offer, setOffer] = useState<{ for: string; free: string } | null>(null);
  const suggestion = offer && offer.for === slugifyName(name) && offer.free !== offer.for ? offer.free : null;
  const [several, setSeveral] = useState(false);
  const [keyLines, setKeyLines] = useState('');
  /** The last check and the form it checked (as JSON): shown only while the form is still that one. */
  const [check, setCheck] = useState<{ of: string; result: DraftCheck } | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [displayName, setDisplayName] = useState('');
  const [baseUrl, setBaseUrl] = useState(type.default_base_url ?? '');
  const [apiKey, setApiKey] = useState('');
  const [settings, setSettings] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const serviceAccount = type.auth === 'google-service-account';
  const pasted = several ? parseKeyLines(keyLines) : null;

  // The default name is already free: "openai" when none exists, else "openai-2", "openai-3"…
  useEffect(() => {
    let live = true;
    nextFreeName(base, (candidate) => nameTaken(client, candidate))
      .then((free) => live && !typedName.current && setName(free))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, base]);

  // A typed name that is taken gets the next free one offered (asked a moment after typing stops).
  useEffect(() => {
    const finished = slugifyName(name);
    if (!nameTouched || !ProviderName.safeParse(finished).success) return;
    let live = true;
    const timer = setTimeout(() => {
      nextFreeName(finished, (candidate) => nameTaken(client, candidate))
        .then((free) => live && setOffer({ for: finished, free }))
        .catch(() => undefined);
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, name, nameTouched]);

  /** The form as create's input (name slugged); `draftIds` names the keys so a check's results map back to them. */
  const buildInput = (draftIds = false) => {
    const keys = keyInputs(apiKey, pasted?.values ?? null).map((key, index) => (draftIds ? { ...key, id: `draft-key-${index + 1}` } : key));
    return {
      name: slugifyName(name),
      type: type.id,
      ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
      ...(baseUrl.trim() ? { base_url: baseUrl.trim() } : {}),
      ...(settingsPatch(settings) ? { settings: settingsPatch(settings) } : {}),
      ...(keys.length > 0 ? { api_keys: keys } : {}),
    };
  };

  /** Errors found in the page: the contract's schema, a missing required key, keys pasted twice. */
  const localErrors = (input: ReturnType<typeof buildInput>, withName: boolean): FieldErrors => {
    const checked = validate(ProviderCreateInput, withName ? input : { ...input, name: 'draft' });
    const local: FieldErrors = checked.ok ? {} : formErrors(checked.fields);
    if (type.key_required && !input.api_keys) local.api_key = `is required for ${type.label}`;
    if (pasted && pasted.repeats.length > 0) local.api_key = `has the same key twice: ${describeRepeats(pasted.repeats)}`;
    return local;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    setName(slugifyName(name));
    const input = buildInput();
    const local = localErrors(input, true);
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
      const lines = several ? pasteErrors(error, keyLines, 'api_keys') : null;
      if (lines) fields.api_key = lines;
      if (fields.name === 'is already used') {
        const free = await nextFreeName(input.name, (candidate) => nameTaken(client, candidate)).catch(() => null);
        if (free) setOffer({ for: input.name, free });
      }
      setErrors(fields);
      setFormError(formMessage(error));
      setBusy(false);
    }
  };

  /** "Check": probes the entered key(s) through the backend without saving anything. */
  const runCheck = async () => {
    setCheckError(null);
    setCheck(null);
    const input = buildInput(true);
    const local = localErrors(input, false);
    if (Object.keys(local).length > 0) return setErrors(local);
    setErrors({});
    const { name: draftName, ...rest } = input;
    setChecking(true);
    try {
      const result = await client.call('providers.testDraft', ProviderName.safeParse(draftName).success ? input : rest);
      setCheck({ of: JSON.stringify(input), result });
    } catch (error) {
      setErrors(formErrors(serverFieldErrors(error)));
      setCheckError(errorMessage(error));
    } finally {
      setChecking(false);
    }
  };
  const checked = buildInput(true);
  const currentCheck = check && check.of === JSON.stringify(checked) ? check.result : null;
  const keyLabels = new Map(checked.api_keys?.map((k, index) => [`draft-key-${index + 1}`, k.name ?? `key-${index + 1}`]) ?? []);

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
          onChange={(e) => {
            typedName.current = true;
            setNameTouched(true);
            setName(slugifyName(e.target.value, { typing: true }));
          }}
          onBlur={() => setName(slugifyName(name))}
          error={errors.name}
          hint={NAME_RULE}
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
        {suggestion && (
          <p className="name-suggestion form-grid-wide" role="status">
            <span>
              A provider named “{slugifyName(name)}” already exists. Use <span className="mono">{suggestion}</span>?
            </span>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setName(suggestion);
                setErrors(({ name: _taken, ...rest }) => rest);
              }}
            >
              Use {suggestion}
            </button>
          </p>
        )}
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
        ) : several ? (
          <TextAreaField
            label="API keys, one per line"
            className="form-grid-wide secret-lines-field"
            value={keyLines}
            onChange={(e) => setKeyLines(e.target.value)}
            error={errors.api_key}
            rows={4}
            spellCheck={false}
            autoComplete="off"
            hint={`${pasted?.values.length ?? 0} keys. Blank lines and spaces around a key are ignored; the first is named “default”, the rest key-2, key-3…`}
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
        {!serviceAccount && (
          <div className="form-grid-wide">
            <button type="button" className="button button--ghost button--small" onClick={() => setSeveral(!several)}>
              {several ? 'Enter one key' : 'Paste several keys…'}
            </button>
          </div>
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
      {checkError && (
        <p className="banner banner--error" role="alert">
          {checkError}
        </p>
      )}
      {currentCheck && <DraftCheckResult check={currentCheck} keyLabels={keyLabels} />}
      <div className="form-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="button" onClick={() => void runCheck()} disabled={checking || busy}>
          {checking ? (
            <>
              <Spinner size={14} /> Checking…
            </>
          ) : (
            'Check'
          )}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
