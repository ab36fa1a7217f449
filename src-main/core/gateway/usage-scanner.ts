/**
 * Reads token counts from a response as it streams past, keeping only bounded windows of it: the `usage` of a JSON
 * answer (OpenAI, Anthropic, Gemini `usageMetadata`, Bedrock Converse), the last SSE or NDJSON event that carries one
 * (OpenAI `stream_options.include_usage`, Anthropic `message_start`/`message_delta`, Gemini chunks, Ollama's final
 * line), AWS event-stream frames (ConverseStream `metadata`, InvokeModelWithResponseStream chunks), and Bedrock's
 * token-count headers. Counters only: nothing else from the body is kept.
 */

export interface TokenUsage {
  input: number | null;
  output: number | null;
}

export interface UsageScanner {
  push(chunk: Buffer): void;
  /** The counts seen (null where the response did not say). */
  finish(): TokenUsage;
}

/** A JSON answer longer than this is scanned in its last window only (usage comes last in every API we know). */
const JSON_WINDOW = 256 * 1024;
/** A single event longer than this is skipped rather than held (a usage event is small). */
const MAX_EVENT = 4 * 1024 * 1024;
/** Markers of an event worth parsing; every other event is passed over without decoding. */
const MARKERS = ['sage', 'eval_count', 'TokenCount'].map((text) => Buffer.from(text));

type Json = Record<string, unknown>;

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

function object(value: unknown): Json | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/** Token counts in one provider's usage object, whatever its dialect. */
export function countsIn(usage: Json): TokenUsage {
  let input = count(usage.prompt_tokens) ?? count(usage.promptTokenCount) ?? count(usage.inputTokens) ?? count(usage.inputTokenCount);
  let output = count(usage.completion_tokens) ?? count(usage.output_tokens) ?? count(usage.outputTokens) ?? count(usage.outputTokenCount);
  const inputTokens = count(usage.input_tokens);
  // Anthropic counts cache writes and reads apart from input_tokens; OpenAI's Responses API includes them already.
  if (input === null && inputTokens !== null)
    input = inputTokens + (count(usage.cache_creation_input_tokens) ?? 0) + (count(usage.cache_read_input_tokens) ?? 0);
  const candidates = count(usage.candidatesTokenCount);
  if (output === null && candidates !== null) output = candidates + (count(usage.thoughtsTokenCount) ?? 0);
  return { input, output };
}

/** The usage one message (a JSON answer or one streamed event) reports, or null when it reports none. */
export function usageInMessage(message: Json): TokenUsage | null {
  const holder =
    object(message.usage) ??
    object(message.usageMetadata) ??
    object(object(message.message)?.usage) ??
    object(object(message.response)?.usage) ??
    object(message['amazon-bedrock-invocationMetrics']);
  if (holder) return countsIn(holder);
  // Ollama's native API: counts at the top level of the final object.
  const prompt = count(message.prompt_eval_count);
  const evaluated = count(message.eval_count);
  return prompt !== null || evaluated !== null ? { input: prompt, output: evaluated } : null;
}

/** Counts from several events: the latest figure of each kind wins (streams repeat cumulative counts). */
class Tally {
  input: number | null = null;
  output: number | null = null;

  add(usage: TokenUsage | null): void {
    if (!usage) return;
    if (usage.input !== null) this.input = usage.input;
    if (usage.output !== null) this.output = usage.output;
  }

  result(): TokenUsage {
    return { input: this.input, output: this.output };
  }
}

function parseObject(text: string): Json | null {
  try {
    return object(JSON.parse(text));
  } catch {
    return null;
  }
}

function marked(buffer: Buffer): boolean {
  return MARKERS.some((marker) => buffer.includes(marker));
}

/** The most bytes of a marker that can end one piece of a line while the rest begins the next. */
const MARKER_OVERLAP = Math.max(...MARKERS.map((marker) => marker.length)) - 1;

/**
 * SSE (`data: {…}` lines) and NDJSON (one object per line): each complete line carrying usage is parsed on its own.
 * The start of a line that continues in the next chunk is copied into one buffer the scanner owns and reuses, so no
 * relayed chunk is kept alive past its relay (a kept slice would hold its whole socket read); a line is joined and
 * parsed only if it carries a marker, looked for in each piece and across the seams.
 */
class LineScanner implements UsageScanner {
  /** The pending start of the current line: `held[0, heldSize)`. */
  private held: Buffer = Buffer.alloc(0);
  private heldSize = 0;
  /** Whether the pending bytes hold a marker, so the line needs parsing once it is complete. */
  private heldMarked = false;
  private skipping = false;

  constructor(private readonly tally: Tally) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        this.hold(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, newline);
      if (!this.skipping) {
        if (this.heldSize === 0) {
          if (marked(piece)) this.parse(piece);
        } else if (this.heldMarked || this.markedAcrossSeam(piece) || marked(piece)) {
          this.parse(Buffer.concat([this.held.subarray(0, this.heldSize), piece]));
        }
      }
      this.heldSize = 0;
      this.heldMarked = false;
      this.skipping = false;
      start = newline + 1;
    }
  }

  finish(): TokenUsage {
    if (!this.skipping && this.heldMarked) this.parse(this.held.subarray(0, this.heldSize));
    return this.tally.result();
  }

  private hold(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    const size = this.heldSize + part.length;
    if (size > MAX_EVENT) {
      this.heldSize = 0;
      this.heldMarked = false;
      this.skipping = true;
      return;
    }
    this.heldMarked ||= this.markedAcrossSeam(part) || marked(part);
    if (size > this.held.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_EVENT, Math.max(size, this.held.length * 2, 4096)));
      this.held.copy(grown, 0, 0, this.heldSize);
      this.held = grown;
    }
    part.copy(this.held, this.heldSize);
    this.heldSize = size;
  }

  /** Whether a marker begins in the held bytes' end and ends in `next`. */
  private markedAcrossSeam(next: Buffer): boolean {
    if (this.heldSize === 0) return false;
    const seam = this.held.subarray(Math.max(0, this.heldSize - MARKER_OVERLAP), this.heldSize);
    return marked(Buffer.concat([seam, next.subarray(0, MARKER_OVERLAP)]));
  }

  private parse(line: Buffer): void {
    let text = line.toString('utf8').trim();
    if (text.startsWith('data:')) text = text.slice(5).trim();
    if (!text.startsWith('{')) return;
    const message = parseObject(text);
    if (message) this.tally.add(usageInMessage(message));
  }
}

/** The object value of the last `"key":` in `text`, matched brace for brace (strings respected); null if there is none. */
export function lastObjectValue(text: string, key: string): Json | null {
  const at = text.lastIndexOf(`"${key}"`);
  if (at === -1) return null;
  let i = at + key.length + 2;
  while (/\s/.test(text[i] ?? '')) i++;
  if (text[i] !== ':') return null;
  i++;
  while (/\s/.test(text[i] ?? '')) i++;
  if (text[i] !== '{') return null;
  const start = i;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return parseObject(text.slice(start, i + 1));
  }
  return null;
}

/** One JSON document: parsed whole when small, else its usage object is cut from the last window. */
class JsonScanner implements UsageScanner {
  private tail: Buffer = Buffer.alloc(0);
  private total = 0;

  constructor(private readonly tally: Tally) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const joined = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    // A copy, so a window never keeps a large chunk alive.
    this.tail = Buffer.from(joined.length > JSON_WINDOW ? joined.subarray(joined.length - JSON_WINDOW) : joined);
  }

  finish(): TokenUsage {
    const text = this.tail.toString('utf8');
    if (this.total <= JSON_WINDOW) {
      const whole = parseObject(text);
      if (whole) this.tally.add(usageInMessage(whole));
    } else {
      const usage = lastObjectValue(text, 'usage') ?? lastObjectValue(text, 'usageMetadata');
      if (usage) this.tally.add(countsIn(usage));
    }
    return this.tally.result();
  }
}

/** AWS event-stream frames (application/vnd.amazon.eventstream): prelude, headers, JSON payload, CRC. */
class EventStreamScanner implements UsageScanner {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(private readonly tally: Tally) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 12) {
      const total = this.buffer.readUInt32BE(0);
      const headersLength = this.buffer.readUInt32BE(4);
      if (total < 16 || total > MAX_EVENT || headersLength > total - 16) {
        this.broken = true;
        this.buffer = Buffer.alloc(0);
        return;
      }
      if (this.buffer.length < total) break;
      const frame = this.buffer.subarray(0, total);
      this.frame(eventType(frame.subarray(12, 12 + headersLength)), frame.subarray(12 + headersLength, total - 4));
      this.buffer = this.buffer.subarray(total);
    }
    // What is left is one partial frame: copied, so it does not pin the chunk it came in.
    if (this.buffer.length > 0 && this.buffer !== chunk) this.buffer = Buffer.from(this.buffer);
  }

  finish(): TokenUsage {
    return this.tally.result();
  }

  private frame(type: string | null, payload: Buffer): void {
    if (type === 'metadata' && marked(payload)) {
      const message = parseObject(payload.toString('utf8'));
      if (message) this.tally.add(usageInMessage(message));
    } else if (type === 'chunk') {
      // InvokeModelWithResponseStream: the model's own event, base64 in `bytes`.
      const bytes = parseObject(payload.toString('utf8'))?.bytes;
      if (typeof bytes !== 'string') return;
      const inner = Buffer.from(bytes, 'base64');
      if (!marked(inner)) return;
      const message = parseObject(inner.toString('utf8'));
      if (message) this.tally.add(usageInMessage(message));
    }
  }
}

/** The `:event-type` header of an event-stream frame (string headers only carry it). */
function eventType(headers: Buffer): string | null {
  let i = 0;
  while (i < headers.length) {
    const nameLength = headers.readUInt8(i);
    const name = headers.toString('utf8', i + 1, i + 1 + nameLength);
    i += 1 + nameLength;
    const kind = headers.readUInt8(i);
    i += 1;
    const fixed: Record<number, number> = { 0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16 };
    if (kind === 6 || kind === 7) {
      const length = headers.readUInt16BE(i);
      const value = headers.toString('utf8', i + 2, i + 2 + length);
      i += 2 + length;
      if (name === ':event-type' && kind === 7) return value;
    } else if (fixed[kind] !== undefined) i += fixed[kind];
    else return null;
  }
  return null;
}

/** Bedrock's InvokeModel reports its counts in headers. */
function fromHeaders(headers: Record<string, string | string[] | undefined>): TokenUsage | null {
  const read = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
  };
  const input = read('x-amzn-bedrock-input-token-count');
  const output = read('x-amzn-bedrock-output-token-count');
  return input !== null || output !== null ? { input, output } : null;
}

/** A scanner for the response's media type (the decoded body is pushed to it); null when there is nothing to read. */
export function usageScanner(headers: Record<string, string | string[] | undefined>): UsageScanner | null {
  const tally = new Tally();
  tally.add(fromHeaders(headers));
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type === 'text/event-stream' || type === 'application/x-ndjson' || type === 'application/jsonl') return new LineScanner(tally);
  if (type === 'application/vnd.amazon.eventstream') return new EventStreamScanner(tally);
  if (type === 'application/json' || type?.endsWith('+json')) return new JsonScanner(tally);
  const fromHeadersOnly = tally.result();
  if (fromHeadersOnly.input === null && fromHeadersOnly.output === null) return null;
  return { push: () => undefined, finish: () => fromHeadersOnly };
}
