import { useEffect, useState } from 'react';
import type { Provider } from '@contract/domain-schemas';
import type { OperationOutput } from '@contract/operations';
import { useStores } from '../../stores';
import { errorMessage } from '../../lib/errors';
import { formatWhen } from '../../lib/format';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';

type Usage = OperationOutput<'usage.byProvider'>;
type Counters = Usage['totals'];

function errorsText(counters: Counters): string {
  const classes = Object.entries(counters.errors_by_class).filter(([, count]) => count > 0);
  if (classes.length === 0) return String(counters.errors);
  return `${counters.errors} (${classes.map(([name, count]) => `${name}: ${count}`).join(', ')})`;
}

function CountersRow({ label, counters }: { label: string; counters: Counters }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{counters.requests}</td>
      <td>{errorsText(counters)}</td>
      <td>{counters.input_tokens}</td>
      <td>{counters.output_tokens}</td>
      <td>{counters.last_used_at ? formatWhen(counters.last_used_at) : 'never'}</td>
    </tr>
  );
}

function UsageTable({ label, rows }: { label: string; rows: Array<{ id: string; label: string; counters: Counters }> }) {
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{label.replace(/^Usage by /, '').replace(/^./, (c) => c.toUpperCase())}</th>
          <th scope="col">Requests</th>
          <th scope="col">Errors</th>
          <th scope="col">Input tokens</th>
          <th scope="col">Output tokens</th>
          <th scope="col">Last used</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <CountersRow key={row.id} label={row.label} counters={row.counters} />
        ))}
      </tbody>
    </table>
  );
}

/** The provider's gateway usage (counters only): in total, per key and per token. */
export function UsageTab({ provider }: { provider: Provider }) {
  const { client } = useStores();
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  // Bumped by Refresh: the counters are read again.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    client.call('usage.byProvider', { idOrName: provider.id }).then(
      (answer) => {
        if (!current) return;
        setUsage(answer);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [client, provider.id, generation]);

  const refresh = () => {
    setLoading(true);
    setGeneration((g) => g + 1);
  };

  return (
    <section className="usage-tab" aria-labelledby="usage-title">
      <h2 id="usage-title" className="settings-title">
        Gateway usage
      </h2>
      <p className="muted">Requests tools made to this provider through Provider Desk's gateway. Counters only — no prompts, no answers.</p>
      <button type="button" className="button" onClick={refresh} disabled={loading}>
        {loading ? <Spinner size={14} /> : <Icon name="refresh" />} Refresh
      </button>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {usage && (
        <>
          <UsageTable label="Usage in total" rows={[{ id: 'total', label: 'All requests', counters: usage.totals }]} />
          {usage.keys.length > 0 && (
            <UsageTable
              label="Usage by key"
              rows={usage.keys.map((k) => ({
                id: k.key_id ?? 'keyless',
                label: k.key_name ?? (k.key_id ? 'deleted key' : 'no key'),
                counters: k,
              }))}
            />
          )}
          {usage.tokens.length > 0 && (
            <UsageTable
              label="Usage by token"
              rows={usage.tokens.map((t) => ({
                id: t.token_id ?? 'main',
                label: t.token_name ?? (t.token_id ? 'deleted token' : 'main API token'),
                counters: t,
              }))}
            />
          )}
        </>
      )}
    </section>
  );
}
