import { createStore } from 'zustand/vanilla';
import type { OperationOutput } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export type CatalogType = OperationOutput<'catalog.list'>['types'][number];

export interface CatalogState {
  types: CatalogType[];
  error: string | null;
  load(): Promise<void>;
  byId(id: string): CatalogType | undefined;
}

/** Provider types from the backend's catalog, read once. */
export function createCatalogStore(client: DeskClient) {
  let loading: Promise<void> | null = null;
  return createStore<CatalogState>()((set, get) => ({
    types: [],
    error: null,
    load() {
      if (get().types.length > 0) return Promise.resolve();
      loading ??= client
        .call('catalog.list', {})
        .then((result) => set({ types: result.types, error: null }))
        .catch((error: unknown) => set({ error: errorMessage(error) }))
        .finally(() => {
          loading = null;
        });
      return loading;
    },
    byId(id) {
      return get().types.find((t) => t.id === id || t.aliases.includes(id));
    },
  }));
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;
