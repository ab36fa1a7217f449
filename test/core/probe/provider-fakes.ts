import { afterAll, afterEach, beforeAll } from 'vitest';
import { createProbeEngine, type ProbeEngineOptions } from '../../../src-main/core/probe/engine.js';
import type { ClosableProbeEngine, ProbeEngine } from '../../../src-main/core/probe/types.js';
import { startProviderFake, type ProviderFake } from '../../fakes/providers/index.js';

/**
 * A real probe engine for one test file and per-provider fakes (test/fakes/providers) that close after each test.
 * `engine` forwards to the current engine.
 */
export function useProviderFakes(options: ProbeEngineOptions = {}): {
  engine: ProbeEngine;
  fake: (...args: Parameters<typeof startProviderFake>) => Promise<ProviderFake>;
} {
  let current: ClosableProbeEngine | undefined;
  const fakes: ProviderFake[] = [];
  beforeAll(() => {
    current = createProbeEngine(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  const live = (): ClosableProbeEngine => {
    if (!current) throw new Error('the probe engine starts in beforeAll');
    return current;
  };
  return {
    engine: { checkKey: (...args) => live().checkKey(...args), listModels: (...args) => live().listModels(...args) },
    fake: async (...args) => {
      const started = await startProviderFake(...args);
      fakes.push(started);
      return started;
    },
  };
}
