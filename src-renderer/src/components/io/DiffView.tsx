import type { ImportDiff } from '../../lib/config-ops';

const GROUPS = [
  { key: 'added', label: 'Added', tone: 'ok' },
  { key: 'changed', label: 'Changed', tone: 'warn' },
  { key: 'unchanged', label: 'Unchanged', tone: 'muted' },
  { key: 'removed', label: 'Removed', tone: 'fail' },
] as const;

/** The dry run's result: what the import would add, change, leave alone and (with pruning) remove, and which fields change. */
export function DiffView({ diff }: { diff: ImportDiff }) {
  const changedFields = Object.entries(diff.changes).filter(([, fields]) => fields.length > 0);
  return (
    <section className="diff" aria-label="Import preview">
      <div className="diff-stats">
        {GROUPS.map((g) => (
          <div key={g.key} className={`stat stat--${g.tone}`}>
            <span className="stat-value">{diff[g.key].length}</span>
            <span className="stat-label">{g.label.toLowerCase()}</span>
          </div>
        ))}
      </div>
      <div className="diff-lists">
        {GROUPS.filter((g) => g.key !== 'unchanged' && diff[g.key].length > 0).map((g) => (
          <div key={g.key}>
            <h3 className="section-title">{g.label}</h3>
            <ul className={`diff-list diff-list--${g.tone}`}>
              {diff[g.key].slice(0, 100).map((name) => (
                <li key={name} className="mono">
                  {name}
                </li>
              ))}
              {diff[g.key].length > 100 && <li className="muted">…and {diff[g.key].length - 100} more</li>}
            </ul>
          </div>
        ))}
      </div>
      {changedFields.length > 0 && (
        <div>
          <h3 className="section-title">Changed fields</h3>
          <dl className="diff-list">
            {changedFields.slice(0, 100).map(([provider, fields]) => (
              <div key={provider}>
                <dt className="mono">{provider}</dt>
                <dd className="muted small mono">{fields.join(', ')}</dd>
              </div>
            ))}
          </dl>
          {changedFields.length > 100 && <p className="muted">…and {changedFields.length - 100} more providers</p>}
        </div>
      )}
    </section>
  );
}
