import { freshDataDir } from './datasets.js';
import { openBenchDesk } from './lib.js';
import { RUN_TS, childEnv, startServer } from './processes.js';
import { fileURLToPath } from 'node:url';
import diagnostics from 'node:diagnostics_channel';
const FAKE = fileURLToPath(new URL('./fake-upstream.ts', import.meta.url));
const fake = await startServer('fake', process.execPath, [RUN_TS, FAKE, 'openai', '50'], childEnv());
const desk = openBenchDesk(freshDataDir('ta-exp'));
desk.providers.insertMany(Array.from({ length: 1000 }, (_, i) => ({ name: `upstream-${i}`, type: 'openai' as const, base_url: fake.url, api_keys: [{ value: 'test-key' }] })));
const created = new Map<object, number>(); const sent = new Map<object, number>(); let a: number[] = [], b: number[] = [], c: number[] = [];
const hdr = new Map<object, number>();
diagnostics.subscribe('undici:request:create', (m: any) => created.set(m.request, performance.now()));
diagnostics.subscribe('undici:client:sendHeaders', (m: any) => { sent.set(m.request, performance.now()); a.push(performance.now() - (created.get(m.request) ?? 0)); });
diagnostics.subscribe('undici:request:headers', (m: any) => { hdr.set(m.request, performance.now()); b.push(performance.now() - (sent.get(m.request) ?? 0)); });
diagnostics.subscribe('undici:request:trailers', (m: any) => c.push(performance.now() - (hdr.get(m.request) ?? 0)));
const avg = (x: number[]) => (x.reduce((p, q) => p + q, 0) / x.length).toFixed(2);
const report = (label: string, ms: number) => console.log(label, Math.round(ms), 'create→sent', avg(a), 'sent→headers', avg(b), 'headers→end', avg(c));
for (let r = 0; r < 4; r++) {
  a = []; b = []; c = [];
  const t = performance.now();
  await desk.dispatch('providers.testAll', { concurrency: 32 }, { transport: 'cli' });
  if (r > 0) report('ours', performance.now() - t);
}
const { undiciLoop } = await import('./floors/undici-loop.js');
for (let r = 0; r < 3; r++) { a = []; b = []; c = []; report('floor', await undiciLoop(`${fake.url}/models`, { authorization: 'Bearer test-key' }, 1000, 32)); }
await desk.close(); await fake.stop();
