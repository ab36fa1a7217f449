import type { ModelInfo } from '../contract/domain-schemas.js';

const REDACTED = '[redacted]';
/** A word that shares this many consecutive characters with a secret is treated as an echo of it (e.g. "sk-proj-****abcd"). */
const ECHO_WINDOW = 8;
const MAX_EXCERPT = 160;

/** Collects every secret a probe handles and removes them (and partial echoes of them) from text shown to people. */
export class SecretScrubber {
  private readonly exact = new Set<string>();
  private readonly windows = new Set<string>();
  /** The first two characters of every window, as one number: most places in a text start no window, and this says so without a slice. */
  private readonly windowStarts = new Set<number>();
  private readonly raw: string[] = [];
  /** `exact`, longest first (a secret containing another is replaced whole); made once per set of secrets. */
  private longestFirst: string[] | null = null;

  add(value: unknown): void {
    if (typeof value !== 'string') return;
    const secret = value.trim();
    if (secret.length < 4) return;
    this.raw.push(secret);
    this.longestFirst = null;
    this.exact.add(secret);
    this.exact.add(encodeURIComponent(secret));
    this.exact.add(Buffer.from(secret).toString('base64'));
    if (secret.startsWith('{')) {
      // A service-account JSON: fuzzy-match only its key material, not its public fields (URLs, e-mail).
      try {
        const parsed: unknown = JSON.parse(secret);
        if (parsed && typeof parsed === 'object') {
          for (const field of ['private_key', 'private_key_id', 'client_secret', 'refresh_token'])
            this.add((parsed as Record<string, unknown>)[field]);
        }
      } catch {
        /* not JSON: handled below like any other secret */
      }
      return;
    }
    for (const part of secret.split(/\s+/)) {
      if (part.startsWith('-----')) continue;
      for (let i = 0; i + ECHO_WINDOW <= part.length; i++) {
        this.windows.add(part.slice(i, i + ECHO_WINDOW));
        this.windowStarts.add(startOf(part, i));
      }
    }
  }

  scrub(text: string): string {
    let out = text;
    this.longestFirst ??= [...this.exact].sort((a, b) => b.length - a.length);
    for (const secret of this.longestFirst) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (this.raw.length === 0 || !this.mayEcho(out)) return out;
    return out.replace(/[^\s"'`,;()<>[\]{}]+/g, (word) => (this.echoes(word) ? REDACTED : word));
  }

  /**
   * Whether any word of `text` could echo a secret: a word can only if the text holds a masked run ("***") or one of
   * the secrets' windows. Most texts hold neither, and are then kept without splitting them into words.
   */
  private mayEcho(text: string): boolean {
    if (text.includes('***')) return true;
    for (let i = 0; i + ECHO_WINDOW <= text.length; i++) {
      if (this.windowStarts.has(startOf(text, i)) && this.windows.has(text.slice(i, i + ECHO_WINDOW))) return true;
    }
    return false;
  }

  private echoes(word: string): boolean {
    // A masked echo such as "sk-****…cdef": the visible ends are the secret's own.
    const masked = word.includes('***') ? /^([^*]*)\*{3,}([^*.]*)\.?$/.exec(word) : null;
    if (
      masked &&
      this.raw.some(
        (s) => (masked[1] ?? '').length + (masked[2] ?? '').length >= 4 && s.startsWith(masked[1] ?? '') && s.endsWith(masked[2] ?? ''),
      )
    )
      return true;
    if (word.length < ECHO_WINDOW || word === REDACTED) return false;
    for (let i = 0; i + ECHO_WINDOW <= word.length; i++) if (this.windows.has(word.slice(i, i + ECHO_WINDOW))) return true;
    return false;
  }
}

/** The two characters of `text` at `index` as one number (the key of SecretScrubber's window index). */
function startOf(text: string, index: number): number {
  return text.charCodeAt(index) * 0x10000 + text.charCodeAt(index + 1);
}

function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const step of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** The provider's own error message from a JSON error body (OpenAI, Anthropic, Google, AWS, IBM, Cohere, ElevenLabs, Replicate shapes). */
export function upstreamMessage(body: unknown): string | null {
  const candidates = [
    pick(body, 'error', 'message'),
    pick(body, 'error'),
    pick(body, 'message'),
    pick(body, 'Message'),
    pick(body, 'detail', 'message'),
    pick(body, 'detail'),
    pick(body, 'errorMessage'),
    pick(body, 'errors', '0', 'message'),
    pick(body, 'error_description'),
    pick(body, 'title'),
  ];
  for (const candidate of candidates) if (typeof candidate === 'string' && candidate.trim()) return candidate;
  return null;
}

/** A short, secret-free excerpt of an upstream body for a human message. */
export function bodyExcerpt(text: string, scrubber: SecretScrubber): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let message: string | null;
  try {
    message = upstreamMessage(JSON.parse(trimmed));
  } catch {
    if (/^<(!doctype|html|\?xml)/i.test(trimmed)) return 'an HTML page';
    message = trimmed;
  }
  if (message === null) return null;
  const oneLine = scrubber.scrub(message.replace(/\s+/g, ' ').trim());
  return oneLine.length > MAX_EXCERPT ? `${oneLine.slice(0, MAX_EXCERPT - 1)}…` : oneLine;
}

/**
 * A listed model as it may be stored and shown. A model whose id carries a secret (or an echo of one) is dropped,
 * since a redacted id would name no real model; every other text field (display name, owner …) is scrubbed.
 * Null when dropped.
 */
export function scrubModel(model: ModelInfo, scrubber: SecretScrubber): ModelInfo | null {
  if (scrubber.scrub(model.id) !== model.id) return null;
  const fields = Object.entries(model).map(([name, value]) => [name, typeof value === 'string' ? scrubber.scrub(value) : value]);
  return Object.fromEntries(fields) as ModelInfo;
}

/**
 * scrubModel for a whole list, the usual case first: when the list's JSON has no escape in it and scrubbing it changes
 * nothing, no field of any model holds a secret or an echo of one (each field's text is in that JSON verbatim, between
 * quotes, which split words as they do in the field; a field with a quote, backslash or control character, as any
 * secret holding one would need, is escaped), and the list is kept as it is — one pass instead of one per field.
 * Otherwise model by model.
 */
export function scrubModels(models: ModelInfo[], scrubber: SecretScrubber): ModelInfo[] {
  const text = JSON.stringify(models);
  if (!text.includes('\\') && scrubber.scrub(text) === text) return models;
  return models.flatMap((model) => scrubModel(model, scrubber) ?? []);
}
