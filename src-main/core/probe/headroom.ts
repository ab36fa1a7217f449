import type { Headroom } from '../contract/domain-schemas.js';

/** Credit figures a balance or key-info endpoint reveals; adapters fill what they know. */
export type CreditFigures = Pick<Partial<Headroom>, 'credit_remaining' | 'credit_limit' | 'credit_used' | 'currency'>;

type RateFigures = Pick<
  Partial<Headroom>,
  'requests_limit' | 'requests_remaining' | 'requests_reset_at' | 'tokens_limit' | 'tokens_remaining' | 'tokens_reset_at'
>;

/**
 * Header names per figure, first match wins. OpenAI, Groq, Azure and Together send `x-ratelimit-*-{requests,tokens}`
 * (Groq's request limit is per day), Cerebras `…-requests-day` / `…-tokens-minute`, Mistral `…-req-minute` /
 * `…-tokens-minute`, Anthropic `anthropic-ratelimit-*` (its `tokens-*` is the most restrictive of the input and
 * output limits, so those are only a fallback). See docs/providers.md, "Rate-limit headers".
 */
const HEADERS = {
  requests_limit: [
    'x-ratelimit-limit-requests',
    'x-ratelimit-limit-requests-day',
    'x-ratelimit-limit-req-minute',
    'anthropic-ratelimit-requests-limit',
  ],
  requests_remaining: [
    'x-ratelimit-remaining-requests',
    'x-ratelimit-remaining-requests-day',
    'x-ratelimit-remaining-req-minute',
    'anthropic-ratelimit-requests-remaining',
  ],
  requests_reset_at: ['x-ratelimit-reset-requests', 'x-ratelimit-reset-requests-day', 'anthropic-ratelimit-requests-reset'],
  tokens_limit: [
    'x-ratelimit-limit-tokens',
    'x-ratelimit-limit-tokens-minute',
    'anthropic-ratelimit-tokens-limit',
    'anthropic-ratelimit-input-tokens-limit',
  ],
  tokens_remaining: [
    'x-ratelimit-remaining-tokens',
    'x-ratelimit-remaining-tokens-minute',
    'anthropic-ratelimit-tokens-remaining',
    'anthropic-ratelimit-input-tokens-remaining',
  ],
  tokens_reset_at: [
    'x-ratelimit-reset-tokens',
    'x-ratelimit-reset-tokens-minute',
    'anthropic-ratelimit-tokens-reset',
    'anthropic-ratelimit-input-tokens-reset',
  ],
} as const;

const UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
/** A plain number this large is a Unix time in seconds, not a number of seconds to wait. */
const UNIX_SECONDS_FLOOR = 1_000_000_000;

/** A non-negative count, or null (Azure has sent -1 for "unknown"). */
export function parseCount(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** A figure a balance endpoint sent as a number or a decimal string ("95.50"); may be negative (Moonshot cash). */
export function parseAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** Milliseconds in a Go-style duration ("12ms", "6m0s", "2m59.56s", "1h2m"), or null. */
export function parseDuration(value: string): number | null {
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(amount) * (UNITS_MS[unit ?? ''] ?? 0);
  return total;
}

/**
 * When a rate-limit window resets, as an ISO instant: from an RFC 3339 time (Anthropic), a Go-style duration
 * (OpenAI, Groq), seconds to wait as a plain number (Cerebras) or a Unix time. Null when unreadable.
 */
export function resetInstant(value: string | undefined, now: Date): string | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? null : new Date(at).toISOString();
  }
  const seconds = parseCount(text);
  if (seconds !== null) {
    const at = seconds >= UNIX_SECONDS_FLOOR ? seconds * 1000 : now.getTime() + seconds * 1000;
    return new Date(Math.round(at)).toISOString();
  }
  const ms = parseDuration(text);
  return ms === null ? null : new Date(Math.round(now.getTime() + ms)).toISOString();
}

function first(headers: Record<string, string>, names: readonly string[]): string | undefined {
  for (const name of names) if (headers[name] !== undefined) return headers[name];
  return undefined;
}

/** The rate-limit figures in one answer's headers (lower-case names); only the figures found are set. */
export function rateLimitsFromHeaders(headers: Record<string, string>, now: Date): RateFigures {
  const out: RateFigures = {
    requests_limit: parseCount(first(headers, HEADERS.requests_limit)),
    requests_remaining: parseCount(first(headers, HEADERS.requests_remaining)),
    requests_reset_at: resetInstant(first(headers, HEADERS.requests_reset_at), now),
    tokens_limit: parseCount(first(headers, HEADERS.tokens_limit)),
    tokens_remaining: parseCount(first(headers, HEADERS.tokens_remaining)),
    tokens_reset_at: resetInstant(first(headers, HEADERS.tokens_reset_at), now),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== null)) as RateFigures;
}

const UNKNOWN: Headroom = {
  requests_limit: null,
  requests_remaining: null,
  requests_reset_at: null,
  tokens_limit: null,
  tokens_remaining: null,
  tokens_reset_at: null,
  credit_remaining: null,
  credit_limit: null,
  credit_used: null,
  currency: null,
};

/**
 * What one check learned about a key's headroom, from every answer it received (headers) and from the balance
 * or key-info endpoints the adapter read (credit). Later answers win figure by figure.
 */
export class HeadroomCollector {
  private figures: Headroom = { ...UNKNOWN };

  constructor(private readonly now: () => Date) {}

  observe(headers: Record<string, string>): void {
    this.merge(rateLimitsFromHeaders(headers, this.now()));
  }

  credit(figures: CreditFigures): void {
    this.merge(figures);
  }

  /** Null when nothing was learned. */
  result(): Headroom | null {
    return Object.values(this.figures).some((v) => v !== null) ? { ...this.figures } : null;
  }

  private merge(figures: Partial<Headroom>): void {
    for (const [name, value] of Object.entries(figures) as Array<[keyof Headroom, Headroom[keyof Headroom] | undefined]>) {
      if (value !== null && value !== undefined) (this.figures as Record<keyof Headroom, unknown>)[name] = value;
    }
  }
}
