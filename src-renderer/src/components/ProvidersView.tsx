import type { RefObject } from 'react';
import { useProviders, useUi } from '../stores';
import { Icon } from './common/Icon';
import { ProviderDetail } from './detail/ProviderDetail';
import { EmptyState } from './list/EmptyState';
import { ProviderListPane } from './list/ProviderListPane';

/** The list on the left, the open provider on the right; a welcome when there are no providers at all. */
export function ProvidersView({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const route = useUi((s) => s.route);
  const storeEmpty = useProviders((s) => s.storeEmpty);
  const providerId = route.view === 'providers' ? route.providerId : null;
  if (storeEmpty && !providerId) {
    return (
      <main className="workspace workspace--empty">
        <EmptyState kind="empty" />
      </main>
    );
  }
  return (
    <main className="workspace">
      <ProviderListPane searchRef={searchRef} />
      <section className="detail-pane" aria-label="Provider details">
        {providerId && route.view === 'providers' ? (
          <ProviderDetail id={providerId} tab={route.tab} />
        ) : (
          <div className="detail-placeholder">
            <h1 className="visually-hidden">Providers</h1>
            <Icon name="layers" size={32} />
            <p>Select a provider to see its keys, models and settings.</p>
            <p className="muted small">
              <kbd>Ctrl K</kbd> search · <kbd>Ctrl N</kbd> new provider · <kbd>↑</kbd> <kbd>↓</kbd> move in the list · <kbd>?</kbd> all
              shortcuts
            </p>
          </div>
        )}
      </section>
    </main>
  );
}
