import { createStore } from 'zustand/vanilla';
import type { CheckResult, Provider, StoredModel } from '@contract/domain-schemas';
import type { OperationInput } from '@contract/operations';
import { DeskClientError, type DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export type ProviderPatch = Omit<OperationInput<'providers.update'>, 'idOrName' | 'revision'>;

export interface ModelsState {
  items: StoredModel[];
  fetchedAt: string | null;
  loading: boolean;
  /** A failed listing: the message and the hint; never shown as an empty list. */
  error: { message: string; hint: string | null } | null;
  loaded: boolean;
}

export interface DetailState {
  id: string | null;
  provider: Provider | null;
  loading: boolean;
  error: string | null;
  /** Something the user should know about the last save, e.g. a concurrent change. */
  notice: string | null;
  testing: boolean;
  /** The results of the last test run in this view; which key is being tested alone, if any. */
  testResults: CheckResult[] | null;
  testingKey: string | null;
  models: ModelsState;
  open(id: string | null): Promise<void>;
  reload(): Promise<void>;
  /**
   * Saves with `revision` (a draft's base revision; the open provider's by default); a concurrent change reloads and
   * rethrows so forms keep their draft.
   */
  save(patch: ProviderPatch, revision?: number): Promise<Provider>;
  test(keyId?: string): Promise<void>;
  /**
   * Shows a test the backend is running for the open provider (started before this view opened, or elsewhere) as
   * running until it ends, then re-reads the provider. It only watches (`checks.running`): it never sends a test, so a
   * test that already ended by the time its event arrives cannot start another one.
   */
  followTest(keyId?: string | null): Promise<void>;
  /** Shows a fresh copy of the open provider read by someone else (a change event). */
  applyProvider(provider: Provider): void;
  loadModels(force?: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  dismissNotice(): void;
}

/** How often a test started elsewhere is looked at until it ends. */
const FOLLOW_POLL_MS = 400;

const NO_MODELS: ModelsState = { items: [], fetchedAt: null, loading: false, error: null, loaded: false };

function modelsFailure(error: unknown): ModelsState['error'] {
  const details = error instanceof DeskClientError ? (error.details as Partial<CheckResult> | undefined) : undefined;
  return { message: errorMessage(error), hint: typeof details?.hint === 'string' ? details.hint : null };
}

/** The provider open in the detail pane, its last test and its models. */
export function createDetailStore(client: DeskClient) {
  return createStore<DetailState>()((set, get) => ({
    id: null,
    provider: null,
    loading: false,
    error: null,
    notice: null,
    testing: false,
    testResults: null,
    testingKey: null,
    models: NO_MODELS,

    async open(id) {
      if (id === get().id && get().provider) return;
      set({
        id,
        provider: null,
        error: null,
        notice: null,
        testResults: null,
        testing: false,
        testingKey: null,
        models: NO_MODELS,
        loading: id !== null,
      });
      if (!id) return;
      await get().reload();
      // A test of this provider may still be running in the backend (started before navigating away): show it.
      void get().followTest();
    },

    async followTest(keyId) {
      const opened = get().id;
      const providerId = get().provider?.id;
      if (!providerId || get().testing) return;
      const runningNow = async () => {
        try {
          const { running } = await client.call('checks.running', {});
          return running.find((r) => r.provider_id === providerId) ?? null;
        } catch {
          return null; // not knowing only means the Test button is not shown busy
        }
      };
      const first = await runningNow();
      if (!first || get().id !== opened || get().testing) return;
      set({ testing: true, testingKey: keyId ?? first.key_id });
      while (get().id === opened && (await runningNow())) await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      if (get().id !== opened) return;
      await get().reload();
      set({ testing: false, testingKey: null });
    },

    applyProvider(provider) {
      const { id, provider: current } = get();
      if (current?.id !== provider.id && id !== provider.id) return;
      // A read that left before a save answered is older than what the save showed.
      if (current && provider.revision < current.revision) return;
      set({ provider, loading: false, error: null });
    },

    async reload() {
      const id = get().id;
      if (!id) return;
      try {
        const provider = await client.call('providers.get', { idOrName: id });
        if (get().id === id) set({ provider, loading: false, error: null });
      } catch (error) {
        if (get().id === id) set({ loading: false, error: errorMessage(error), provider: null });
      }
    },

    async save(patch, revision) {
      const current = get().provider;
      if (!current) throw new Error('No provider is open');
      try {
        const provider = await client.call('providers.update', { idOrName: current.id, revision: revision ?? current.revision, ...patch });
        set({ provider, notice: null });
        return provider;
      } catch (error) {
        if (error instanceof DeskClientError && error.code === 'precondition_failed') {
          await get().reload();
          set({ notice: 'This provider changed elsewhere — reloaded. Check the values and save again.' });
        }
        throw error;
      }
    },

    async test(keyId) {
      const current = get().provider;
      const opened = get().id;
      if (!current || get().testing) return;
      set({ testing: true, testingKey: keyId ?? null });
      let results: CheckResult[] | null = null;
      try {
        results = (await client.call('providers.test', { idOrName: current.id, ...(keyId ? { key_id: keyId } : {}) })).results;
      } catch (error) {
        if (get().id === opened) set({ notice: errorMessage(error) });
      } finally {
        // The results are shown with the health the store now has, so the provider is re-read first.
        try {
          await get().reload();
        } finally {
          if (get().id === opened) set({ ...(results ? { testResults: results } : {}), testing: false, testingKey: null });
        }
      }
      if (get().models.loaded) await get().loadModels();
    },

    async loadModels(force = false) {
      const current = get().provider;
      const opened = get().id;
      if (!current) return;
      set((state) => ({ models: { ...state.models, loading: true } }));
      try {
        const result = force
          ? await client.call('models.refresh', { idOrName: current.id })
          : await client.call('models.list', { idOrName: current.id });
        if (get().id === opened)
          set({ models: { items: result.models, fetchedAt: result.fetched_at, loading: false, error: null, loaded: true } });
      } catch (error) {
        if (get().id === opened) set({ models: { items: [], fetchedAt: null, loading: false, error: modelsFailure(error), loaded: true } });
      }
      if (force) await get().reload();
    },

    async remove(id) {
      await client.call('providers.delete', { idOrName: id });
      if (get().id === id || get().provider?.id === id)
        set({ id: null, provider: null, testResults: null, notice: null, models: NO_MODELS });
    },

    dismissNotice() {
      set({ notice: null });
    },
  }));
}

export type DetailStore = ReturnType<typeof createDetailStore>;
