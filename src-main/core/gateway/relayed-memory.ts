import { collectGarbage } from '../v8-collector.js';

/** Bytes relayed between two minor GCs: what the dead chunks of a long answer may add to the server's memory at most. */
export const RECLAIM_EVERY_BYTES = 8 * 1024 * 1024;

/**
 * Frees the buffers of relayed chunks soon after they were relayed. Every chunk read from a provider is a fresh
 * buffer outside V8's heap, freed only by a GC; V8 starts one for such memory only once tens of MB more of it are held,
 * and the allocator keeps what it once held: streaming 1 GB grew the server by 20–50 MB. A minor GC (about a
 * millisecond) after every RECLAIM_EVERY_BYTES relayed keeps that growth to a few MB.
 */
export class RelayedMemory {
  private sinceCollect = 0;

  constructor(private readonly everyBytes = RECLAIM_EVERY_BYTES) {}

  /** Counts `bytes` relayed to a client; past the threshold, frees the dead chunks now. */
  relayed(bytes: number): void {
    this.sinceCollect += bytes;
    if (this.sinceCollect < this.everyBytes) return;
    this.sinceCollect = 0;
    collectGarbage({ type: 'minor', execution: 'sync' });
  }
}

/** The gateway's one instance: every relay in this process counts towards the same threshold. */
export const relayedMemory = new RelayedMemory();
