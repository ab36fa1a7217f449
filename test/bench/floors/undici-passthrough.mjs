// The floor of the gateway's throughput: the least a Node passthrough does — node:http in, undici (one keep-alive pool)
// out, the client's credential swapped for the upstream's key, the body forwarded, the answer piped back.
//   PD_FLOOR_TOKEN=… node undici-passthrough.mjs <upstream origin> <prefix>   prints `listening on http://127.0.0.1:<port>`
// A request to <prefix><rest> goes to <upstream origin><rest>.
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const [origin, prefix = ''] = process.argv.slice(2);
const expected = `Bearer ${process.env.PD_FLOOR_TOKEN}`;
const pool = new Pool(origin, { connections: 64 });
const HOP = new Set(['host', 'connection', 'keep-alive', 'authorization', 'content-length', 'transfer-encoding']);

const server = createServer(async (request, response) => {
  if (request.headers.authorization !== expected || !request.url?.startsWith(prefix)) {
    response.writeHead(401).end();
    return;
  }
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const headers = { authorization: 'Bearer sk-bench-upstream' };
  for (const [name, value] of Object.entries(request.headers)) if (!HOP.has(name) && value !== undefined) headers[name] = value;
  try {
    const upstream = await pool.request({
      method: request.method,
      path: request.url.slice(prefix.length),
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const out = {};
    for (const [name, value] of Object.entries(upstream.headers)) if (!HOP.has(name) && value !== undefined) out[name] = value;
    response.writeHead(upstream.statusCode, out);
    await pipeline(upstream.body, response);
  } catch {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
