import { useEffect, useRef } from 'react';
import { parseRoute } from './lib/route';
import { useHotkeys } from './lib/hotkeys';
import { useTheme } from './lib/theme';
import { useSession, useSettings, useStores, useUi } from './stores';
import { CatalogDialog } from './components/catalog/CatalogDialog';
import { ImportExportDialog } from './components/io/ImportExportDialog';
import { LoginView } from './components/LoginView';
import { ProvidersView } from './components/ProvidersView';
import { SettingsView } from './components/settings/SettingsView';
import { TestAllDialog } from './components/testall/TestAllDialog';
import { Toasts } from './components/common/Toasts';
import { TopBar } from './components/TopBar';
import { Spinner } from './components/common/Spinner';
import { CheckNotifier } from './components/checks/CheckNotifier';
import { ShortcutsOverlay, useShortcutKeys } from './components/ShortcutsOverlay';
import { startLiveSync } from './stores/live-sync';

/** Keeps the stores in step with the backend: first load after sign-in, the backend's change events, sign-out on 401. */
function useBackendSync(signedIn: boolean): void {
  const stores = useStores();
  useEffect(() => {
    if (!signedIn) return;
    void stores.catalog.getState().load();
    void stores.settings.getState().load();
    stores.providers.getState().reload();
    return startLiveSync(stores);
  }, [signedIn, stores]);
}

export function App() {
  const stores = useStores();
  const status = useSession((s) => s.status);
  const route = useUi((s) => s.route);
  const dialog = useUi((s) => s.dialog);
  const theme = useSettings((s) => s.preferences?.theme);
  const searchRef = useRef<HTMLInputElement>(null);
  const signedIn = status === 'signed-in';

  useTheme(theme);
  useBackendSync(signedIn);

  useEffect(() => {
    void stores.session.getState().check();
    const offUnauthorized = stores.client.onUnauthorized(() => stores.session.getState().expired());
    const onHash = () => stores.ui.getState().navigate(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => {
      offUnauthorized();
      window.removeEventListener('hashchange', onHash);
    };
  }, [stores]);

  const focusSearch = () => {
    if (!signedIn) return;
    if (stores.ui.getState().route.view !== 'providers')
      stores.ui.getState().navigate({ view: 'providers', providerId: null, tab: 'general' });
    requestAnimationFrame(() => searchRef.current?.focus());
  };
  useHotkeys({
    'mod+k': focusSearch,
    'mod+n': () => signedIn && stores.ui.getState().openDialog('catalog'),
    // Always taken from the browser (whose Ctrl+S saves the page); saves the open tab's draft where there is one.
    'mod+s': () => stores.ui.getState().saveShortcut?.(),
  });
  useShortcutKeys({ search: focusSearch, help: () => signedIn && stores.ui.getState().openDialog('shortcuts') });

  if (status === 'checking') {
    return (
      <div className="splash">
        <Spinner label="Connecting to Provider Desk" size={24} />
      </div>
    );
  }
  if (!signedIn) return <LoginView />;

  return (
    <div className="app">
      <a className="skip-link" href="#main-content" onClick={(e) => (e.preventDefault(), document.getElementById('main-content')?.focus())}>
        Skip to content
      </a>
      <TopBar />
      <div id="main-content" className="main" tabIndex={-1}>
        {route.view === 'settings' ? <SettingsView /> : <ProvidersView searchRef={searchRef} />}
      </div>
      {dialog === 'catalog' && <CatalogDialog />}
      {(dialog === 'import' || dialog === 'export') && <ImportExportDialog />}
      {dialog === 'test-all' && <TestAllDialog />}
      {dialog === 'shortcuts' && <ShortcutsOverlay />}
      <Toasts />
      <CheckNotifier />
    </div>
  );
}
