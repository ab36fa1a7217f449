import { useEffect, useMemo, useState } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { MODEL_CAPABILITIES, type ModelCapability } from '@contract/domain-schemas';
import { useDetail, useStores } from '../../stores';
import { formatTokens, formatWhen, plural } from '../../lib/format';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';

/** The provider's models with capability chips; a failed listing shows why, never an empty list. */
export function ModelsTab({ provider }: { provider: Provider }) {
  const { detail } = useStores();
  const models = useDetail((s) => s.models);
  const [search, setSearch] = useState('');
  const [capability, setCapability] = useState<ModelCapability | null>(null);

  useEffect(() => {
    if (!detail.getState().models.loaded && !detail.getState().models.loading) void detail.getState().loadModels();
  }, [detail, provider.id]);

  const present = useMemo(() => MODEL_CAPABILITIES.filter((c) => models.items.some((m) => m.capabilities.includes(c))), [models.items]);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return models.items.filter(
      (m) =>
        (!needle || m.id.toLowerCase().includes(needle) || m.display_name.toLowerCase().includes(needle)) &&
        (!capability || m.capabilities.includes(capability)),
    );
  }, [models.items, search, capability]);

  return (
    <div className="models-tab">
      <div className="models-toolbar">
        <div className="search-box search-box--inline">
          <Icon name="search" className="search-icon" />
          <input
            type="search"
            className="input search-input"
            aria-label="Search models"
            placeholder="Search models"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="chip-filter" role="group" aria-label="Filter by capability">
          {present.map((c) => (
            <button
              key={c}
              type="button"
              className="chip chip--toggle"
              aria-pressed={capability === c}
              onClick={() => setCapability(capability === c ? null : c)}
            >
              {c}
            </button>
          ))}
        </div>
        <button type="button" className="button" onClick={() => void detail.getState().loadModels(true)} disabled={models.loading}>
          {models.loading ? <Spinner size={14} /> : <Icon name="refresh" />} Refresh
        </button>
      </div>
      {models.error ? (
        <div className="banner banner--error" role="alert">
          <p className="banner-title">The model list could not be fetched</p>
          <p>{models.error.message}</p>
          {models.error.hint && <p className="banner-hint">{models.error.hint}</p>}
        </div>
      ) : !models.loaded ? (
        <p className="loading-line">
          <Spinner size={14} /> Fetching models…
        </p>
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {plural(shown.length, 'model')}
            {shown.length !== models.items.length ? ` of ${models.items.length}` : ''} · fetched {formatWhen(models.fetchedAt)}
          </p>
          {models.items.length === 0 ? (
            <p className="empty-inline">The provider answered with no models.</p>
          ) : (
            <table className="table models-table">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Capabilities</th>
                  <th scope="col" className="num">
                    Context
                  </th>
                  <th scope="col">Owner</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((m) => (
                  <tr key={`${m.id}:${m.key_id ?? ''}`}>
                    <td>
                      <span className="mono model-id">{m.id}</span>
                      {m.display_name && m.display_name !== m.id && <span className="muted small model-name">{m.display_name}</span>}
                    </td>
                    <td>
                      <span className="chips">
                        {m.capabilities.map((c) => (
                          <span key={c} className={`chip chip--cap chip--${c}`}>
                            {c}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td className="num">{formatTokens(m.context_window)}</td>
                    <td className="muted">{m.owned_by ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
