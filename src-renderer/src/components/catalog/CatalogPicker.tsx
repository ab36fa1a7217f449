import { useMemo, useState } from 'react';
import { useCatalog } from '../../stores';
import type { CatalogType } from '../../stores/catalog-store';
import { ProviderIcon } from '../common/ProviderIcon';
import { Icon } from '../common/Icon';

function hostOf(url: string | null): string {
  if (!url) return 'Your own endpoint';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Every provider type, searchable by name, id or alias. */
export function CatalogPicker({ onPick }: { onPick(type: CatalogType): void }) {
  const types = useCatalog((s) => s.types);
  const error = useCatalog((s) => s.error);
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    if (!needle) return types;
    return types.filter((t) => [t.label, t.id, ...t.aliases, t.default_base_url ?? ''].some((text) => text.toLowerCase().includes(needle)));
  }, [types, search]);

  return (
    <div className="catalog">
      <div className="search-box">
        <Icon name="search" className="search-icon" />
        <input
          type="search"
          className="input search-input"
          aria-label="Search provider types"
          placeholder="Search provider types"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          autoFocus
        />
      </div>
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      <ul className="catalog-grid" aria-label="Provider types">
        {shown.map((type) => (
          <li key={type.id}>
            {/* Named by its title; the host is its description (hidden from the name so that name and visible label agree). */}
            <button type="button" className="catalog-card" onClick={() => onPick(type)} aria-describedby={`catalog-meta-${type.id}`}>
              <ProviderIcon type={type.id} label={type.label} size={36} />
              <span className="catalog-card-text">
                <span className="catalog-card-title">{type.label}</span>
                <span className="catalog-card-meta" id={`catalog-meta-${type.id}`} aria-hidden="true">
                  {type.local ? 'Local · no key needed' : hostOf(type.default_base_url ?? type.base_url_template)}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 && (
        <p className="muted center">No provider type matches “{search}”. For any OpenAI-compatible server, choose “OpenAI-compatible”.</p>
      )}
    </div>
  );
}
