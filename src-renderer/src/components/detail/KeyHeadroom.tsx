import type { Headroom } from '@contract/domain-schemas';

function amount(value: number): string {
  return value.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

/** "499 of 500 requests left, resets 14:02"; null when the provider told nothing about it. */
function limitLine(noun: string, left: number | null, limit: number | null, resetAt: string | null): string | null {
  if (left === null && limit === null) return null;
  const figures =
    left === null ? `${noun} limit ${amount(limit ?? 0)}` : `${amount(left)}${limit !== null ? ` of ${amount(limit)}` : ''} ${noun} left`;
  const reset = resetAt ? Date.parse(resetAt) : NaN;
  return Number.isNaN(reset) ? figures : `${figures}, resets ${new Date(reset).toLocaleTimeString(undefined, { timeStyle: 'short' })}`;
}

function creditLine(headroom: Headroom): string | null {
  const currency = headroom.currency ? ` ${headroom.currency}` : '';
  if (headroom.credit_remaining !== null) {
    const of = headroom.credit_limit !== null ? ` of ${amount(headroom.credit_limit)}` : '';
    return `${amount(headroom.credit_remaining)}${of}${currency} credit left`;
  }
  return headroom.credit_used !== null ? `${amount(headroom.credit_used)}${currency} credit used` : null;
}

/** A key's room to work as its last check saw it (rate limits, credit); nothing at all where the provider reveals none. */
export function KeyHeadroom({ headroom, keyName }: { headroom: Headroom | null; keyName: string }) {
  if (!headroom) return null;
  const lines = [
    limitLine('requests', headroom.requests_remaining, headroom.requests_limit, headroom.requests_reset_at),
    limitLine('tokens', headroom.tokens_remaining, headroom.tokens_limit, headroom.tokens_reset_at),
    creditLine(headroom),
  ].filter((line): line is string => line !== null);
  if (lines.length === 0) return null;
  return (
    <ul className="key-headroom" aria-label={`Headroom of key ${keyName}`}>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
