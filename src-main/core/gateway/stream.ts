import type { ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import type { ErrorClass } from '../contract/domain-schemas.js';
import { classifyNetworkError } from '../probe/classify.js';
import { SecretScrubber } from '../probe/scrub.js';
import { outcomeOfStatus } from './outcome.js';
import { relayedMemory } from './relayed-memory.js';
import type { UpstreamResponse } from './upstream.js';
import { usageScanner, type TokenUsage, type UsageScanner } from './usage-scanner.js';

export interface StreamResult {
  outcome: 'ok' | ErrorClass;
  usage: TokenUsage;
}

/** The decoder that lets the scanner read a compressed body; the client still gets the bytes as they came. */
function decoderFor(encoding: string): Transform | null {
  const name = encoding.trim().toLowerCase();
  if (name === 'gzip' || name === 'x-gzip' || name === 'deflate') return createUnzip();
  if (name === 'br') return createBrotliDecompress();
  return null;
}

/** Compressed bytes the decoder may hold unread before the counts are given up (the client is never slowed by it). */
const MAX_DECODER_BACKLOG = 8 * 1024 * 1024;

/** Where the answer goes: the client's raw response (node:http), its headers already written. */
export type ClientSink = Pick<ServerResponse, 'write' | 'end' | 'destroy' | 'once' | 'on' | 'writableFinished' | 'destroyed'>;

/**
 * Relays a provider's answer to the client unchanged: every chunk is written as it arrives (nothing is held back or
 * stored; the provider is paused while the client's socket is full), a copy of it feeds the usage scanner
 * (decompressed if need be), and `onDone` is called once, when the body ended, failed or was cancelled. The client
 * going away destroys the provider's body, which cancels the upstream request. Written directly rather than through a
 * Transform and pipeline(): per request that is two streams, an AbortController and its DOMException fewer.
 */
export function relayBody(
  response: UpstreamResponse,
  client: ClientSink,
  target: string,
  clientGone: () => boolean,
  onDone: (result: StreamResult) => void,
): void {
  const body = response.body;
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  const outcome = ok ? 'ok' : outcomeOfStatus(response.statusCode);
  const scanner: UsageScanner | null = ok ? usageScanner(response.headers) : null;
  const encoding = String(response.headers['content-encoding'] ?? '').trim();
  const decoder = scanner && encoding && encoding !== 'identity' ? decoderFor(encoding) : null;
  // An encoding we cannot read (zstd …) leaves the counts unknown rather than feeding the scanner compressed bytes.
  let scan = scanner && (!encoding || encoding === 'identity' || decoder) ? scanner : null;
  if (decoder) {
    decoder.on('data', (chunk: Buffer) => scan?.push(chunk));
    decoder.on('error', () => (scan = null));
  }

  let reported = false;
  const report = (result: StreamResult['outcome']) => {
    if (reported) return;
    reported = true;
    onDone({ outcome: result, usage: scan ? scan.finish() : { input: null, output: null } });
  };
  const settle = (error: Error | null) => {
    if (error && !clientGone()) {
      const failure = classifyNetworkError(error, {
        target,
        proxy: null,
        timedOut: false,
        timeoutMs: 0,
        cancelled: false,
        scrubber: new SecretScrubber(),
      });
      report(failure.errorClass);
    } else if (decoder && scan && !error) {
      // The counts are read once the decoder has passed on the last of the body.
      decoder.once('end', () => report(outcome)).once('error', () => report(outcome));
      decoder.end();
    } else report(outcome); // a client that hung up cancelled its own request: not a failure of the key
  };

  const resume = () => body.resume();
  body.on('data', (chunk: Buffer) => {
    if (decoder && scan) {
      if (decoder.writableLength > MAX_DECODER_BACKLOG) scan = null;
      else decoder.write(chunk);
    } else scan?.push(chunk);
    relayedMemory.relayed(chunk.length);
    if (!client.write(chunk)) {
      body.pause();
      client.once('drain', resume);
    }
  });
  body.once('end', () => {
    client.end();
    settle(null);
  });
  body.once('error', (error: Error) => {
    // Cut off mid-answer: the client must see a broken response, not a complete one.
    client.destroy();
    settle(error);
  });
  client.once('close', () => {
    if (client.writableFinished) return;
    if (!body.destroyed) body.destroy();
    settle(new Error('client disconnected'));
  });
}
