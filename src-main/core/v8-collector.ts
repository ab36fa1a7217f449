/**
 * V8's collector, asked for explicitly where the server knows better than V8's heuristics when much garbage has just
 * been left (a relayed answer's buffers, a test-all run's per-provider state). `--expose-gc` set at run time gives
 * `gc` to a new context only.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type Collection = { type: 'minor' | 'major'; execution: 'sync' | 'async' };
type Collect = (options: Collection) => void;

/** null where V8 refuses (then garbage is freed whenever V8 collects on its own); undefined until first asked. */
let collector: Collect | null | undefined;

function exposedCollector(): Collect | null {
  try {
    setFlagsFromString('--expose-gc');
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? (collect as Collect) : null;
  } catch {
    return null;
  }
}

/** Asks V8 for a collection now (`sync`) or for one to start (`async`: the marking runs alongside, in steps). */
export function collectGarbage(collection: Collection): void {
  if (collector === undefined) collector = exposedCollector();
  collector?.(collection);
}
