import { createStore } from 'zustand/vanilla';
import type { OperationOutput, TestAllProgress } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export type TestAllSummary = OperationOutput<'providers.testAll'>;

export interface TestAllState {
  running: boolean;
  done: number;
  total: number;
  /** The latest finished providers, newest first (a few, for the live log). */
  recent: TestAllProgress[];
  summary: TestAllSummary | null;
  error: string | null;
  run(): Promise<void>;
  reset(): void;
}

const RECENT = 8;

/** Tests every enabled provider, following the streamed progress. */
export function createTestAllStore(client: DeskClient) {
  return createStore<TestAllState>()((set, get) => ({
    running: false,
    done: 0,
    total: 0,
    recent: [],
    summary: null,
    error: null,
    async run() {
      if (get().running) return;
      set({ running: true, done: 0, total: 0, recent: [], summary: null, error: null });
      const unsubscribe = client.subscribe((event) => {
        if (event.type !== 'progress' || event.operation !== 'providers.testAll') return;
        const progress = event.progress;
        set((state) => ({ done: progress.done, total: progress.total, recent: [progress, ...state.recent].slice(0, RECENT) }));
      });
      try {
        const summary = await client.call('providers.testAll', {});
        set({ summary, done: summary.total, total: summary.total });
      } catch (error) {
        set({ error: errorMessage(error) });
      } finally {
        unsubscribe();
        set({ running: false });
      }
    },
    reset() {
      if (!get().running) set({ done: 0, total: 0, recent: [], summary: null, error: null });
    },
  }));
}

export type TestAllStore = ReturnType<typeof createTestAllStore>;
