import { useEffect, useState } from 'react';
import type { Provider } from '@contract/domain-schemas';
import type { DeskClient } from './client/desk-client';

/** Minimal provider list; the full GUI grows from here. */
export function App({ client }: { client: DeskClient }) {
  const [providers, setProviders] = useState<Provider[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      client
        .call('providers.list', { sort: 'name', order: 'asc', limit: 500 })
        .then((page) => setProviders(page.items))
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    void load();
    return client.subscribe((event) => {
      if (event.type === 'changed') void load();
    });
  }, [client]);

  return (
    <main>
      <h1>Provider Desk</h1>
      {error && <p role="alert">{error}</p>}
      <ul aria-label="Providers">
        {providers.map((p) => (
          <li key={p.id}>
            {p.display_name || p.name} — {p.type}
          </li>
        ))}
      </ul>
    </main>
  );
}
