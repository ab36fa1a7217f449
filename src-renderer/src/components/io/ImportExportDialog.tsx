import { useStores, useUi } from '../../stores';
import { Dialog } from '../common/Dialog';
import { Tabs } from '../common/Tabs';
import { ExportPane } from './ExportPane';
import { ImportPane } from './ImportPane';

/** Import and export of config.json, as two tabs of one dialog. */
export function ImportExportDialog() {
  const { ui } = useStores();
  const dialog = useUi((s) => s.dialog);
  const tab = dialog === 'export' ? 'export' : 'import';
  const close = () => ui.getState().closeDialog();
  return (
    <Dialog title="Import and export" description="Move providers in and out as Bifrost-style config.json." onClose={close} size="md">
      <Tabs
        label="Import or export"
        tabs={[
          { id: 'import', label: 'Import' },
          { id: 'export', label: 'Export' },
        ]}
        selected={tab}
        onSelect={(next) => ui.getState().openDialog(next)}
      >
        {tab === 'import' ? <ImportPane onDone={close} /> : <ExportPane onDone={close} />}
      </Tabs>
    </Dialog>
  );
}
