import { useStores } from '../../stores';
import { DEFAULT_QUERY } from '../../stores/providers-store';
import { Icon } from '../common/Icon';

/** No providers at all: lead to the first one. Nothing matching: offer to clear the filters. */
export function EmptyState({ kind }: { kind: 'empty' | 'no-match' }) {
  const { ui, providers } = useStores();
  if (kind === 'no-match') {
    return (
      <div className="empty-state empty-state--compact">
        <Icon name="search" size={28} />
        <h2>No providers match</h2>
        <p>Try another search, or clear the filters.</p>
        <button type="button" className="button" onClick={() => providers.getState().setQuery(DEFAULT_QUERY)}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <div className="empty-state-art" aria-hidden="true">
        <Icon name="layers" size={36} />
      </div>
      <h1>Add your first provider</h1>
      <p>Keep every LLM provider and API key in one encrypted place, test them and see their models.</p>
      <div className="empty-state-actions">
        <button type="button" className="button button--primary" onClick={() => ui.getState().openDialog('catalog')}>
          <Icon name="plus" /> Add your first provider
        </button>
        <button type="button" className="button" onClick={() => ui.getState().openDialog('import')}>
          <Icon name="upload" /> Import config.json
        </button>
      </div>
    </div>
  );
}
