/** Child process of the API figures (see api-fixture.ts): seeds, serves, reports its endpoints over IPC, stops on 'close'. */
import { startApiServer } from '../../src-main/core/http/server.js';
import { performance } from 'node:perf_hooks';
import { capture, openBenchDesk, percentile, seedProviders, startBareServer, tempDir, timed, type Endpoint } from './lib.js';
import { LIST_PATH } from './api-fixture.js';

const providers = Number(process.argv[2] ?? 10_000);
const dir = tempDir();
const desk = openBenchDesk(dir.path);
const seeded = await timed(() => seedProviders(desk, providers));

// For the report: what a page costs when it is not cached (dispatch, SQL, mapping, JSON), in process, no HTTP.
const uncached: number[] = [];
for (let i = 0; i < 250; i++) {
  const started = performance.now();
  const result = await desk.dispatch('providers.list', { limit: '100' }, { transport: 'http' });
  JSON.stringify(result);
  if (i >= 50) uncached.push(performance.now() - started);
}
const uncachedMs = percentile(
  uncached.sort((a, b) => a - b),
  50,
);

const server = await startApiServer(desk, { port: 0 });
const ours: Endpoint = { url: server.url + LIST_PATH, headers: { authorization: `Bearer ${desk.token.current()}` } };
const captured = await capture(ours);
const bareServer = await startBareServer(captured.body, captured.headers);
const bare: Endpoint = { url: bareServer.url + LIST_PATH, headers: ours.headers };

let closing = false;
// The bench died without saying goodbye: do not outlive it.
process.on('disconnect', () => {
  if (!closing) process.exit(1);
});
process.on('message', (message) => {
  if (message !== 'close') return;
  closing = true;
  void (async () => {
    await bareServer.close();
    await server.close();
    await desk.close();
    dir.remove();
    process.disconnect();
    process.exit(0);
  })();
});
process.send?.({ ours, bare, bodyBytes: captured.body.length, seedMs: seeded.ms, uncachedMs });
