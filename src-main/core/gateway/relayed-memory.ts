import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes relayed between two minor GCs: what the dead chunks of a long answer may add to the server's memory at most. */
export const RECLAIM_EVERY_BYTES = 8 * 1024 * 1024;

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void;

/**
 * V8's own collector, asked for explicitly: `--expose-gc` set at run time gives it to a new context only. Undefined
 * where V8 refuses (then relayed chunks are freed whenever V8 collects on its own).
 */
function exposedCollector(): Collect | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const collect: unknown = runInNewContext('gc');
    return typeof collect === 'function' ? (collect as Collect) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Frees the buffers of relayed chunks soon after they were relayed. Every chunk read from a provider is a fresh
 * buffer outside V8's heap, freed only by a GC; V8 starts one for such memory only once tens of MB more of it are held,
 * and the allocator keeps what it once held: streaming 1 GB grew the server by 20–50 MB. A minor GC (about a
 * millisecond) after every RECLAIM_EVERY_BYTES relayed keeps that growth to a few MB.
 */
export class RelayedMemory {
  private sinceCollect = 0;
  private collect: Collect | null | undefined;

  constructor(private readonly everyBytes = RECLAIM_EVERY_BYTES) {}

  /** Counts `bytes` relayed to a client; past the threshold, frees the dead chunks now. */
  relayed(bytes: number): void {
    this.sinceCollect += bytes;
    if (this.sinceCollect < this.everyBytes) return;
    this.sinceCollect = 0;
    if (this.collect === undefined) this.collect = exposedCollector() ?? null;
    this.collect?.({ type: 'minor', execution: 'sync' });
  }
}

/** The gateway's one instance: every relay in this process counts towards the same threshold. */
export const relayedMemory = new RelayedMemory();
