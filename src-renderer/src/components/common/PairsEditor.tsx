import { Icon } from './Icon';

export type Pair = { key: string; value: string };

interface PairsEditorProps {
  /** Names the group and its controls, e.g. "Extra headers" → "Header name 1". */
  legend: string;
  keyLabel: string;
  valueLabel: string;
  pairs: Pair[];
  onChange(pairs: Pair[]): void;
  addLabel: string;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  errors?: Record<string, string>;
}

/** Rows of name/value pairs (extra headers, path overrides), each with its own accessible names. */
export function PairsEditor({
  legend,
  keyLabel,
  valueLabel,
  pairs,
  onChange,
  addLabel,
  keyPlaceholder,
  valuePlaceholder,
  errors = {},
}: PairsEditorProps) {
  const set = (index: number, patch: Partial<Pair>) => onChange(pairs.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  return (
    <fieldset className="fieldset pairs">
      <legend className="fieldset-legend">{legend}</legend>
      {pairs.length === 0 && <p className="muted small">None.</p>}
      {pairs.map((pair, index) => {
        const error = errors[pair.key];
        return (
          <div key={index} className="pair-row">
            <input
              className="input mono"
              aria-label={`${keyLabel} ${index + 1}`}
              value={pair.key}
              placeholder={keyPlaceholder}
              onChange={(e) => set(index, { key: e.target.value })}
              aria-invalid={error ? true : undefined}
              spellCheck={false}
            />
            <input
              className="input mono"
              aria-label={`${valueLabel} ${index + 1}`}
              value={pair.value}
              placeholder={valuePlaceholder}
              onChange={(e) => set(index, { value: e.target.value })}
              spellCheck={false}
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove ${keyLabel.toLowerCase()} ${index + 1}`}
              onClick={() => onChange(pairs.filter((_, i) => i !== index))}
            >
              <Icon name="trash" />
            </button>
            {error && <p className="field-error pair-error">{error}</p>}
          </div>
        );
      })}
      <button type="button" className="button button--small button--ghost" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        <Icon name="plus" size={14} /> {addLabel}
      </button>
    </fieldset>
  );
}

export function toPairs(record: Record<string, string> | null | undefined): Pair[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

/** Pairs with a name, as a record (empty rows are dropped). */
export function fromPairs(pairs: Pair[]): Record<string, string> {
  return Object.fromEntries(pairs.filter((p) => p.key.trim() !== '').map((p) => [p.key.trim(), p.value]));
}
