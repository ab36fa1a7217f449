// The floor of `provider-desk serve` starting: a bare Fastify app with the same health route, from spawn to listening.
//   node fastify-health.mjs <version>      prints `listening on http://127.0.0.1:<port>`
import Fastify from 'fastify';

const version = process.argv[2] ?? '0.0.0';
const app = Fastify();
app.get('/api/v1/health', async () => ({ ok: true, version }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening on ${url}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
