import type { Result } from '../src-main/core/contract/errors.js';
import type { OperationName, TestAllProgress } from '../src-main/core/contract/operations.js';

export type DeskEvent =
  { type: 'changed'; providerId: string | null; kind: string } | { type: 'progress'; operation: OperationName; progress: TestAllProgress };

/** What the preload exposes as `window.desk`. */
export interface DeskBridge {
  invoke(name: OperationName, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}
