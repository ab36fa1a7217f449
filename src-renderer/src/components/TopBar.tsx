import { useSession, useStores, useUi } from '../stores';
import { Icon } from './common/Icon';
import { Logo } from './common/Logo';
import { TestAllIndicator } from './testall/TestAllIndicator';

/** Brand, the two views, and the app-wide actions. */
export function TopBar() {
  const { ui, session } = useStores();
  const route = useUi((s) => s.route);
  const canSignOut = useSession((s) => s.canSignOut);
  const open = ui.getState().openDialog;
  return (
    <header className="topbar">
      <div className="brand">
        <Logo />
        <span className="brand-name">Provider Desk</span>
      </div>
      <nav className="nav" aria-label="Main">
        <a href="#/providers" className="nav-link" aria-current={route.view === 'providers' ? 'page' : undefined}>
          Providers
        </a>
        <a href="#/settings" className="nav-link" aria-current={route.view === 'settings' ? 'page' : undefined}>
          Settings
        </a>
      </nav>
      <div className="topbar-actions">
        <TestAllIndicator />
        <button type="button" className="button button--ghost" onClick={() => open('test-all')}>
          <Icon name="play" /> Test all
        </button>
        <button type="button" className="button button--ghost" onClick={() => open('import')}>
          <Icon name="upload" /> Import
        </button>
        <button type="button" className="button button--ghost" onClick={() => open('export')}>
          <Icon name="download" /> Export
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => open('catalog')}
          aria-keyshortcuts="Control+N"
          title="Add provider (Ctrl+N)"
        >
          <Icon name="plus" /> Add provider
        </button>
        {canSignOut && (
          <button
            type="button"
            className="icon-button"
            aria-label="Sign out"
            title="Sign out"
            onClick={() => void session.getState().logout()}
          >
            <Icon name="logout" />
          </button>
        )}
      </div>
    </header>
  );
}
