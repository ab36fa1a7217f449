/**
 * The local gateway (`/proxy/{provider}/…`) of `provider-desk serve`, in front of a fast fake LLM upstream in its own
 * process (floors/llm-upstream.mjs, node:http only), with a provider whose key the gateway swaps in:
 *
 *   gateway_overhead_p50_ratio  p50 of a small non-streamed POST /v1/chat/completions through the gateway ÷ the same
 *                               request sent straight to the upstream, which takes UPSTREAM_TTFB_MS to answer; wrk, one
 *                               keep-alive connection; the milliseconds the gateway adds are in the note
 *   gateway_ttfb_ratio          time to the first byte of a streamed answer (SSE; the upstream sends its first chunk
 *                               after UPSTREAM_TTFB_MS and the rest STREAM_CHUNK_MS later) through the gateway ÷ straight
 *                               to the upstream; one keep-alive undici connection per side, requests one after
 *                               another, p50; the milliseconds added are in the note
 *   gateway_throughput_ratio    requests/s through the gateway ÷ through a bare undici passthrough (floors/
 *                               undici-passthrough.mjs: node:http in, undici out, key swapped, answer piped), wrk at 32
 *                               connections; the rate straight to the upstream is in the note
 *   gateway_stream_rss_mb       serve's RSS growth while 1 GB of SSE streams through the gateway, 16 at a time (the
 *                               highest RSS sampled every 50 ms minus the RSS before, after a warm-up)
 *
 * Rounds alternate between the two sides so that other load on a shared machine falls on both alike.
 */
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'undici';
import { freshDataDir } from './datasets.js';
import { log, median, openBenchDesk, percentile, type Figure } from './lib.js';
import { childEnv, floorPath, startServe, startServer, type Server } from './processes.js';
import { pairedRounds, runWrk, type WrkResult } from './wrk.js';

const PROVIDER = 'bench-upstream';
const UPSTREAM_KEY = 'sk-bench-upstream';
const CHAT = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'ping' }] });
const COMPAT_BODY = JSON.stringify({ model: `${PROVIDER}/bench-model`, messages: [{ role: 'user', content: 'ping' }] });
const STREAM_BODY = JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: 'ping' }] });
export const GATEWAY_CONNECTIONS = 32;
const RSS_STREAMS = 16;
const RSS_TOTAL_BYTES = 1024 ** 3;
/**
 * The fake upstream's server time before the first byte, in the latency figures: the least a local inference server
 * on loopback (Ollama, vLLM, llama.cpp's server) takes for a one-token prompt — HTTP parsing, tokenizing, scheduling
 * and one prefill pass of even a small model on a GPU are milliseconds. Against an upstream that answers in 40 µs a
 * ratio measures only our overhead, which no proxy keeps within 1.25×; the added milliseconds stay in the notes.
 * The throughput and memory figures use an upstream that answers at once: there only our CPU cost counts.
 */
export const UPSTREAM_TTFB_MS = 5;
/** Between streamed chunks: 2 ms per token is the fastest decoding small local models reach (~500 tokens/s). */
const STREAM_CHUNK_MS = 2;
const LATENCY_QUERY = `?ttfb=${UPSTREAM_TTFB_MS}`;

interface Side {
  origin: string;
  /** Prefix of the chat path: `/proxy/{provider}` through the gateway, '' straight to the upstream. */
  prefix: string;
  headers: Record<string, string>;
}

/** Time to the first body byte of streamed chat completions, one request after another on one connection (ms each). */
async function firstByteTimes(side: Side, count: number): Promise<number[]> {
  const client = new Client(side.origin, { pipelining: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const response = await client.request({
        method: 'POST',
        path: `${side.prefix}${CHAT}${LATENCY_QUERY}&delay=${STREAM_CHUNK_MS}`,
        headers: { ...side.headers, 'content-type': 'application/json' },
        body: STREAM_BODY,
      });
      if (response.statusCode !== 200)
        throw new Error(`${side.origin}${side.prefix}${CHAT} answered ${response.statusCode}: ${await response.body.text()}`);
      let first = true;
      for await (const _chunk of response.body) {
        if (first) times.push(performance.now() - started);
        first = false;
      }
    }
  } finally {
    await client.close();
  }
  return times;
}

/** Streams `total` bytes through `side` as `streams` concurrent SSE answers, reading each as fast as it comes. */
async function streamThrough(side: Side, streams: number, total: number): Promise<number> {
  const pool = new Pool(side.origin, { connections: streams, pipelining: 1 });
  let received = 0;
  try {
    await Promise.all(
      Array.from({ length: streams }, async () => {
        const response = await pool.request({
          method: 'POST',
          path: `${side.prefix}${CHAT}?bytes=${Math.ceil(total / streams)}`,
          headers: { ...side.headers, 'content-type': 'application/json' },
          body: STREAM_BODY,
          bodyTimeout: 120_000,
        });
        if (response.statusCode !== 200) throw new Error(`streaming answered ${response.statusCode}: ${await response.body.text()}`);
        for await (const chunk of response.body) received += (chunk as Buffer).length;
      }),
    );
  } finally {
    await pool.close();
  }
  return received;
}

/** A store with one provider pointed at the fake upstream, whose key is the one the upstream accepts. */
async function gatewayStore(upstream: string): Promise<string> {
  const dir = freshDataDir('gateway');
  const desk = openBenchDesk(dir);
  desk.providers.create({ name: PROVIDER, type: 'openai', base_url: `${upstream}/v1`, api_keys: [{ name: 'main', value: UPSTREAM_KEY }] });
  await desk.close();
  return dir;
}

function wrkSide(side: Side, connections: number, query = '') {
  return {
    origin: side.origin,
    paths: [`${side.prefix}${CHAT}${query}`],
    headers: { ...side.headers, 'content-type': 'application/json' },
    method: 'POST',
    body: BODY,
    connections,
  };
}

const ratioOfMedians = (ours: WrkResult[], floor: WrkResult[], pick: (r: WrkResult) => number) =>
  median(ours.map((r, i) => pick(r) / pick(floor[i] as WrkResult)));

export async function gatewayFigures(want: (key: string) => boolean): Promise<Figure[]> {
  log('gateway: the fake upstream, serve, and the undici passthrough floor…');
  const upstream = await startServer('the fake LLM upstream', process.execPath, [floorPath('llm-upstream.mjs')], childEnv());
  let ours: (Server & { token: string }) | undefined;
  let passthrough: Server | undefined;
  try {
    ours = await startServe(await gatewayStore(upstream.url));
    const gateway: Side = { origin: ours.url, prefix: `/proxy/${PROVIDER}`, headers: { authorization: `Bearer ${ours.token}` } };
    const direct: Side = { origin: upstream.url, prefix: '', headers: { authorization: `Bearer ${UPSTREAM_KEY}` } };
    passthrough = await startServer(
      'the undici passthrough floor',
      process.execPath,
      [floorPath('undici-passthrough.mjs'), upstream.url, `/proxy/${PROVIDER}`],
      childEnv({ PD_FLOOR_TOKEN: ours.token }),
    );
    // What the least a Node passthrough adds is measured beside ours (on a loaded machine, each hop's wake-ups cost).
    const floor: Side = { ...gateway, origin: passthrough.url };
    const figures: Figure[] = [];

    // First, on a fresh server: the memory of streaming (the other figures' load would blur "before").
    if (want('gateway_stream_rss_mb')) {
      log('gateway: streaming 1 GB…');
      await firstByteTimes(gateway, 20);
      await streamThrough(gateway, RSS_STREAMS, 16 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = ours.rssMb();
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, (ours as Server).rssMb())), 50);
      const started = performance.now();
      let received: number;
      try {
        received = await streamThrough(gateway, RSS_STREAMS, RSS_TOTAL_BYTES);
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;
      const after = ours.rssMb();
      peak = Math.max(peak, after);
      figures.push({
        key: 'gateway_stream_rss_mb',
        label: 'serve RSS growth, 1 GB streamed through the gateway (MB)',
        ours: peak - before,
        baseline: before,
        unit: 'MB',
        value: peak - before,
        absolute: true,
        target: { op: '<=', value: 50 },
        note:
          `${RSS_STREAMS} concurrent SSE answers, ${(received / 1024 ** 3).toFixed(2)} GB in ${seconds.toFixed(1)} s; ` +
          `RSS ${before.toFixed(0)} MB before (the baseline column), highest ${peak.toFixed(0)} MB, ${after.toFixed(0)} MB after`,
      });
    }

    if (want('gateway_overhead_p50_ratio')) {
      log('gateway: latency, 1 connection…');
      const rounds = await pairedRounds(wrkSide(gateway, 1, LATENCY_QUERY), wrkSide(direct, 1, LATENCY_QUERY), { rounds: 3, seconds: 2 });
      const bare = await pairedRounds(wrkSide(floor, 1, LATENCY_QUERY), wrkSide(direct, 1, LATENCY_QUERY), { rounds: 3, seconds: 2 });
      const bareAdds = median(bare.ours.map((r) => r.p50)) - median(bare.floor.map((r) => r.p50));
      figures.push({
        key: 'gateway_overhead_p50_ratio',
        label: 'gateway chat completion p50 vs direct (ms)',
        ours: median(rounds.ours.map((r) => r.p50)),
        baseline: median(rounds.floor.map((r) => r.p50)),
        unit: 'ms',
        value: ratioOfMedians(rounds.ours, rounds.floor, (r) => r.p50),
        target: { op: '<=', value: 1.25 },
        note:
          `wrk, 1 keep-alive connection, POST ${CHAT} (${BODY.length} B) through /proxy/${PROVIDER} vs straight to the fake upstream ` +
          `(which answers after ${UPSTREAM_TTFB_MS} ms, as a local inference server at the least); ${rounds.ours.length} alternating 2 s rounds, median round ratio; the gateway adds ` +
          `${(median(rounds.ours.map((r) => r.p50)) - median(rounds.floor.map((r) => r.p50))).toFixed(2)} ms at p50; a bare undici ` +
          `passthrough (floors/undici-passthrough.mjs) adds ${bareAdds.toFixed(2)} ms (ratio ${ratioOfMedians(bare.ours, bare.floor, (r) => r.p50).toFixed(2)}) measured the same way right after`,
      });
    }

    if (want('gateway_ttfb_ratio')) {
      log('gateway: time to first byte, streamed…');
      await firstByteTimes(direct, 20);
      await firstByteTimes(gateway, 20);
      await firstByteTimes(floor, 20);
      const bareRounds: number[] = [];
      const oursRounds: number[] = [];
      const directRounds: number[] = [];
      const ratios: number[] = [];
      for (let round = 0; round < 4; round++) {
        const d = percentile(
          (await firstByteTimes(direct, 100)).sort((a, b) => a - b),
          50,
        );
        const o = percentile(
          (await firstByteTimes(gateway, 100)).sort((a, b) => a - b),
          50,
        );
        bareRounds.push(
          percentile(
            (await firstByteTimes(floor, 100)).sort((a, b) => a - b),
            50,
          ),
        );
        directRounds.push(d);
        oursRounds.push(o);
        ratios.push(o / d);
      }
      figures.push({
        key: 'gateway_ttfb_ratio',
        label: 'gateway streamed time to first byte vs direct (ms)',
        ours: median(oursRounds),
        baseline: median(directRounds),
        unit: 'ms',
        value: median(ratios),
        target: { op: '<=', value: 1.25 },
        note:
          `SSE chat completion (first chunk after ${UPSTREAM_TTFB_MS} ms, the rest ${STREAM_CHUNK_MS} ms later); one undici keep-alive connection per side, ` +
          `4 alternating rounds of 100 requests, p50 per round, median round ratio; the gateway adds ${(median(oursRounds) - median(directRounds)).toFixed(2)} ms; ` +
          `a bare undici passthrough adds ${(median(bareRounds) - median(directRounds)).toFixed(2)} ms (its rounds run right after ours)`,
      });
    }

    if (want('gateway_throughput_ratio')) {
      log(`gateway: throughput, ${GATEWAY_CONNECTIONS} connections…`);
      const rounds = await pairedRounds(wrkSide(gateway, GATEWAY_CONNECTIONS), wrkSide(floor, GATEWAY_CONNECTIONS), {
        rounds: 5,
        seconds: 2,
      });
      const straight = await runWrk({ ...wrkSide(direct, GATEWAY_CONNECTIONS), seconds: 2 });
      // The OpenAI-compatible endpoint (parses the body, rewrites `model`) on the same upstream, for the note.
      const compat = await runWrk({
        ...wrkSide({ ...gateway, prefix: '' }, GATEWAY_CONNECTIONS),
        body: COMPAT_BODY,
        seconds: 2,
      });
      figures.push({
        key: 'gateway_throughput_ratio',
        label: `gateway chat completions/s at ${GATEWAY_CONNECTIONS} connections`,
        ours: median(rounds.ours.map((r) => r.rate)),
        baseline: median(rounds.floor.map((r) => r.rate)),
        unit: 'req/s',
        value: ratioOfMedians(rounds.ours, rounds.floor, (r) => r.rate),
        target: { op: '>=', value: 0.7 },
        note:
          `wrk -t1 -c${GATEWAY_CONNECTIONS}, non-streamed POST ${CHAT} to an upstream that answers at once, ${rounds.ours.length} alternating 2 s rounds, median round ratio; ` +
          `floor: a bare undici passthrough (floors/undici-passthrough.mjs); straight to the fake upstream: ${Math.round(straight.rate)} req/s ` +
          `(gateway ÷ direct ${(median(rounds.ours.map((r) => r.rate)) / straight.rate).toFixed(2)}); the OpenAI-compatible ` +
          `POST /v1/chat/completions (model "${PROVIDER}/bench-model"): ${Math.round(compat.rate)} req/s in one 2 s run ` +
          `(÷ the floor's median ${(compat.rate / median(rounds.floor.map((r) => r.rate))).toFixed(2)})`,
      });
    }
    return figures;
  } finally {
    await passthrough?.stop();
    await ours?.stop();
    await upstream.stop();
  }
}
