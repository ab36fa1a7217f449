/**
 * The API figures' fixture: a child process holding 10,000 seeded providers behind the real server, plus a bare
 * node:http server replaying the list response byte for byte. The servers run apart from the load generator so the
 * client's own cost is not shared with the server on one event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from './lib.js';

export const LIST_PATH = '/api/v1/providers?limit=100';

export interface ApiFixture {
  ours: Endpoint;
  bare: Endpoint;
  bodyBytes: number;
  seedMs: number;
  /** p50 of one uncached page in process (dispatch + JSON), for the report. */
  uncachedMs: number;
  /** The server process, for a CPU profile when asked (`--cpu-prof` is passed on by run.ts). */
  child: ChildProcess;
  close(): Promise<void>;
}

interface Ready {
  ours: Endpoint;
  bare: Endpoint;
  bodyBytes: number;
  seedMs: number;
  uncachedMs: number;
}

export async function openApiFixture(providers: number, execArgv: string[] = []): Promise<ApiFixture> {
  const runner = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
  const entry = fileURLToPath(new URL('./api-server.ts', import.meta.url));
  const child = fork(runner, [entry, String(providers)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code) => reject(new Error(`the API fixture exited early (${code})`)));
  });
  return {
    ...ready,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}
