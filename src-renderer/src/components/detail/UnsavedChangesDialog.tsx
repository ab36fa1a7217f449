import { useState } from 'react';
import type { Provider } from '@contract/domain-schemas';
import { useDrafts, useStores } from '../../stores';
import type { DetailTab } from '../../lib/route';
import { Dialog } from '../common/Dialog';
import { DRAFT_TAB_LABELS, saveAllDrafts } from './draft-tabs';

/** Leaving a provider with unsaved edits: Save them, Discard them, or Cancel and stay (also Escape). */
export function UnsavedChangesDialog({ provider }: { provider: Provider }) {
  const stores = useStores();
  const entries = useDrafts((s) => s.byProvider[provider.id]);
  const tabs = Object.keys(entries ?? {}) as DetailTab[];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = provider.display_name || provider.name;
  const names = tabs.map((t) => DRAFT_TAB_LABELS[t] ?? t).join(', ');

  const stay = () => stores.ui.getState().settleLeave(false);
  const discard = () => {
    stores.drafts.getState().discard(provider.id);
    stores.ui.getState().settleLeave(true);
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    const outcome = await saveAllDrafts(stores, provider);
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    stores.ui.getState().toast('Saved', 'success');
    stores.ui.getState().settleLeave(true);
  };

  return (
    <Dialog
      title={`Save changes to “${title}”?`}
      onClose={stay}
      size="sm"
      footer={
        <>
          <button type="button" className="button" onClick={stay} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={discard} disabled={busy}>
            Discard
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()} disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <p className="confirm-text">
        {tabs.length > 0 ? `${names} ${tabs.length === 1 ? 'has' : 'have'} unsaved changes.` : 'There are unsaved changes.'} Save them
        before leaving, or discard them.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
