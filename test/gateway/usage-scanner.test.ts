/**
 * The incremental usage scanner reads token counts from answers in every dialect, however the bytes are cut into
 * chunks, without holding more than bounded windows of the body.
 */
import { describe, expect, it } from 'vitest';
import { lastObjectValue, usageScanner, type TokenUsage } from '../../src-main/core/gateway/usage-scanner.js';
import { eventStreamFrame } from '../fakes/llm-upstreams.js';

/** Feeds the body in pieces of `size` bytes (1 = every possible cut). */
function scan(contentType: string, body: Buffer | string, size: number, headers: Record<string, string> = {}): TokenUsage | null {
  const scanner = usageScanner({ 'content-type': contentType, ...headers });
  if (!scanner) return null;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
  return scanner.finish();
}

const sse = (events: unknown[], separator = '\n\n') =>
  events.map((e) => `data: ${JSON.stringify(e)}${separator}`).join('') + 'data: [DONE]\n\n';

describe('the usage scanner', () => {
  it('reads OpenAI’s final usage chunk wherever the stream is cut', () => {
    const body = sse([
      { choices: [{ delta: { content: 'hi' } }], usage: null },
      { choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } },
    ]);
    for (const size of [1, 3, 17, body.length]) expect(scan('text/event-stream', body, size)).toEqual({ input: 7, output: 3 });
  });

  it('finds a usage marker cut between two pieces at any byte, after a long line without one', () => {
    const content = { choices: [{ delta: { content: 'x'.repeat(3000) } }] };
    const usage = { pad: 'y'.repeat(40), usage: { prompt_tokens: 11, completion_tokens: 5 } };
    const body = Buffer.from(sse([content, usage]));
    const marker = body.indexOf('usage');
    for (let cut = marker - 12; cut <= marker + 12; cut++) {
      const scanner = usageScanner({ 'content-type': 'text/event-stream' });
      scanner?.push(body.subarray(0, 1000));
      scanner?.push(body.subarray(1000, cut));
      scanner?.push(body.subarray(cut));
      expect(scanner?.finish(), `cut at ${cut - marker}`).toEqual({ input: 11, output: 5 });
    }
    // Pieces of every size from 1 to 12 bytes too.
    for (let size = 1; size <= 12; size++)
      expect(scan('text/event-stream', body, size), `pieces of ${size}`).toEqual({ input: 11, output: 5 });
  });

  it('combines Anthropic’s message_start (input, cache) and message_delta (output) events', () => {
    const body = [
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":20,"cache_read_input_tokens":100,"output_tokens":1}}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"usage"}}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":42}}\n\n',
    ].join('');
    expect(scan('text/event-stream; charset=utf-8', body, 5)).toEqual({ input: 120, output: 42 });
  });

  it('takes Gemini’s last usageMetadata (CRLF-separated chunks), thoughts counted as output', () => {
    const chunk = (candidates: number) => ({
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: candidates, thoughtsTokenCount: 2 },
    });
    expect(scan('text/event-stream', sse([chunk(1), chunk(4)], '\r\n\r\n'), 7)).toEqual({ input: 9, output: 6 });
  });

  it('reads the Responses API’s response.completed event and Ollama’s final NDJSON line', () => {
    const responses = sse([{ type: 'response.completed', response: { usage: { input_tokens: 11, output_tokens: 4 } } }]);
    expect(scan('text/event-stream', responses, 4)).toEqual({ input: 11, output: 4 });
    const ollama = '{"message":{"content":"a"},"done":false}\n{"done":true,"prompt_eval_count":26,"eval_count":259}\n';
    expect(scan('application/x-ndjson', ollama, 9)).toEqual({ input: 26, output: 259 });
  });

  it('finds the usage at the end of a JSON answer too large to hold, and parses a small one whole', () => {
    const big = JSON.stringify({ data: [{ embedding: 'x'.repeat(1_000_000) }], usage: { prompt_tokens: 5000, total_tokens: 5000 } });
    expect(scan('application/json', big, 65536)).toEqual({ input: 5000, output: null });
    const converse = JSON.stringify({ output: {}, usage: { inputTokens: 3, outputTokens: 8, totalTokens: 11 }, metrics: {} });
    expect(scan('application/json', converse, 2)).toEqual({ input: 3, output: 8 });
  });

  it('reads Bedrock event-stream frames split anywhere, and InvokeModel’s token headers', () => {
    const body = Buffer.concat([
      eventStreamFrame('contentBlockDelta', { delta: { text: 'hi' } }),
      eventStreamFrame('metadata', { usage: { inputTokens: 15, outputTokens: 6 }, metrics: { latencyMs: 1 } }),
    ]);
    for (const size of [1, 10, body.length])
      expect(scan('application/vnd.amazon.eventstream', body, size)).toEqual({ input: 15, output: 6 });
    const headers = { 'x-amzn-bedrock-input-token-count': '30', 'x-amzn-bedrock-output-token-count': '9' };
    expect(scan('application/octet-stream', 'binary', 3, headers)).toEqual({ input: 30, output: 9 });
  });

  it('skips an event too long to hold instead of buffering it, and reports unknown counts as null', () => {
    const huge = `data: {"usage":{"prompt_tokens":1},"pad":"${'p'.repeat(5 * 1024 * 1024)}"}\n\n`;
    const after = sse([{ choices: [], usage: { prompt_tokens: 2, completion_tokens: 1 } }]);
    expect(scan('text/event-stream', huge + after, 65536)).toEqual({ input: 2, output: 1 });
    expect(scan('text/event-stream', 'data: {"choices":[]}\n\n', 4)).toEqual({ input: null, output: null });
    expect(scan('text/html', '<html>', 4)).toBeNull();
  });

  it('cuts an object value brace for brace, minding braces inside strings', () => {
    expect(lastObjectValue('{"a":1,"usage" : {"note":"} {","n":{"x":2}}}', 'usage')).toEqual({ note: '} {', n: { x: 2 } });
    expect(lastObjectValue('{"usage":null}', 'usage')).toBeNull();
  });
});
