import { useEffect, useRef, useState } from 'react';
import { useCatalog, useDetail, useDrafts, useStores, useUi } from '../../stores';
import { DETAIL_TABS, type DetailTab } from '../../lib/route';
import { healthOf } from '../../lib/health';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { HealthBadge } from '../common/HealthBadge';
import { Icon } from '../common/Icon';
import { ProviderIcon } from '../common/ProviderIcon';
import { Spinner } from '../common/Spinner';
import { Tabs, type TabItem } from '../common/Tabs';
import { AdvancedTab } from './AdvancedTab';
import { GeneralTab } from './GeneralTab';
import { KeysTab } from './KeysTab';
import { ModelsTab } from './ModelsTab';
import { NetworkTab } from './NetworkTab';
import { TestResults } from './TestResults';
import { UnsavedChangesDialog } from './UnsavedChangesDialog';
import { useDraftGuards } from './use-draft-guards';
import { UseFromToolsTab } from './UseFromToolsTab';
import { UsageTab } from './UsageTab';

const TAB_LABELS: Record<DetailTab, string> = {
  general: 'General',
  keys: 'Keys',
  models: 'Models',
  network: 'Network',
  advanced: 'Advanced',
  tools: 'Use from other tools',
  usage: 'Usage',
};

/** The open provider: header with Test and Delete, the last test's verdicts, and the five tabs. */
export function ProviderDetail({ id, tab }: { id: string; tab: DetailTab }) {
  const stores = useStores();
  const { detail, ui, providers } = stores;
  const provider = useDetail((s) => s.provider);
  const loading = useDetail((s) => s.loading);
  const error = useDetail((s) => s.error);
  const notice = useDetail((s) => s.notice);
  const testing = useDetail((s) => s.testing);
  const testResults = useDetail((s) => s.testResults);
  const type = useCatalog((s) => (provider ? s.byId(provider.type) : undefined));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const openTab = useUi((s) => s.openProvider);
  const unsaved = useDrafts((s) => (provider ? s.byProvider[provider.id] : undefined));
  const leaving = useUi((s) => s.pendingLeave);
  const article = useRef<HTMLElement>(null);
  useDraftGuards(provider, tab, article);

  useEffect(() => {
    void detail.getState().open(id);
  }, [detail, id]);

  if (loading || (!provider && !error)) {
    return (
      <div className="detail-loading">
        <Spinner label="Loading provider" />
      </div>
    );
  }
  if (!provider) {
    return (
      <div className="detail-empty">
        <p className="banner banner--error" role="alert">
          {error}
        </p>
        <button type="button" className="button" onClick={() => ui.getState().openProvider(null)}>
          Back to the list
        </button>
      </div>
    );
  }

  const tabs: Array<TabItem<DetailTab>> = DETAIL_TABS.map((t) => ({
    id: t,
    label: TAB_LABELS[t],
    badge: t === 'keys' ? provider.api_keys.length : t === 'models' && provider.models_count > 0 ? provider.models_count : undefined,
    dirty: unsaved?.[t] !== undefined,
  }));
  const title = provider.display_name || provider.name;

  return (
    <article className="detail" aria-labelledby="detail-title" ref={article}>
      <header className="detail-header">
        <ProviderIcon type={provider.type} label={type?.label ?? provider.type} size={44} />
        <div className="detail-heading">
          <h1 id="detail-title" className="detail-title">
            {title}
            {!provider.enabled && <span className="chip chip--subtle">Disabled</span>}
          </h1>
          <p className="detail-subtitle">
            <span className="mono">{provider.name}</span> · {type?.label ?? provider.type}
            {provider.base_url ? (
              <>
                {' '}
                · <span className="mono">{provider.base_url}</span>
              </>
            ) : null}
          </p>
        </div>
        <HealthBadge kind={healthOf(provider)} />
        <div className="detail-actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => void detail.getState().test()}
            disabled={testing}
            aria-busy={testing}
          >
            {testing ? <Spinner size={14} /> : <Icon name="play" />} {testing ? 'Testing…' : 'Test'}
          </button>
          <button
            type="button"
            className="icon-button icon-button--danger"
            aria-label="Delete provider"
            title="Delete provider"
            onClick={() => setConfirmDelete(true)}
          >
            <Icon name="trash" />
          </button>
        </div>
      </header>
      {notice && (
        <div className="banner banner--warning" role="alert">
          <span>{notice}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label="Dismiss notice"
            onClick={() => detail.getState().dismissNotice()}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      )}
      {testResults && <TestResults results={testResults} provider={provider} />}
      <Tabs label="Provider sections" tabs={tabs} selected={tab} onSelect={(next) => openTab(provider.id, next)}>
        {tab === 'general' && <GeneralTab key={provider.id} provider={provider} />}
        {tab === 'keys' && <KeysTab key={provider.id} provider={provider} />}
        {tab === 'models' && <ModelsTab key={provider.id} provider={provider} />}
        {tab === 'network' && <NetworkTab key={provider.id} provider={provider} />}
        {tab === 'advanced' && <AdvancedTab key={provider.id} provider={provider} />}
        {tab === 'tools' && <UseFromToolsTab key={provider.id} provider={provider} />}
        {tab === 'usage' && <UsageTab key={provider.id} provider={provider} />}
      </Tabs>
      {leaving && <UnsavedChangesDialog provider={provider} />}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete “${title}”?`}
          confirmLabel="Delete provider"
          danger
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await detail.getState().remove(provider.id);
            stores.drafts.getState().discard(provider.id);
            ui.getState().openProvider(null);
            ui.getState().toast(`Deleted ${title}`, 'success');
            void providers.getState().refresh();
          }}
        >
          <p>
            Its {provider.api_keys.length === 1 ? 'key' : `${provider.api_keys.length} keys`}, models and check history are removed from
            this computer. Tools that use it stop working at once. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </article>
  );
}
