import { createStore } from 'zustand/vanilla';
import type { Provider, ProviderHealth } from '@contract/domain-schemas';
import type { DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export const PAGE_SIZE = 200;

export type HealthFilter = '' | ProviderHealth;
export type SortField = 'name' | 'display_name' | 'type' | 'created_at' | 'updated_at' | 'health';

export interface ListQuery {
  search: string;
  types: string[];
  health: HealthFilter;
  sort: SortField;
  order: 'asc' | 'desc';
}

export interface ProvidersState {
  query: ListQuery;
  /** What is typed in the search box; becomes `query.search` after a short pause. */
  searchText: string;
  /** Matching providers on the server; null until the first page arrives. */
  total: number | null;
  /** Providers in the store at all (to tell "no providers yet" from "nothing matches"). */
  storeEmpty: boolean | null;
  /** Loaded pages by index; rows of pages not loaded yet render as placeholders. */
  pages: Record<number, Provider[]>;
  error: string | null;
  setQuery(patch: Partial<ListQuery>): void;
  typeSearch(text: string, delayMs?: number): void;
  /** Starts over from the first page (after signing in). */
  reload(): void;
  /** Loads the pages covering rows [start, end] that are not loaded yet. */
  ensureRange(start: number, end: number): void;
  /** Re-reads the first page and the pages on screen (after a change), keeping rows visible meanwhile. */
  refresh(): Promise<void>;
  itemAt(index: number): Provider | undefined;
  /** Whether a loaded page holds this provider (a change to one not loaded costs nothing: it is read when scrolled to). */
  hasRow(id: string): boolean;
  /** Puts fresh copies of providers in their rows, where loaded (a change event, or the open detail re-read). */
  replaceRows(providers: Provider[]): void;
  /** Whether a change to a row's health or timestamps can move it or drop it from the list as filtered and sorted now. */
  orderDependsOnHealth(): boolean;
}

export const DEFAULT_QUERY: ListQuery = { search: '', types: [], health: '', sort: 'name', order: 'asc' };

/** The provider list, fetched a page at a time so that 10,000 providers cost only what is on screen. */
export function createProvidersStore(client: DeskClient) {
  let generation = 0;
  const inFlight = new Set<string>();
  let visible: [number, number] = [0, 0];
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const pagesOf = ([start, end]: [number, number]) => {
    const pages: number[] = [];
    for (let page = Math.floor(Math.max(0, start) / PAGE_SIZE); page <= Math.floor(Math.max(0, end) / PAGE_SIZE); page += 1)
      pages.push(page);
    return pages;
  };

  return createStore<ProvidersState>()((set, get) => {
    const fetchPage = async (page: number, gen: number): Promise<void> => {
      const flight = `${gen}:${page}`;
      if (inFlight.has(flight)) return;
      inFlight.add(flight);
      const { query } = get();
      try {
        const result = await client.call('providers.list', {
          ...(query.search.trim() ? { search: query.search.trim() } : {}),
          ...(query.types.length > 0 ? { type: query.types } : {}),
          ...(query.health ? { health: query.health } : {}),
          sort: query.sort,
          order: query.order,
          limit: PAGE_SIZE,
          offset: page * PAGE_SIZE,
        });
        if (gen !== generation) return;
        const filtered = query.search.trim() !== '' || query.types.length > 0 || query.health !== '';
        set((state) => ({
          total: result.total,
          storeEmpty: !filtered ? result.total === 0 : result.total > 0 ? false : state.storeEmpty,
          pages: { ...state.pages, [page]: result.items },
          error: null,
        }));
      } catch (error) {
        if (gen === generation) set({ error: errorMessage(error) });
      } finally {
        inFlight.delete(flight);
      }
    };

    const reload = () => {
      generation += 1;
      set({ pages: {}, total: null, error: null });
      void fetchPage(0, generation);
    };

    return {
      query: DEFAULT_QUERY,
      searchText: '',
      total: null,
      storeEmpty: null,
      pages: {},
      error: null,
      setQuery(patch) {
        clearTimeout(searchTimer);
        set((state) => ({ query: { ...state.query, ...patch }, searchText: patch.search ?? state.searchText }));
        reload();
      },
      reload,
      typeSearch(text, delayMs = 150) {
        set({ searchText: text });
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => get().setQuery({ search: text }), delayMs);
      },
      ensureRange(start, end) {
        visible = [start, end];
        const { total, pages } = get();
        if (total === null) return;
        for (const page of pagesOf([start, Math.min(end, total - 1)])) {
          if (!pages[page]) void fetchPage(page, generation);
        }
      },
      async refresh() {
        generation += 1;
        const gen = generation;
        const wanted = pagesOf(visible);
        if (!wanted.includes(0)) wanted.unshift(0);
        // Pages not re-read are dropped: they will load again when scrolled to.
        set((state) => ({ pages: Object.fromEntries(wanted.filter((p) => state.pages[p]).map((p) => [p, state.pages[p]!])) }));
        await Promise.all(wanted.map((page) => fetchPage(page, gen)));
      },
      itemAt(index) {
        return get().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
      },
      hasRow(id) {
        return Object.values(get().pages).some((items) => items.some((p) => p.id === id));
      },
      replaceRows(providers) {
        const fresh = new Map(providers.map((p) => [p.id, p]));
        set((state) => {
          let changed = false;
          const pages: Record<number, Provider[]> = {};
          for (const [index, items] of Object.entries(state.pages)) {
            pages[Number(index)] = items.map((item) => {
              const next = fresh.get(item.id);
              if (!next || next === item) return item;
              changed = true;
              return next;
            });
          }
          return changed ? { pages } : {};
        });
      },
      orderDependsOnHealth() {
        const { query } = get();
        return query.health !== '' || query.sort === 'health' || query.sort === 'updated_at';
      },
    };
  });
}

export type ProvidersStore = ReturnType<typeof createProvidersStore>;
