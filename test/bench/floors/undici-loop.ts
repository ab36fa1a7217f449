/**
 * The floor of test-all: the same upstream requests (one model list per provider, with its key) made by a bare undici
 * loop at the same concurrency, bodies read and parsed; nothing stored.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

export async function undiciLoop(url: string, headers: Record<string, string>, total: number, concurrency: number): Promise<number> {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 10_000 });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const response = await request(url, { headers, dispatcher });
      const body = await response.body.json();
      if (response.statusCode !== 200 || typeof body !== 'object') throw new Error(`${url} answered ${response.statusCode}`);
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - started;
  } finally {
    await dispatcher.close();
  }
}
