import { destinationsByProvider, type DestinationChange, type ImportDiff } from '../../lib/config-ops';

const GROUPS = [
  { key: 'added', label: 'Added', tone: 'ok' },
  { key: 'changed', label: 'Changed', tone: 'warn' },
  { key: 'unchanged', label: 'Unchanged', tone: 'muted' },
  { key: 'removed', label: 'Removed', tone: 'fail' },
] as const;

/** The dry run's result: what the import would add, change, leave alone and (with pruning) remove, and per provider what changes. */
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
      {changedFields.length > 0 && <ProviderChanges changes={changedFields} destinations={diff.destinations} />}
    </section>
  );
}

/** Changed providers listed in full before "…and N more". */
const PROVIDERS_SHOWN = 200;

/**
 * Per changed provider, what the import changes: each field by its path in the file (never its value; a new
 * destination of stored keys also shows where from and where to). One expandable entry per provider.
 */
function ProviderChanges({ changes, destinations }: { changes: Array<[string, string[]]>; destinations: readonly DestinationChange[] }) {
  const moves = destinationsByProvider(destinations);
  return (
    <section className="provider-changes" aria-labelledby="import-changes-title">
      <h3 id="import-changes-title" className="section-title">
        What changes
      </h3>
      {changes.slice(0, PROVIDERS_SHOWN).map(([provider, fields], index) => {
        const moved = new Map((moves.get(provider) ?? []).map((d) => [d.field, d]));
        return (
          <details key={provider} className="provider-change" open={changes.length <= 5 || index === 0}>
            <summary>
              <span className="mono">{provider}</span>
              <span className="muted small">
                {fields.length} {fields.length === 1 ? 'field' : 'fields'}
              </span>
            </summary>
            <ul className="diff-list diff-list--warn" aria-label={`Changes to ${provider}`}>
              {fields.map((field) => {
                const move = moved.get(field);
                return (
                  <li key={field}>
                    <span className="mono">{field}</span>
                    {move && (
                      <span className="muted">
                        : <span className="mono">{move.from}</span> → <span className="mono">{move.to}</span>
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </details>
        );
      })}
      {changes.length > PROVIDERS_SHOWN && <p className="muted">…and {changes.length - PROVIDERS_SHOWN} more providers</p>}
    </section>
  );
}
