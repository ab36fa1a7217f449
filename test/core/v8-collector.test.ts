// collectGarbage (core/v8-collector.ts) asks V8 itself for a collection: the gateway after every so many relayed bytes,
// test-all after a large run, the import every so many providers. Observed through the GC entries V8 reports.
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src-main/core/v8-collector.js';
import { collectionsDuring } from '../helpers/gc-entries.js';

describe('collectGarbage', () => {
  it('runs a major GC at once when asked for a synchronous one', async () => {
    const seen = await collectionsDuring('major', () => collectGarbage({ type: 'major', execution: 'sync' }), { ms: 200, allocate: true });
    expect(seen).toBeGreaterThanOrEqual(1);
  });

  it('starts one that finishes alongside when asked for an asynchronous one', async () => {
    const seen = await collectionsDuring('major', () => collectGarbage({ type: 'major', execution: 'async' }), {
      ms: 5000,
      until: (count) => count > 0,
      allocate: true,
    });
    expect(seen).toBeGreaterThanOrEqual(1);
  });
});
