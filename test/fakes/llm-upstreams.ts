/**
 * Fake inference APIs on 127.0.0.1 for the gateway tests, answering as the providers document them:
 *
 *   openai     POST /v1/chat/completions (JSON, or SSE with `stream: true`; the usage chunk only with
 *              `stream_options.include_usage`), POST /v1/embeddings, POST /v1/responses (JSON, or SSE ending in
 *              `response.completed`), GET /v1/models. `Authorization: Bearer <key>`; a wrong key gets 401
 *              `invalid_api_key`, a limited one 429 `rate_limit_exceeded` with Retry-After.
 *   anthropic  POST /v1/messages (JSON, or SSE: message_start … message_delta with usage … message_stop) and
 *              GET /v1/models, with `x-api-key` and a required `anthropic-version`; POST /v1/chat/completions (its
 *              OpenAI compatibility).
 *   gemini     POST /v1beta/models/{model}:generateContent and :streamGenerateContent?alt=sse (usageMetadata on every
 *              chunk) with `x-goog-api-key`; POST /v1beta/openai/chat/completions (its OpenAI compatibility, Bearer).
 *   bedrock    POST /model/{id}/converse, /model/{id}/converse-stream (AWS event-stream frames, usage in `metadata`),
 *              /model/{id}/invoke (Anthropic's body, token counts in x-amzn-bedrock-*-token-count headers); every
 *              request's SigV4 signature is recomputed with aws4 over the body, for service `bedrock`.
 *
 *   const up = await startLlmUpstream({ dialect: 'openai', keys: ['sk-good'], keyStatus: { 'sk-limited': 429 } });
 *   up.url, up.requests (method, target, headers, body), up.unfinished (answers the client hung up on), up.close()
 *
 * Options: `keyStatus` answers a key with a status (429 with Retry-After `retryAfter`, 5xx …); `breakAfterEvents`
 * destroys the connection after that many streamed events; `eventDelayMs` paces streamed events.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, gzipSync } from 'node:zlib';
import aws4 from 'aws4';

export type LlmDialect = 'openai' | 'anthropic' | 'gemini' | 'bedrock';

export interface FakeAwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials are valid only with their session token (X-Amz-Security-Token). */
  sessionToken?: string;
  region: string;
}

export interface LlmUpstreamOptions {
  dialect: LlmDialect;
  /** Keys the fake accepts (bedrock: see `aws`). */
  keys: string[];
  /** Keys answered with a status instead (429 rate limit, 500 …). */
  keyStatus?: Record<string, number>;
  retryAfter?: string;
  /** Destroy the connection after this many streamed events. */
  breakAfterEvents?: number;
  eventDelayMs?: number;
  /** Streamed answers have this many content events (default 3). */
  streamEvents?: number;
  /** The answer's text pieces (default `w0 `, `w1 ` …, one per streamed event). */
  reply?: string[];
  /** openai: gzip non-streamed chat completions for clients that accept it (as OpenAI's edge does). */
  gzip?: boolean;
  /** bedrock: the credentials requests must be signed with (a function for role sessions issued later). */
  aws?: FakeAwsKey[] | (() => FakeAwsKey[]);
}

export interface UpstreamRequestRecord {
  method: string;
  /** The request target as received (path and query). */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LlmUpstream {
  url: string;
  requests: UpstreamRequestRecord[];
  /** Streamed answers whose connection the client closed before the fake finished. */
  unfinished: () => number;
  close(): Promise<void>;
}

export const USAGE = { input: 12, output: 5 };

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One AWS event-stream frame: prelude (lengths + CRC), string headers, JSON payload, message CRC. */
export function eventStreamFrame(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }).map(([name, value]) => {
      const n = Buffer.from(name);
      const v = Buffer.from(value);
      const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
      out.writeUInt8(n.length, 0);
      n.copy(out, 1);
      out.writeUInt8(7, 1 + n.length);
      out.writeUInt16BE(v.length, 2 + n.length);
      v.copy(out, 4 + n.length);
      return out;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, messageCrc]);
}

export async function startLlmUpstream(options: LlmUpstreamOptions): Promise<LlmUpstream> {
  const requests: UpstreamRequestRecord[] = [];
  let unfinished = 0;
  const events = options.streamEvents ?? 3;
  const words = options.reply ?? Array.from({ length: events }, (_, i) => `w${i} `);

  /** Streams events, pacing and breaking them as configured; counts a client that left before the end. */
  const stream = async (res: ServerResponse, contentType: string, chunks: Array<string | Buffer>) => {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
    let done = false;
    res.on('close', () => {
      if (!done) unfinished++;
    });
    for (let i = 0; i < chunks.length; i++) {
      if (res.destroyed) return;
      if (options.breakAfterEvents !== undefined && i === options.breakAfterEvents) {
        res.socket?.destroy();
        done = true;
        return;
      }
      res.write(chunks[i]);
      if (options.eventDelayMs) await sleep(options.eventDelayMs);
    }
    done = true;
    res.end();
  };

  /** null when the key may answer; else the refusal was sent. */
  const refuse = (res: ServerResponse, key: string): boolean => {
    const scripted = options.keyStatus?.[key];
    if (scripted === 429) {
      json(
        res,
        429,
        { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
        options.retryAfter ? { 'retry-after': options.retryAfter } : {},
      );
      return true;
    }
    if (scripted) {
      json(res, scripted, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
      return true;
    }
    if (!options.keys.includes(key)) {
      json(res, 401, {
        error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
      });
      return true;
    }
    return false;
  };

  const chatCompletion = async (res: ServerResponse, body: Record<string, unknown>, acceptEncoding = '') => {
    const model = String(body.model ?? '');
    const created = 1_700_000_000;
    if (body.stream === true) {
      const chunk = (delta: unknown, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const chunks = [chunk({ role: 'assistant', content: '' }, null), ...words.map((w) => chunk({ content: w }, null)), chunk({}, 'stop')];
      const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      if (includeUsage)
        chunks.push(
          `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output } })}\n\n`,
        );
      chunks.push('data: [DONE]\n\n');
      return stream(res, 'text/event-stream; charset=utf-8', chunks);
    }
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
      usage: { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output },
    };
    if (options.gzip && /gzip/.test(acceptEncoding)) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return res.end(gzipSync(JSON.stringify(completion)));
    }
    json(res, 200, completion);
  };

  const openai = async (req: IncomingMessage, res: ServerResponse, path: string, body: Record<string, unknown>) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(header(req.headers, 'authorization'))?.[1] ?? '';
    if (refuse(res, bearer)) return;
    if (req.method === 'GET' && path === '/v1/models')
      return json(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'openai' }] });
    if (path.endsWith('/chat/completions')) return chatCompletion(res, body, header(req.headers, 'accept-encoding'));
    if (path.endsWith('/embeddings'))
      return json(res, 200, {
        object: 'list',
        // The OpenAI SDK asks for base64 (little-endian float32) by default.
        data: [
          {
            object: 'embedding',
            index: 0,
            embedding:
              body.encoding_format === 'base64'
                ? Buffer.from(new Float32Array([0.5, 0.25, 0.125]).buffer).toString('base64')
                : [0.5, 0.25, 0.125],
          },
        ],
        model: body.model,
        usage: { prompt_tokens: USAGE.input, total_tokens: USAGE.input },
      });
    if (path.endsWith('/responses')) {
      const response = {
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        model: body.model,
        output: [
          { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: words.join(''), annotations: [] }] },
        ],
        usage: { input_tokens: USAGE.input, output_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output },
      };
      if (body.stream === true) {
        const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
        return stream(res, 'text/event-stream', [
          event('response.created', { response: { ...response, status: 'in_progress', usage: null } }),
          ...words.map((w) => event('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: w })),
          event('response.completed', { response }),
        ]);
      }
      return json(res, 200, response);
    }
    json(res, 404, { error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', code: null } });
  };

  const anthropic = async (req: IncomingMessage, res: ServerResponse, path: string, body: Record<string, unknown>) => {
    const key = header(req.headers, 'x-api-key');
    if (path === '/v1/chat/completions') {
      if (refuse(res, key)) return;
      return chatCompletion(res, body);
    }
    if (!header(req.headers, 'anthropic-version'))
      return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
    if (options.keyStatus?.[key] === 429)
      return json(
        res,
        429,
        { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } },
        options.retryAfter ? { 'retry-after': options.retryAfter } : {},
      );
    if (!options.keys.includes(key))
      return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    if (req.method === 'GET' && path === '/v1/models')
      return json(res, 200, {
        data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }],
        has_more: false,
        first_id: 'claude-sonnet-4-5',
        last_id: 'claude-sonnet-4-5',
      });
    if (req.method !== 'POST' || path !== '/v1/messages')
      return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
    const model = String(body.model ?? '');
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model,
      content: [] as unknown[],
      stop_reason: null as string | null,
      stop_sequence: null,
      usage: { input_tokens: USAGE.input, output_tokens: 1 },
    };
    if (body.stream === true) {
      const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      return stream(res, 'text/event-stream; charset=utf-8', [
        event('message_start', { message }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('ping', {}),
        ...words.map((w) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } })),
        event('content_block_stop', { index: 0 }),
        event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: USAGE.output } }),
        event('message_stop', {}),
      ]);
    }
    json(res, 200, {
      ...message,
      content: [{ type: 'text', text: words.join('') }],
      stop_reason: 'end_turn',
      usage: { input_tokens: USAGE.input, output_tokens: USAGE.output },
    });
  };

  const gemini = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: Record<string, unknown>) => {
    if (path === '/v1beta/openai/chat/completions') {
      const bearer = /^Bearer\s+(.+)$/i.exec(header(req.headers, 'authorization'))?.[1] ?? '';
      if (refuse(res, bearer)) return;
      return chatCompletion(res, body);
    }
    const key = header(req.headers, 'x-goog-api-key');
    if (!options.keys.includes(key))
      return json(res, 400, {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
        },
      });
    const match = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
    if (!match) return json(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    const chunk = (text: string, last: boolean, output: number) => ({
      candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
      usageMetadata: { promptTokenCount: USAGE.input, candidatesTokenCount: output, totalTokenCount: USAGE.input + output },
      modelVersion: match[1],
      responseId: 'resp-1',
    });
    if (match[2] === 'streamGenerateContent') {
      if (query.get('alt') !== 'sse')
        return json(res, 400, { error: { code: 400, message: 'this fake streams SSE only', status: 'INVALID_ARGUMENT' } });
      return stream(
        res,
        'text/event-stream',
        words.map(
          (w, i) => `data: ${JSON.stringify(chunk(w, i === words.length - 1, i === words.length - 1 ? USAGE.output : i + 1))}\r\n\r\n`,
        ),
      );
    }
    json(res, 200, chunk(words.join(''), true, USAGE.output));
  };

  /** Recomputes SigV4 (aws4, service bedrock) over the headers the request says it signed and its body. */
  const signatureProblem = (req: IncomingMessage, body: Buffer): string | null => {
    const auth = header(req.headers, 'authorization');
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!match) return 'MissingAuthenticationTokenException';
    const [, accessKeyId, region, service, signedHeaders] = match;
    const known = typeof options.aws === 'function' ? options.aws() : (options.aws ?? []);
    const identity = known.find((k) => k.accessKeyId === accessKeyId);
    if (!identity) return 'UnrecognizedClientException';
    if (identity.sessionToken !== undefined && header(req.headers, 'x-amz-security-token') !== identity.sessionToken)
      return 'UnrecognizedClientException';
    if (service !== 'bedrock' || region !== identity.region) return 'InvalidSignatureException';
    const headers: Record<string, string> = {};
    for (const name of (signedHeaders ?? '').split(';')) headers[name] = header(req.headers, name);
    const expected = aws4.sign(
      { host: req.headers.host, path: req.url, method: req.method, service, region, headers, ...(body.length > 0 ? { body } : {}) },
      {
        accessKeyId: identity.accessKeyId,
        secretAccessKey: identity.secretAccessKey,
        ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
      },
    );
    return expected.headers?.Authorization === auth ? null : 'InvalidSignatureException';
  };

  const bedrock = async (req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, parsed: Record<string, unknown>) => {
    const problem = signatureProblem(req, body);
    if (problem) {
      const message =
        problem === 'InvalidSignatureException'
          ? 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
          : 'The security token included in the request is invalid.';
      return json(res, 403, { message }, { 'x-amzn-ErrorType': `${problem}:http://internal.amazon.com/coral/com.amazon.bedrock/` });
    }
    const match = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(path);
    if (!match || req.method !== 'POST')
      return json(res, 404, { message: 'Unknown operation' }, { 'x-amzn-ErrorType': 'UnknownOperationException' });
    const usage = { inputTokens: USAGE.input, outputTokens: USAGE.output, totalTokens: USAGE.input + USAGE.output };
    if (match[2] === 'converse')
      return json(res, 200, {
        output: { message: { role: 'assistant', content: [{ text: words.join('') }] } },
        stopReason: 'end_turn',
        usage,
        metrics: { latencyMs: 12 },
      });
    if (match[2] === 'invoke')
      return json(
        res,
        200,
        {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: decodeURIComponent(match[1] ?? ''),
          content: [{ type: 'text', text: words.join('') }],
          stop_reason: 'end_turn',
          usage: { input_tokens: USAGE.input, output_tokens: USAGE.output },
          _received: parsed.anthropic_version ?? null,
        },
        { 'x-amzn-bedrock-input-token-count': String(USAGE.input), 'x-amzn-bedrock-output-token-count': String(USAGE.output) },
      );
    return stream(res, 'application/vnd.amazon.eventstream', [
      eventStreamFrame('messageStart', { role: 'assistant' }),
      ...words.map((w) => eventStreamFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: w } })),
      eventStreamFrame('contentBlockStop', { contentBlockIndex: 0 }),
      eventStreamFrame('messageStop', { stopReason: 'end_turn' }),
      eventStreamFrame('metadata', { usage, metrics: { latencyMs: 12 } }),
    ]);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      requests.push({ method: req.method ?? 'GET', target: req.url ?? '/', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://fake');
      let parsed: Record<string, unknown> = {};
      try {
        parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        if (options.dialect !== 'bedrock')
          return json(res, 400, { error: { message: 'We could not parse the JSON body of your request.' } });
      }
      if (options.dialect === 'openai') return openai(req, res, url.pathname, parsed);
      if (options.dialect === 'anthropic') return anthropic(req, res, url.pathname, parsed);
      if (options.dialect === 'gemini') return gemini(req, res, url.pathname, url.searchParams, parsed);
      return bedrock(req, res, url.pathname, body, parsed);
    })().catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: `fake bug: ${String(error)}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unfinished: () => unfinished,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
