// RelayedMemory (gateway/relayed-memory.ts) asks V8 for a minor GC after every so many relayed bytes, so the socket
// buffers of a long answer are freed as it streams. Observed through the GC entries V8 reports.
import { describe, expect, it } from 'vitest';
import { RelayedMemory } from '../../src-main/core/gateway/relayed-memory.js';
import { collectionsDuring } from '../helpers/gc-entries.js';

/** Minor GCs V8 reports while `work` runs (and until its entries are delivered). */
const minorCollections = (work: () => void) => collectionsDuring('minor', work, { ms: 20 });

describe('relayed memory', () => {
  it('collects once per threshold of relayed bytes, not before', async () => {
    const memory = new RelayedMemory(1_000_000);
    expect(await minorCollections(() => memory.relayed(999_999))).toBe(0);
    expect(await minorCollections(() => memory.relayed(1))).toBe(1);
    expect(
      await minorCollections(() => {
        for (let i = 0; i < 10; i++) memory.relayed(500_000);
      }),
    ).toBe(5);
  });
});
