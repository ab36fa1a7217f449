// A fast fake LLM upstream for the gateway figures, in its own process (node:http only, so it is never the bottleneck):
//   node llm-upstream.mjs      prints `listening on http://127.0.0.1:<port>`
// POST /v1/chat/completions answers a small chat completion; with `"stream":true` in the body, an SSE stream: the first
// chunk, then the rest. The query (the gateway forwards it unchanged) shapes the answer:
//   ?ttfb=MS   server time before the first byte (the answer's headers and first chunk, or the whole completion);
//              default 0, i.e. at once (the throughput and memory figures: our CPU cost alone)
//   ?bytes=N   about N bytes of chunks in all (default: 3 chunks)    ?delay=MS   wait MS before the chunks after the first
// Every request must carry `Authorization: Bearer sk-bench-upstream` (the key the gateway swaps in).
import { createServer } from 'node:http';

const KEY = 'Bearer sk-bench-upstream';
const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1700000000,
    model: 'bench-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'pong' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  }),
);
const denied = Buffer.from('{"error":{"message":"bad key","type":"invalid_request_error"}}');
const chunkOf = (content) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', model: 'bench-model', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const FIRST = Buffer.from(chunkOf('p'));
const BIG = Buffer.from(chunkOf('x'.repeat(16 * 1024)));
const LAST = Buffer.from(
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', model: 'bench-model', choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\ndata: [DONE]\n\n`,
);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function stream(response, bytes, delayMs) {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(FIRST);
  if (delayMs > 0) await sleep(delayMs);
  for (let sent = FIRST.length; sent < bytes && !response.destroyed; sent += BIG.length) {
    if (!response.write(BIG)) await new Promise((resolve) => response.once('drain', resolve));
  }
  response.end(LAST);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    if (request.headers.authorization !== KEY) {
      response.writeHead(401, { 'content-type': 'application/json', 'content-length': denied.length });
      response.end(denied);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://upstream');
    const body = Buffer.concat(chunks).toString();
    const ttfb = Number(url.searchParams.get('ttfb') ?? 0);
    if (ttfb > 0) await sleep(ttfb);
    if (request.method === 'POST' && url.pathname === '/v1/chat/completions' && body.includes('"stream":true')) {
      void stream(response, Number(url.searchParams.get('bytes') ?? 0), Number(url.searchParams.get('delay') ?? 0));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
    response.end(completion);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
