import { useState, type FormEvent } from 'react';
import type { ApiKey, Provider } from '@contract/domain-schemas';
import { ApiKeyCreateInput } from '@contract/provider-inputs';
import { useCatalog, useStores } from '../../stores';
import { formMessage, serverFieldErrors, validate, type FieldErrors } from '../../lib/errors';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { TextField } from '../common/Field';
import { Icon } from '../common/Icon';
import { KeyItem } from './KeyItem';
import { PasteKeysForm } from './PasteKeysForm';

/** The provider's keys and a form to add one. */
export function KeysTab({ provider }: { provider: Provider }) {
  const { keys, ui } = useStores();
  const type = useCatalog((s) => s.byId(provider.type));
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pasting, setPasting] = useState(false);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const input = { ...(name.trim() ? { name: name.trim() } : {}), value };
    const checked = validate(ApiKeyCreateInput, input);
    if (!checked.ok) return setErrors(checked.fields);
    setBusy(true);
    try {
      await keys.add(input);
      setName('');
      setValue('');
      setErrors({});
      ui.getState().toast('Key added', 'success');
    } catch (error) {
      const fields = serverFieldErrors(error);
      setErrors(fields);
      setMessage(formMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="keys-tab">
      {provider.api_keys.length === 0 ? (
        <p className="empty-inline">
          {type?.key_required === false
            ? `${type.label} works without a key; add one if your server asks for it.`
            : 'No keys yet. Add one below to test this provider.'}
        </p>
      ) : (
        <ul className="key-list" aria-label="API keys">
          {provider.api_keys.map((key) => (
            <KeyItem key={key.id} apiKey={key} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      <form className="add-key" onSubmit={(e) => void add(e)} noValidate aria-label="Add a key">
        <h2 className="section-title">Add a key</h2>
        <div className="add-key-row">
          <TextField
            label="Key name"
            optional
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.name}
            placeholder="e.g. work"
            autoComplete="off"
          />
          <TextField
            label="Key value"
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={errors.value}
            placeholder={type?.key_hint ?? 'sk-…'}
            autoComplete="off"
            spellCheck={false}
            hint="Or env.VARIABLE to read it from the environment."
          />
          <button type="submit" className="button button--primary add-key-button" disabled={busy}>
            <Icon name="plus" /> Add key
          </button>
        </div>
        {message && (
          <p className="form-error" role="alert">
            {message}
          </p>
        )}
        <button type="button" className="button button--ghost button--small" aria-expanded={pasting} onClick={() => setPasting(!pasting)}>
          {pasting ? 'Add one key' : 'Paste several keys…'}
        </button>
      </form>
      {pasting && <PasteKeysForm onDone={() => setPasting(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete key “${deleting.name}”?`}
          confirmLabel="Delete key"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => keys.remove(deleting.id).then(() => ui.getState().toast('Key deleted', 'success'))}
        >
          <p>
            The key <span className="mono">{deleting.masked}</span> is removed from the encrypted store. Tools that use this provider will
            stop using it at once. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
