import { createStore } from 'zustand/vanilla';
import type { DetailTab } from '../lib/route';

/** One tab's unsaved edits and the provider revision they were made against. */
export interface TabDraft {
  value: unknown;
  /** The revision the edits started from; a save sends it, so a change made elsewhere meanwhile is refused, not overwritten. */
  baseRevision: number;
  /** Set when a save was refused because the provider changed elsewhere; cleared by the next edit or save. */
  conflict: string | null;
}

export type ProviderDrafts = Partial<Record<DetailTab, TabDraft>>;

export interface DraftsState {
  /** Provider id → tab → draft. A tab without an entry shows the stored values. */
  byProvider: Record<string, ProviderDrafts>;
  /** Records an edit; the first edit of a tab fixes its base revision. */
  put(providerId: string, tab: DetailTab, value: unknown, revision: number): void;
  /** Forgets one tab's draft, or all of a provider's. */
  discard(providerId: string, tab?: DetailTab): void;
  /**
   * A save of `tabs` took the provider from `from` to `to`: those drafts are done, and the other drafts made against
   * `from` now stand on `to` (the change was ours, not a conflict).
   */
  saved(providerId: string, tabs: readonly DetailTab[], from: number, to: number): void;
  /** A save was refused (changed elsewhere, now at `revision`): keep the edits, say so, and let the next save apply them. */
  conflicted(providerId: string, tabs: readonly DetailTab[], revision: number, message: string): void;
}

export const CONFLICT_MESSAGE =
  'This provider was changed elsewhere (another window, the CLI or the API) after you started editing. Your edits are kept: save again to apply them over the new values, or discard them to see what is stored now.';

/** The tabs of a provider that have unsaved edits, in tab order of insertion. */
export function dirtyTabs(state: Pick<DraftsState, 'byProvider'>, providerId: string): DetailTab[] {
  return Object.keys(state.byProvider[providerId] ?? {}) as DetailTab[];
}

export function hasDrafts(state: Pick<DraftsState, 'byProvider'>, providerId: string): boolean {
  return dirtyTabs(state, providerId).length > 0;
}

function without(drafts: ProviderDrafts, tabs: readonly DetailTab[]): ProviderDrafts {
  const rest = { ...drafts };
  for (const tab of tabs) delete rest[tab];
  return rest;
}

function withProvider(byProvider: DraftsState['byProvider'], providerId: string, drafts: ProviderDrafts): DraftsState['byProvider'] {
  const next = { ...byProvider };
  if (Object.keys(drafts).length === 0) delete next[providerId];
  else next[providerId] = drafts;
  return next;
}

/** Unsaved edits of every provider, kept outside the forms so that switching tabs or providers loses nothing. */
export function createDraftsStore() {
  return createStore<DraftsState>()((set) => ({
    byProvider: {},

    put(providerId, tab, value, revision) {
      set((state) => {
        const drafts = state.byProvider[providerId] ?? {};
        const baseRevision = drafts[tab]?.baseRevision ?? revision;
        return { byProvider: withProvider(state.byProvider, providerId, { ...drafts, [tab]: { value, baseRevision, conflict: null } }) };
      });
    },

    discard(providerId, tab) {
      set((state) => {
        if (!state.byProvider[providerId]) return state;
        const drafts = tab ? without(state.byProvider[providerId], [tab]) : {};
        return { byProvider: withProvider(state.byProvider, providerId, drafts) };
      });
    },

    saved(providerId, tabs, from, to) {
      set((state) => {
        const rest = without(state.byProvider[providerId] ?? {}, tabs);
        for (const [tab, draft] of Object.entries(rest) as Array<[DetailTab, TabDraft]>)
          if (draft.baseRevision === from) rest[tab] = { ...draft, baseRevision: to };
        return { byProvider: withProvider(state.byProvider, providerId, rest) };
      });
    },

    conflicted(providerId, tabs, revision, message) {
      set((state) => {
        const drafts = { ...(state.byProvider[providerId] ?? {}) };
        for (const tab of tabs) {
          const draft = drafts[tab];
          if (draft) drafts[tab] = { ...draft, baseRevision: revision, conflict: message };
        }
        return { byProvider: withProvider(state.byProvider, providerId, drafts) };
      });
    },
  }));
}

export type DraftsStore = ReturnType<typeof createDraftsStore>;
