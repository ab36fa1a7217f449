// The floor of a cached route: node:http answering an authorized request with the same bytes and headers as ours,
// read once from a file; nothing else runs per request but the token check.
//   PD_FLOOR_TOKEN=… node replay-server.mjs <body-file> <headers-json>      prints `listening on http://127.0.0.1:<port>`
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodyFile, headersJson] = process.argv.slice(2);
const expected = `Bearer ${process.env.PD_FLOOR_TOKEN}`;
const body = readFileSync(bodyFile);
const headers = { ...JSON.parse(headersJson ?? '{}'), 'content-length': String(body.length) };
const denied = Buffer.from('{"error":"unauthorized"}');

const server = createServer((request, response) => {
  if (request.headers.authorization !== expected) {
    response.writeHead(401, { 'content-type': 'application/json', 'content-length': String(denied.length) });
    response.end(denied);
    return;
  }
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
