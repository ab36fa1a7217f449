/**
 * The API's repeated read, against a floor replaying its exact bytes (floors/replay-server.mjs, node:http only):
 *
 *   api_list_p50_ratio    p50 of GET /api/v1/providers?limit=100 (10k stored), one keep-alive connection
 *   api_throughput_ratio  requests/s of the same route at 32 connections
 *
 * Ours is `provider-desk serve`; the load comes from wrk (one thread), in alternating rounds, median round ratio.
 * The client's ceiling — requests per CPU-second wrk used against the floor — shows the client is not the limit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDataDir, store } from './datasets.js';
import { assertSameBody, capture, log, median, type Figure } from './lib.js';
import { childEnv, floorPath, startServe, startServer } from './processes.js';
import { pairedRounds, type WrkResult } from './wrk.js';

export const LIST_PATH = '/api/v1/providers?limit=100';
export const CONNECTIONS = 32;

export interface ClientCeiling {
  /** Requests per CPU-second of wrk: what it could send with a whole core to itself. */
  requestsPerCpuSecond: number;
  /** The floor's measured rate, and the share of one core wrk used to drive it. */
  floorRate: number;
  clientCoreShare: number;
}

function ceilingOf(runs: WrkResult[]): ClientCeiling {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const cpu = runs.reduce((sum, run) => sum + run.clientCpuSeconds, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return { requestsPerCpuSecond: requests / cpu, floorRate: requests / seconds, clientCoreShare: cpu / seconds };
}

export async function apiFigures(
  want: (key: string) => boolean,
  providers = 10_000,
): Promise<{ figures: Figure[]; ceiling?: ClientCeiling }> {
  const dir = await store(providers);
  log(`api: serve over ${providers} providers, and the replay floor…`);
  const ours = await startServe(dir);
  const auth = { authorization: `Bearer ${ours.token}` };
  let floor: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const captured = await capture({ url: ours.url + LIST_PATH, headers: auth });
    const bodyFile = join(freshDataDir('replay'), 'body.json');
    writeFileSync(bodyFile, captured.body);
    floor = await startServer(
      'the replay floor',
      process.execPath,
      [floorPath('replay-server.mjs'), bodyFile, JSON.stringify(captured.headers)],
      {
        ...childEnv(),
        PD_FLOOR_TOKEN: ours.token,
      },
    );
    const bytes = await assertSameBody({ url: ours.url + LIST_PATH, headers: auth }, { url: floor.url + LIST_PATH, headers: auth });
    const sides = (connections: number) => ({
      ours: { origin: ours.url, paths: [LIST_PATH], headers: auth, connections },
      floor: { origin: (floor as { url: string }).url, paths: [LIST_PATH], headers: auth, connections },
    });
    const figures: Figure[] = [];
    if (want('api_list_p50_ratio')) {
      log('api: latency, 1 connection…');
      const { ours: o, floor: f } = sides(1);
      const rounds = await pairedRounds(o, f, { rounds: 3, seconds: 2 });
      figures.push({
        key: 'api_list_p50_ratio',
        label: `list p50, ${providers / 1000}k stored (ms)`,
        ours: median(rounds.ours.map((r) => r.p50)),
        baseline: median(rounds.floor.map((r) => r.p50)),
        unit: 'ms',
        value: median(rounds.ours.map((r, i) => r.p50 / (rounds.floor[i] as WrkResult).p50)),
        target: { op: '<=', value: 2 },
        note: `wrk, 1 keep-alive connection, ${rounds.ours.length} alternating 2 s rounds; ${(bytes / 1024).toFixed(0)} KiB body; floor: node:http replaying the same bytes`,
      });
    }
    let ceiling: ClientCeiling | undefined;
    if (want('api_throughput_ratio')) {
      log(`api: throughput, ${CONNECTIONS} connections…`);
      const { ours: o, floor: f } = sides(CONNECTIONS);
      const rounds = await pairedRounds(o, f, { rounds: 5, seconds: 2 });
      ceiling = ceilingOf(rounds.floor);
      figures.push({
        key: 'api_throughput_ratio',
        label: `list req/s at ${CONNECTIONS} connections`,
        ours: median(rounds.ours.map((r) => r.rate)),
        baseline: median(rounds.floor.map((r) => r.rate)),
        unit: 'req/s',
        value: median(rounds.ours.map((r, i) => r.rate / (rounds.floor[i] as WrkResult).rate)),
        target: { op: '>=', value: 0.85 },
        note:
          `wrk -t1 -c${CONNECTIONS}, ${rounds.ours.length} alternating 2 s rounds (ratio: median round); ` +
          `client ceiling ${Math.round(ceiling.requestsPerCpuSecond)} req/s per CPU-second (wrk used ${(ceiling.clientCoreShare * 100).toFixed(0)}% of a core at the floor's rate)`,
      });
    }
    return { figures, ...(ceiling ? { ceiling } : {}) };
  } finally {
    await floor?.stop();
    await ours.stop();
  }
}
