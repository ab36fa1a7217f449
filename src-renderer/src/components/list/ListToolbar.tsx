import type { RefObject } from 'react';
import { useCatalog, useProviders, useStores } from '../../stores';
import type { HealthFilter, SortField } from '../../stores/providers-store';
import { Icon } from '../common/Icon';
import { plural } from '../../lib/format';
import { HEALTH_LABELS, PROVIDER_HEALTH_WORDS } from '../../lib/health';

const SORTS: Array<{ value: string; label: string }> = [
  { value: 'name:asc', label: 'Name (A–Z)' },
  { value: 'name:desc', label: 'Name (Z–A)' },
  { value: 'display_name:asc', label: 'Display name' },
  { value: 'type:asc', label: 'Type' },
  { value: 'health:asc', label: 'Health (worst first)' },
  { value: 'updated_at:desc', label: 'Recently changed' },
  { value: 'created_at:desc', label: 'Newest first' },
];

interface ToolbarProps {
  searchRef: RefObject<HTMLInputElement | null>;
  /** The list box, where ↓ from the search box goes. */
  listRef: RefObject<HTMLDivElement | null>;
}

/** Search (Ctrl+K), type and health filters, sort order, the count and the keyboard shortcuts. */
export function ListToolbar({ searchRef, listRef }: ToolbarProps) {
  const { providers, ui } = useStores();
  const query = useProviders((s) => s.query);
  const total = useProviders((s) => s.total);
  const types = useCatalog((s) => s.types);
  const search = useProviders((s) => s.searchText);
  const onSearch = (value: string) => providers.getState().typeSearch(value);

  return (
    <div className="list-toolbar">
      <div className="search-box">
        <Icon name="search" className="search-icon" />
        <input
          ref={searchRef}
          type="search"
          className="input search-input"
          aria-label="Search providers"
          placeholder="Search providers"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          aria-keyshortcuts="Control+K /"
          onKeyDown={(e) => {
            if (e.key === 'Escape' && search) {
              e.preventDefault();
              onSearch('');
            } else if (e.key === 'ArrowDown' && listRef.current) {
              e.preventDefault();
              listRef.current.focus();
            }
          }}
        />
        <kbd className="search-kbd" aria-hidden="true">
          Ctrl K
        </kbd>
      </div>
      <div className="filter-row">
        <select
          className="input select select--compact"
          aria-label="Filter by type"
          value={query.types[0] ?? ''}
          onChange={(e) => providers.getState().setQuery({ types: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
        <select
          className="input select select--compact"
          aria-label="Filter by health"
          value={query.health}
          onChange={(e) => providers.getState().setQuery({ health: e.target.value as HealthFilter })}
        >
          <option value="">Any health</option>
          {PROVIDER_HEALTH_WORDS.map((health) => (
            <option key={health} value={health}>
              {HEALTH_LABELS[health]}
            </option>
          ))}
        </select>
        <select
          className="input select select--compact"
          aria-label="Sort by"
          value={`${query.sort}:${query.order}`}
          onChange={(e) => {
            const [sort, order] = e.target.value.split(':') as [SortField, 'asc' | 'desc'];
            providers.getState().setQuery({ sort, order });
          }}
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="list-meta">
        <p className="list-count" aria-live="polite">
          {total === null ? 'Loading…' : plural(total, 'provider')}
        </p>
        <button
          type="button"
          className="link-button list-shortcuts"
          aria-keyshortcuts="?"
          onClick={() => ui.getState().openDialog('shortcuts')}
        >
          Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
        </button>
      </div>
    </div>
  );
}
