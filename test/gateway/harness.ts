/**
 * A real Provider Desk server (real store, loopback HTTP) with providers pointed at fake upstreams, for the gateway
 * tests: `const g = await startGateway(); g.desk.providers.create({...}); g.base('openai') …; await g.close()`.
 */
import { createFileLogger } from '../../src-main/core/log/logger.js';
import type { ProviderCreateInput } from '../../src-main/core/contract/provider-inputs.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/desk.js';
import { startLlmUpstream, type LlmUpstream, type LlmUpstreamOptions } from '../fakes/llm-upstreams.js';

export interface Gateway extends TestServer {
  dataDir: string;
  /** `http://127.0.0.1:{port}/proxy/{name}`: the gateway's stand-in for a provider's origin. */
  proxy(name: string): string;
  upstream(options: LlmUpstreamOptions): Promise<LlmUpstream>;
  provider(input: ProviderCreateInput): void;
}

/** A server logging at debug level into its data dir (so tests can read every line it wrote). */
export async function startGateway(): Promise<Gateway> {
  const dir = tempDir('pd-gateway-');
  const server = await startTestServer({ dataDir: dir.path, logger: createFileLogger(dir.path, 'debug') });
  const upstreams: LlmUpstream[] = [];
  return {
    ...server,
    dataDir: dir.path,
    proxy: (name) => `${server.url}/proxy/${name}`,
    async upstream(options) {
      const up = await startLlmUpstream(options);
      upstreams.push(up);
      return up;
    },
    provider(input) {
      server.desk.providers.create(input);
    },
    async close() {
      await server.close();
      await Promise.all(upstreams.map((up) => up.close()));
      dir.remove();
    },
  };
}

/** The usage counters of a provider once `expected` requests are counted (recorded when each answer has ended). */
export async function usageOf(g: Gateway, provider: string, expected: number) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const usage = g.desk.usage.byProvider(provider);
    if (usage.totals.requests >= expected || Date.now() > deadline) return usage;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
