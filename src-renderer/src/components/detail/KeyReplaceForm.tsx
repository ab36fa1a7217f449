import { useState, type FormEvent } from 'react';
import type { ApiKey } from '@contract/domain-schemas';
import { SecretValue } from '@contract/provider-inputs';
import { useStores } from '../../stores';
import { errorMessage, sentence } from '../../lib/errors';

/**
 * Replaces a key's value in place (rotation): same id, name, weight, lists and check history; its verdict goes back to
 * untested, since it was about the old value. The old value is never shown.
 */
export function KeyReplaceForm({ apiKey, onClose }: { apiKey: ApiKey; onClose(): void }) {
  const { keys, ui } = useStores();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = SecretValue.safeParse(value);
    if (!checked.success) return setError(sentence(checked.error.issues[0]?.message) ?? 'Enter the new value.');
    setBusy(true);
    setError(null);
    try {
      await keys.update(apiKey.id, { value });
      ui.getState().toast(`Replaced the value of key ${apiKey.name}; test it to see whether the new one works`, 'success');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <form className="key-panel" onSubmit={(e) => void submit(e)} noValidate aria-label={`Replace the value of key ${apiKey.name}`}>
      <p className="muted small">
        The key keeps its name, weight, model lists and check history; its verdict goes back to untested until the next test.
      </p>
      <div className="inline-form">
        <input
          className="input input--small"
          type="password"
          aria-label={`New value for key ${apiKey.name}`}
          aria-invalid={error ? true : undefined}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}
          placeholder="New key, or env.VARIABLE"
          autoComplete="off"
          spellCheck={false}
          autoFocus
        />
        <button type="submit" className="button button--small button--primary" disabled={busy}>
          {busy ? 'Replacing…' : 'Replace value'}
        </button>
        <button type="button" className="button button--small" onClick={onClose}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
