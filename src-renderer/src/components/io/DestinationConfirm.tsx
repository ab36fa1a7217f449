import { destinationsByProvider, destinationSummary, type DestinationChange } from '../../lib/config-ops';

/**
 * The import's changes of where stored keys are sent (base URL host, proxy, CA, TLS verification), one block per
 * provider with its own checkbox: a key kept from the store must not follow a file to a new host unless the user says so.
 */
export function DestinationConfirm({
  destinations,
  confirmed,
  onChange,
}: {
  destinations: readonly DestinationChange[];
  confirmed: ReadonlySet<string>;
  onChange(provider: string, confirmed: boolean): void;
}) {
  const byProvider = destinationsByProvider(destinations);
  return (
    <section className="banner banner--warning" aria-labelledby="import-destinations-title">
      <h3 id="import-destinations-title" className="banner-title">
        Stored keys would be sent somewhere new
      </h3>
      <p className="banner-hint">
        This file keeps keys you already have (they are not in the file) but changes where they go. Confirm each provider only if you trust
        the new destination.
      </p>
      {[...byProvider].map(([provider, changes]) => {
        const id = `destination-${provider}`;
        return (
          <div key={provider} role="group" aria-labelledby={`${id}-name`}>
            <h4 id={`${id}-name`} className="section-title mono">
              {provider}
            </h4>
            <ul className="diff-list diff-list--warn">
              {changes.map((c) => (
                <li key={c.field}>
                  <span className="mono">{c.field}</span>: <span className="mono">{c.from}</span> → <span className="mono">{c.to}</span>
                </li>
              ))}
            </ul>
            <label className="check">
              <input type="checkbox" checked={confirmed.has(provider)} onChange={(e) => onChange(provider, e.target.checked)} />
              <span>
                Send the stored keys of <span className="mono">{provider}</span> {destinationSummary(changes)}
              </span>
            </label>
          </div>
        );
      })}
    </section>
  );
}
