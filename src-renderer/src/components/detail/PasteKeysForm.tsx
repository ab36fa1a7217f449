import { useState, type FormEvent } from 'react';
import { DeskClientError } from '../../client/desk-client';
import { useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { describeRepeats, lineOfIndex, parseKeyLines } from '../../lib/key-lines';
import { TextAreaField } from '../common/Field';
import '../../styles/keys-editing.css';

/** The backend's per-key errors (`keys[2].value: is already stored as key "default"`) said by the line they came from. */
export function pasteErrors(error: unknown, text: string, prefix: 'keys' | 'api_keys'): string | null {
  if (!(error instanceof DeskClientError) || error.fields.length === 0) return null;
  const pattern = new RegExp(`^${prefix}\\[(\\d+)\\]\\.(\\w+)$`);
  const lines = error.fields.map((field) => {
    const match = pattern.exec(field.path);
    const line = match ? lineOfIndex(text, Number(match[1])) : null;
    return line === null ? `${field.path} ${field.message}` : `Line ${line} ${field.message}`;
  });
  return `${lines.join('; ')}.`;
}

/** Adds one key per pasted line in one all-or-nothing write; names are generated (key-2, key-3…). */
export function PasteKeysForm({ onDone }: { onDone(): void }) {
  const { keys, ui } = useStores();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseKeyLines(text);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (parsed.values.length === 0) return setError('Paste at least one key, one per line.');
    if (parsed.repeats.length > 0) return setError(`The same key appears twice: ${describeRepeats(parsed.repeats)} Remove the repeats.`);
    setBusy(true);
    try {
      const { keys: added } = await keys.addMany(parsed.values);
      ui.getState().toast(`Added ${added.length} ${added.length === 1 ? 'key' : 'keys'}`, 'success');
      setText('');
      onDone();
    } catch (e) {
      setError(pasteErrors(e, text, 'keys') ?? errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const count = parsed.values.length;
  return (
    <form className="add-key paste-keys" onSubmit={(e) => void submit(e)} noValidate aria-label="Paste several keys">
      <h2 className="section-title">Paste several keys</h2>
      <TextAreaField
        label="Keys, one per line"
        // Shown as dots, like a password field (keys-editing.css).
        className="secret-lines-field"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={4}
        spellCheck={false}
        autoComplete="off"
        hint="Blank lines and spaces around a key are ignored. Each becomes its own key, named key-2, key-3…; all are added or none."
        error={error ?? undefined}
      />
      <div className="key-panel-actions">
        <button type="submit" className="button button--primary" disabled={busy || count === 0}>
          {busy ? 'Adding…' : count > 1 ? `Add ${count} keys` : 'Add key'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
