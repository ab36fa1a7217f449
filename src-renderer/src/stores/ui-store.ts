import { createStore } from 'zustand/vanilla';
import { formatRoute, parseRoute, type DetailTab, type Route } from '../lib/route';

export type DialogName = 'catalog' | 'import' | 'export' | 'test-all';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'error';
}

export interface UiState {
  route: Route;
  dialog: DialogName | null;
  toasts: Toast[];
  navigate(route: Route): void;
  openProvider(id: string | null, tab?: DetailTab): void;
  openDialog(name: DialogName): void;
  closeDialog(): void;
  toast(text: string, tone?: Toast['tone']): void;
  dismissToast(id: number): void;
}

/** Where the user is (kept in the URL hash, so a reload comes back to the same place), open dialogs, toasts. */
export function createUiStore(location: { hash: string } = { hash: '' }) {
  let nextToast = 1;
  return createStore<UiState>()((set, get) => ({
    route: parseRoute(location.hash),
    dialog: null,
    toasts: [],
    navigate(route) {
      const hash = formatRoute(route);
      if (location.hash !== hash) location.hash = hash;
      set({ route });
    },
    openProvider(id, tab) {
      const current = get().route;
      const keepTab = current.view === 'providers' ? current.tab : 'general';
      get().navigate({ view: 'providers', providerId: id, tab: tab ?? keepTab });
    },
    openDialog(name) {
      set({ dialog: name });
    },
    closeDialog() {
      set({ dialog: null });
    },
    toast(text, tone = 'info') {
      const id = nextToast++;
      set((state) => ({ toasts: [...state.toasts.slice(-3), { id, text, tone }] }));
      setTimeout(() => get().dismissToast(id), tone === 'error' ? 8000 : 4000);
    },
    dismissToast(id) {
      set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
    },
  }));
}

export type UiStore = ReturnType<typeof createUiStore>;
