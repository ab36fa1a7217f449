import { useRef, type RefObject } from 'react';
import { useProviders } from '../../stores';
import { EmptyState } from './EmptyState';
import { ListToolbar } from './ListToolbar';
import { VirtualProviderList } from './VirtualProviderList';

/** The left pane: toolbar and the list (or its empty state). */
export function ProviderListPane({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const total = useProviders((s) => s.total);
  const storeEmpty = useProviders((s) => s.storeEmpty);
  const error = useProviders((s) => s.error);
  const listRef = useRef<HTMLDivElement>(null);
  return (
    <aside className="list-pane" aria-label="Provider list">
      <ListToolbar searchRef={searchRef} listRef={listRef} />
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {total === 0 ? (
        <EmptyState kind={storeEmpty ? 'empty' : 'no-match'} />
      ) : (
        <VirtualProviderList listRef={listRef} searchRef={searchRef} />
      )}
    </aside>
  );
}
