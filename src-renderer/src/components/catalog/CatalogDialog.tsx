import { useEffect, useState } from 'react';
import { useStores } from '../../stores';
import type { CatalogType } from '../../stores/catalog-store';
import { Dialog } from '../common/Dialog';
import { CatalogPicker } from './CatalogPicker';
import { NewProviderForm } from './NewProviderForm';

/** "Add provider": pick a type from the catalog, then fill in its form. */
export function CatalogDialog() {
  const { catalog, ui, providers, detail } = useStores();
  const [type, setType] = useState<CatalogType | null>(null);
  useEffect(() => {
    void catalog.getState().load();
  }, [catalog]);
  const close = () => ui.getState().closeDialog();
  return (
    <Dialog
      title={type ? `Add ${type.label}` : 'Add provider'}
      description={type ? undefined : 'Choose the kind of provider. You can change every setting later.'}
      onClose={close}
      size="lg"
    >
      {type ? (
        <NewProviderForm
          key={type.id}
          type={type}
          onBack={() => setType(null)}
          onDone={(id) => {
            close();
            void providers.getState().refresh();
            ui.getState().openProvider(id, 'general');
            ui.getState().toast(`Added ${type.label} provider`, 'success');
            // Tested at once, so a new provider shows a verdict (Testing…, then the result) instead of sitting at Untested.
            void detail
              .getState()
              .open(id)
              .then(() => detail.getState().test());
          }}
        />
      ) : (
        <CatalogPicker onPick={setType} />
      )}
    </Dialog>
  );
}
