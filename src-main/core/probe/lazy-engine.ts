import type { ClosableProbeEngine } from './types.js';

/**
 * A probe engine whose real one (undici, the adapters) is loaded on the first check, so a process that never probes
 * (`provider-desk list`, `token`) never loads it. Closing before any check closes nothing; a check after closing
 * still loads the engine and gets its "closed" failure.
 */
export function lazyProbeEngine(load: () => Promise<ClosableProbeEngine>): ClosableProbeEngine {
  let loading: Promise<ClosableProbeEngine> | undefined;
  let real: ClosableProbeEngine | undefined;
  let closed = false;
  const engine = () =>
    (loading ??= load().then(async (loaded) => {
      real = loaded;
      // Closed while it loaded (or before): closed here, once.
      if (closed) await loaded.close();
      return loaded;
    }));
  return {
    checkKey: async (target, key, options) => (await engine()).checkKey(target, key, options),
    listModels: async (target, key, options) => (await engine()).listModels(target, key, options),
    checkModel: async (target, key, model, options) => {
      const real = await engine();
      if (!real.checkModel) throw new Error('this probe engine cannot check a model');
      return real.checkModel(target, key, model, options);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (real) await real.close();
      else if (loading) await loading;
    },
  };
}
