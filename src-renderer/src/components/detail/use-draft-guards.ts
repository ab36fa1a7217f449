import { useEffect, useRef, type RefObject } from 'react';
import type { Provider } from '@contract/domain-schemas';
import type { DetailTab } from '../../lib/route';
import { useStores } from '../../stores';
import { hasDrafts } from '../../stores/drafts-store';

/**
 * What keeps the open provider's unsaved edits safe: leaving it asks first (the ui store holds the leave back),
 * Ctrl+S (⌘S) submits the current tab's form, and closing the page or the window asks too.
 */
export function useDraftGuards(provider: Provider | null, tab: DetailTab, container: RefObject<HTMLElement | null>): void {
  const { drafts, ui } = useStores();
  const id = provider?.id;
  const name = provider?.name;
  const currentTab = useRef(tab);
  useEffect(() => {
    currentTab.current = tab;
  });

  useEffect(() => {
    if (!id) return;
    ui.getState().setLeaveGuard((intent) => {
      const to = intent.kind === 'route' && intent.route.view === 'providers' ? intent.route.providerId : undefined;
      if (to === id || (to !== undefined && to === name)) return false; // the same provider, by id or by name
      return hasDrafts(drafts.getState(), id);
    });
    ui.getState().setSaveShortcut(() => {
      if (document.querySelector('dialog[open]')) return; // a dialog has the keyboard; the form behind it is not the user's focus
      const form = container.current?.querySelector<HTMLFormElement>(`form[data-draft-tab="${currentTab.current}"]`);
      if (!form) return;
      if (!drafts.getState().byProvider[id]?.[currentTab.current]) {
        ui.getState().toast('No unsaved changes on this tab');
        return;
      }
      form.requestSubmit();
    });
    // Closing or reloading the page asks too: the browser asks itself; in the desktop app the refused unload reaches the
    // shell (window.ts, will-prevent-unload), which asks with a native dialog.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!hasDrafts(drafts.getState(), id)) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      ui.getState().setLeaveGuard(null);
      ui.getState().setSaveShortcut(null);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [id, name, drafts, ui, container]);
}
