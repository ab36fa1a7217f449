import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DeskClient } from '../client/desk-client';
import { createCatalogStore, type CatalogState } from './catalog-store';
import { createDetailStore, type DetailState } from './detail-store';
import { createDraftsStore, type DraftsState } from './drafts-store';
import { createKeyActions } from './key-actions';
import { createProvidersStore, type ProvidersState } from './providers-store';
import { createSessionStore, type SessionState } from './session-store';
import { createSettingsStore, type SettingsState } from './settings-store';
import { createTestAllStore, type TestAllState } from './test-all-store';
import { createUiStore, type UiState } from './ui-store';

/** Every store of the app, over one client. Tests build their own with a client of their choosing. */
export function createStores(client: DeskClient, location?: { hash: string }) {
  const detail = createDetailStore(client);
  return {
    client,
    session: createSessionStore(client),
    providers: createProvidersStore(client),
    detail,
    drafts: createDraftsStore(),
    keys: createKeyActions(client, detail),
    catalog: createCatalogStore(client),
    settings: createSettingsStore(client),
    testAll: createTestAllStore(client),
    ui: createUiStore(location),
  };
}

export type Stores = ReturnType<typeof createStores>;

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('StoresContext is missing');
  return stores;
}

export const useProviders = <T>(selector: (state: ProvidersState) => T): T => useStore(useStores().providers, selector);
export const useDetail = <T>(selector: (state: DetailState) => T): T => useStore(useStores().detail, selector);
export const useDrafts = <T>(selector: (state: DraftsState) => T): T => useStore(useStores().drafts, selector);
export const useCatalog = <T>(selector: (state: CatalogState) => T): T => useStore(useStores().catalog, selector);
export const useSettings = <T>(selector: (state: SettingsState) => T): T => useStore(useStores().settings, selector);
export const useTestAll = <T>(selector: (state: TestAllState) => T): T => useStore(useStores().testAll, selector);
export const useUi = <T>(selector: (state: UiState) => T): T => useStore(useStores().ui, selector);
export const useSession = <T>(selector: (state: SessionState) => T): T => useStore(useStores().session, selector);
