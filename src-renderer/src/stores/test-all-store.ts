import { createStore } from 'zustand/vanilla';
import type { OperationOutput, TestAllProgress } from '@contract/operations';
import type { DeskClient } from '../client/desk-client';
import { errorMessage } from '../lib/errors';

export type TestAllSummary = OperationOutput<'providers.testAll'>;

export interface TestAllState {
  running: boolean;
  /** Cancel was pressed; the run is stopping and will answer with what it finished. */
  cancelling: boolean;
  /** The run in progress (or the last one), named by this page so it can be cancelled before any progress arrives. */
  runId: string | null;
  /** The providers this run was asked to test (null: every enabled one). */
  only: string[] | null;
  done: number;
  total: number;
  /** The latest finished providers, newest first (a few, for the live log). */
  recent: TestAllProgress[];
  summary: TestAllSummary | null;
  error: string | null;
  /** Tests every enabled provider, or just `only` (ids). */
  run(only?: string[]): Promise<void>;
  /** Stops the run: no new provider starts, the ones in flight are aborted and keep their previous verdicts. */
  cancel(): Promise<void>;
  /** Tests again exactly the providers that failed in the last summary. */
  retestFailed(): Promise<void>;
  reset(): void;
}

const RECENT = 8;

let runs = 0;
/** A run id unique to this page: random where the page may make one, with a counter either way. */
function newRunId(): string {
  runs += 1;
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2);
  return `gui-${random}-${runs}`;
}

/** Tests every enabled provider, following the streamed progress; the run goes on when its dialog is closed. */
export function createTestAllStore(client: DeskClient) {
  return createStore<TestAllState>()((set, get) => ({
    running: false,
    cancelling: false,
    runId: null,
    only: null,
    done: 0,
    total: 0,
    recent: [],
    summary: null,
    error: null,
    async run(only) {
      if (get().running) return;
      const runId = newRunId();
      set({ running: true, cancelling: false, runId, only: only ?? null, done: 0, total: 0, recent: [], summary: null, error: null });
      const unsubscribe = client.subscribe((event) => {
        if (event.type !== 'progress' || event.operation !== 'providers.testAll') return;
        const progress = event.progress;
        // Progress of another run (another window's, a scheduled check's) is not this one's.
        if (progress.run_id !== undefined && progress.run_id !== runId) return;
        set((state) => ({ done: progress.done, total: progress.total, recent: [progress, ...state.recent].slice(0, RECENT) }));
      });
      try {
        const summary = await client.call('providers.testAll', { run_id: runId, ...(only ? { only } : {}) });
        set({ summary, done: summary.passed + summary.failed, total: summary.total });
      } catch (error) {
        set({ error: errorMessage(error) });
      } finally {
        unsubscribe();
        set({ running: false, cancelling: false });
      }
    },
    async cancel() {
      const { running, runId, cancelling } = get();
      if (!running || !runId || cancelling) return;
      set({ cancelling: true });
      try {
        // Pressed right after starting, the run may not have reached the backend yet: asked again shortly.
        for (let attempt = 0; attempt < 20 && get().running && get().runId === runId; attempt++) {
          const { cancelled } = await client.call('providers.testAllCancel', { run_id: runId });
          if (cancelled.length > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      } catch (error) {
        set({ cancelling: false, error: errorMessage(error) });
      }
    },
    async retestFailed() {
      const failed =
        get()
          .summary?.providers.filter((p) => !p.ok)
          .map((p) => p.id) ?? [];
      if (failed.length > 0) await get().run(failed);
    },
    reset() {
      if (!get().running) set({ done: 0, total: 0, recent: [], summary: null, error: null, only: null });
    },
  }));
}

export type TestAllStore = ReturnType<typeof createTestAllStore>;
