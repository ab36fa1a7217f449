import type { ImportDiff } from '../../lib/config-ops';

const GROUPS = [
  { key: 'added', label: 'Added', tone: 'ok' },
  { key: 'changed', label: 'Changed', tone: 'warn' },
  { key: 'unchanged', label: 'Unchanged', tone: 'muted' },
  { key: 'removed', label: 'Removed', tone: 'fail' },
] as const;

/** The dry run's result: what the import would add, change, leave alone and (with pruning) remove. */
export function DiffView({ diff }: { diff: ImportDiff }) {
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
    </section>
  );
}
