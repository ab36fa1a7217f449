/**
 * A fake provider in its own process, so its event loop and CPU are not the measured process's (test-all figures).
 *   run-ts.mjs fake-upstream.ts <family> <delay-ms>      prints `listening on <base URL>`
 */
import { startFakeProvider, type FakeFamily } from '../fakes/providers.js';

const [family = 'openai', delay = '0'] = process.argv.slice(2);
const fake = await startFakeProvider(family as FakeFamily, { delayMs: Number(delay) });
console.log(`listening on ${fake.baseUrl}`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
