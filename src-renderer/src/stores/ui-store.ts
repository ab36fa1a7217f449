import { createStore } from 'zustand/vanilla';
import { formatRoute, parseRoute, type DetailTab, type Route } from '../lib/route';

export type DialogName = 'catalog' | 'import' | 'export' | 'test-all' | 'shortcuts';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'error';
}

/** Somewhere the user asked to go: another route, or a dialog that takes them away from the open provider. */
export type LeaveIntent = { kind: 'route'; route: Route } | { kind: 'dialog'; name: DialogName };

/** Dialogs that replace what the open provider shows (a new provider, an import), so its unsaved edits must be settled first. */
const LEAVING_DIALOGS: ReadonlySet<DialogName> = new Set(['catalog', 'import']);

/** Whether going to `intent` from `from` leaves the provider open in `from`; switching its tabs does not. */
export function leavesProvider(from: Route, intent: LeaveIntent): boolean {
  if (from.view !== 'providers' || !from.providerId) return false;
  if (intent.kind === 'dialog') return LEAVING_DIALOGS.has(intent.name);
  return intent.route.view !== 'providers' || intent.route.providerId !== from.providerId;
}

export interface UiState {
  route: Route;
  dialog: DialogName | null;
  toasts: Toast[];
  /** Asked before leaving the open provider: true when it has unsaved edits that must be settled first. */
  leaveGuard: ((intent: LeaveIntent) => boolean) | null;
  /** A leave that waits for the user's answer (Save / Discard / Cancel). */
  pendingLeave: LeaveIntent | null;
  /** What Ctrl+S (⌘S) does where the user is; null where there is nothing to save. */
  saveShortcut: (() => void) | null;
  navigate(route: Route): void;
  openProvider(id: string | null, tab?: DetailTab): void;
  openDialog(name: DialogName): void;
  closeDialog(): void;
  setLeaveGuard(guard: UiState['leaveGuard']): void;
  /** Carries out the waiting leave (`proceed`), or stays (Cancel). */
  settleLeave(proceed: boolean): void;
  setSaveShortcut(save: UiState['saveShortcut']): void;
  toast(text: string, tone?: Toast['tone']): void;
  dismissToast(id: number): void;
}

/** Where the user is (kept in the URL hash, so a reload comes back to the same place), open dialogs, toasts. */
export function createUiStore(location: { hash: string } = { hash: '' }) {
  let nextToast = 1;
  return createStore<UiState>()((set, get) => {
    const go = (route: Route) => {
      const hash = formatRoute(route);
      if (location.hash !== hash) location.hash = hash;
      set({ route });
    };
    /** Holds a leave back for the user's answer when the open provider has unsaved edits. */
    const held = (intent: LeaveIntent): boolean => {
      const { route, leaveGuard } = get();
      if (!leaveGuard || !leavesProvider(route, intent) || !leaveGuard(intent)) return false;
      set({ pendingLeave: intent });
      // A link or the back button has already changed the hash: put it back while the question is open.
      const hash = formatRoute(route);
      if (location.hash !== hash) location.hash = hash;
      return true;
    };

    return {
      route: parseRoute(location.hash),
      dialog: null,
      toasts: [],
      leaveGuard: null,
      pendingLeave: null,
      saveShortcut: null,
      navigate(route) {
        if (!held({ kind: 'route', route })) go(route);
      },
      openProvider(id, tab) {
        const current = get().route;
        const keepTab = current.view === 'providers' ? current.tab : 'general';
        get().navigate({ view: 'providers', providerId: id, tab: tab ?? keepTab });
      },
      openDialog(name) {
        if (!held({ kind: 'dialog', name })) set({ dialog: name });
      },
      closeDialog() {
        set({ dialog: null });
      },
      setLeaveGuard(guard) {
        set({ leaveGuard: guard });
      },
      settleLeave(proceed) {
        const intent = get().pendingLeave;
        set({ pendingLeave: null });
        if (!proceed || !intent) return;
        if (intent.kind === 'route') go(intent.route);
        else set({ dialog: intent.name });
      },
      setSaveShortcut(save) {
        set({ saveShortcut: save });
      },
      toast(text, tone = 'info') {
        const id = nextToast++;
        set((state) => ({ toasts: [...state.toasts.slice(-3), { id, text, tone }] }));
        setTimeout(() => get().dismissToast(id), tone === 'error' ? 8000 : 4000);
      },
      dismissToast(id) {
        set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
      },
    };
  });
}

export type UiStore = ReturnType<typeof createUiStore>;
