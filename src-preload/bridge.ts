import type { Result } from '../src-main/core/contract/errors.js';
import type { OperationName, TestAllProgress } from '../src-main/core/contract/operations.js';
import type { ChangeEvent } from '../src-main/core/contract/change-events.js';

/** What the main process sends on the event channel: a batch of the change feed, or a long operation's progress. */
export type DeskEvent =
  { type: 'changes'; events: ChangeEvent[] } | { type: 'progress'; operation: OperationName; progress: TestAllProgress };

/** What the preload exposes as `window.desk`. */
export interface DeskBridge {
  invoke(name: OperationName, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}
