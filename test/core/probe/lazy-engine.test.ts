import { describe, expect, it } from 'vitest';
import { lazyProbeEngine } from '../../../src-main/core/probe/lazy-engine.js';
import type { ClosableProbeEngine, KeyCheckOutcome, ProbeTarget } from '../../../src-main/core/probe/types.js';

/** A probe engine that counts how often it was made and whether it was closed. */
function countingLoader() {
  const outcome = { result: { ok: true }, models: null } as unknown as KeyCheckOutcome;
  const state = { loads: 0, checks: 0, closes: 0, outcome };
  const load = async (): Promise<ClosableProbeEngine> => {
    state.loads++;
    let closed = false;
    return {
      checkKey: async () => {
        state.checks++;
        return closed ? ({ result: { ok: false }, models: null } as unknown as KeyCheckOutcome) : outcome;
      },
      listModels: async () => ({ ok: true, models: [] }),
      close: async () => {
        closed = true;
        state.closes++;
      },
    };
  };
  return { state, load };
}

const target = {} as ProbeTarget;
const key = { keyId: null, secret: null, keyConfig: null };

describe('the lazily loaded probe engine', () => {
  it('loads the real engine on the first check only, once for checks made at the same time', async () => {
    const { state, load } = countingLoader();
    const engine = lazyProbeEngine(load);
    expect(state.loads).toBe(0);
    const outcomes = await Promise.all([engine.checkKey(target, key), engine.checkKey(target, key), engine.listModels(target, key)]);
    expect(state.loads).toBe(1);
    expect(outcomes[0]).toBe(state.outcome);
    await engine.close();
    expect(state.closes).toBe(1);
  });

  it('closes an engine still loading once, when it has loaded', async () => {
    const { state, load } = countingLoader();
    const engine = lazyProbeEngine(load);
    const check = engine.checkKey(target, key);
    await engine.close();
    await check;
    expect(state.loads).toBe(1);
    expect(state.closes).toBe(1);
  });

  it('closes without loading when nothing was checked; a check after closing gets the closed engine', async () => {
    const { state, load } = countingLoader();
    const engine = lazyProbeEngine(load);
    await engine.close();
    expect(state.loads).toBe(0);
    const late = await engine.checkKey(target, key);
    expect(late.result.ok).toBe(false);
    expect(state.closes).toBe(1);
  });
});
