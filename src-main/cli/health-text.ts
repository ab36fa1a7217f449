/** How the CLI words health and headroom: the same health words as the API and the GUI, headroom only where known. */
import type { CheckResult, Headroom, ProviderHealth } from '../core/contract/domain-schemas.js';
import { PROVIDER_HEALTH } from '../core/contract/domain-schemas.js';

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Exact figures with thousands grouped (`29,950`): a rounded "30k left" would hide that the limit is being used. */
function figure(value: number): string {
  return NUMBER.format(value);
}

function remaining(label: string, left: number | null, limit: number | null, resetAt: string | null): string | null {
  if (left === null && limit === null) return null;
  const amount =
    left === null ? `limit ${figure(limit ?? 0)}` : limit === null ? `${figure(left)} left` : `${figure(left)}/${figure(limit)}`;
  return `${label} ${amount}${resetAt ? ` (reset ${resetAt})` : ''}`;
}

/** One line of headroom, e.g. `requests 499/500 (reset 2026-…) · tokens 29,950/30,000 · credit 12.5 USD left`; empty when nothing is known. */
export function headroomText(headroom: Headroom | null | undefined): string {
  if (!headroom) return '';
  const parts = [
    remaining('requests', headroom.requests_remaining, headroom.requests_limit, headroom.requests_reset_at),
    remaining('tokens', headroom.tokens_remaining, headroom.tokens_limit, headroom.tokens_reset_at),
  ];
  const currency = headroom.currency ? ` ${headroom.currency}` : '';
  if (headroom.credit_remaining !== null) {
    const of = headroom.credit_limit !== null ? ` of ${figure(headroom.credit_limit)}` : '';
    parts.push(`credit ${figure(headroom.credit_remaining)}${of}${currency} left`);
  } else if (headroom.credit_used !== null) {
    parts.push(`credit ${figure(headroom.credit_used)}${currency} used`);
  }
  return parts.filter((p): p is string => p !== null).join(' · ');
}

/** A check's outcome in its key's health word plus what happened: `ok 12 ms`, `error auth_failed (401)`, `offline timeout`. */
export function checkText(result: CheckResult, health: string): string {
  if (result.ok) return `${health} ${result.latency_ms} ms`;
  const status = result.http_status ? ` (${result.http_status})` : '';
  // `missing_env` is both the health and the class: said once.
  const what = result.error_class === health ? '' : ` ${result.error_class ?? 'failed'}`;
  return `${health}${what}${status}`;
}

/** `ok 3 · degraded 1 · error 1 · offline 2 · untested 0`, in the vocabulary's order. */
export function healthCountsText(counts: Record<ProviderHealth, number>): string {
  return PROVIDER_HEALTH.map((health) => `${health} ${counts[health]}`).join(' · ');
}
