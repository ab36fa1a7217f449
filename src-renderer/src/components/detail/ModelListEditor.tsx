import { useId, useState, type KeyboardEvent } from 'react';
import { Icon } from '../common/Icon';

interface ModelListEditorProps {
  /** What the list is ("Allowed models"); also names the controls for screen readers. */
  label: string;
  /** What the list does, in a sentence under the label. */
  description: string;
  values: string[];
  /** The provider's known model ids, offered as the user types. */
  suggestions: readonly string[];
  onChange(values: string[]): void;
}

/** A list of model ids as removable chips, with a field that suggests known ids; Enter (or a comma list) adds. */
export function ModelListEditor({ label, description, values, suggestions, onChange }: ModelListEditorProps) {
  const id = useId();
  const [text, setText] = useState('');
  const lower = label.toLowerCase();

  const add = () => {
    const ids = text
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const next = [...values];
    for (const model of ids) if (!next.includes(model)) next.push(model);
    if (next.length !== values.length) onChange(next);
    setText('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };

  return (
    <fieldset className="model-list-editor" aria-describedby={`${id}-description`}>
      <legend className="model-list-editor-legend">{label}</legend>
      <p id={`${id}-description`} className="muted small">
        {description}
      </p>
      {values.length > 0 && (
        <ul className="chips" aria-label={label}>
          {values.map((model) => (
            <li key={model} className="chip chip--removable">
              <span className="mono">{model}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${model} from ${lower}`}
                title="Remove"
                onClick={() => onChange(values.filter((v) => v !== model))}
              >
                <Icon name="x" size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="model-list-editor-add">
        <input
          className="input input--small"
          aria-label={`Model id to add to ${lower}`}
          list={`${id}-suggestions`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="model id"
          autoComplete="off"
          spellCheck={false}
        />
        <datalist id={`${id}-suggestions`}>
          {suggestions
            .filter((s) => !values.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
        <button type="button" className="button button--small" onClick={add} disabled={!text.trim()} aria-label={`Add to ${lower}`}>
          <Icon name="plus" /> Add
        </button>
      </div>
    </fieldset>
  );
}
