import { catalogEntry } from '../../../src-main/core/catalog/catalog.js';
import { NETWORK_DEFAULTS, type NetworkConfig, type ProxyConfig } from '../../../src-main/core/contract/config-schemas.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createProbeEngine } from '../../../src-main/core/probe/engine.js';
import type { ClosableProbeEngine, ProbeEngine, ProbeKey, ProbeTarget } from '../../../src-main/core/probe/types.js';
import { startFakeProvider, type FakeProvider } from '../../fakes/providers.js';

/** Network settings for tests: loopback allowed by policy anyway, short timeouts and backoffs. */
export function testNetwork(overrides: Partial<NetworkConfig> = {}): NetworkConfig {
  return {
    ...NETWORK_DEFAULTS,
    extra_headers: {},
    default_request_timeout_in_seconds: 5,
    retry_backoff_initial: 100,
    retry_backoff_max: 400,
    ...overrides,
  };
}

export const NO_PROXY: ProxyConfig = { type: 'none', url: '', username: '', password: '', ca_cert_pem: '' };

export function target(type: string, baseUrl: string, overrides: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    providerId: `prov-${type}`,
    name: `${type}-test`,
    entry: catalogEntry(type),
    baseUrl,
    settings: {},
    network: testNetwork(),
    proxy: NO_PROXY,
    custom: null,
    ...overrides,
  };
}

export function key(secret: string | null, keyConfig: Record<string, unknown> | null = null, keyId: string | null = 'key-1'): ProbeKey {
  return { keyId, secret, keyConfig };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A real probe engine for one test file (created before its tests, closed after) and fake providers that close
 * after each test. `engine` forwards to the current engine, so tests can use it directly.
 */
export function useProbeEngine(): { engine: ProbeEngine; fake: (...args: Parameters<typeof startFakeProvider>) => Promise<FakeProvider> } {
  let current: ClosableProbeEngine | undefined;
  const fakes: FakeProvider[] = [];
  beforeAll(() => {
    current = createProbeEngine();
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
      const started = await startFakeProvider(...args);
      fakes.push(started);
      return started;
    },
  };
}
