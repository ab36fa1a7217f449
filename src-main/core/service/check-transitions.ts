import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../contract/domain-schemas.js';
import type { CheckTransition } from '../contract/operation-schemas.js';

/** How many transitions a server keeps for `checks.recent`; a GUI polling every 30 s never falls this far behind. */
export const TRANSITIONS_KEPT = 100;

/** The first clause of a hint ("the key was rejected; check it …" → "the key was rejected"). */
function firstClause(text: string): string {
  return text.split(';')[0]?.trim() ?? text;
}

/** Why a check failed, in a few words: "401 — the key was rejected", or the message when no HTTP answer came. */
export function failureReason(result: CheckResult): string {
  if (result.http_status !== null && result.hint) return `${result.http_status} — ${firstClause(result.hint)}`;
  return result.message;
}

/** The sentence a notification shows; names only, never a key. */
export function transitionMessage(kind: CheckTransition['kind'], provider: string, keyName: string, result: CheckResult): string {
  return kind === 'key_started_failing'
    ? `Key '${keyName}' of ${provider} stopped working: ${failureReason(result)}`
    : `Key '${keyName}' of ${provider} works again`;
}

/**
 * The recent transitions of this server's scheduled checks, in memory, for `checks.recent`. A cursor names this
 * process (a random epoch) and the last transition seen, so a cursor from before a restart returns what this run kept.
 */
export class CheckTransitionLog {
  private readonly epoch = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly entries: Array<{ seq: number; transition: CheckTransition }> = [];

  constructor(private readonly capacity = TRANSITIONS_KEPT) {}

  add(transition: CheckTransition): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, transition });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Transitions after `cursor` (all kept ones without it, or for a cursor of an earlier run), oldest first. */
  since(cursor?: string): { events: CheckTransition[]; cursor: string } {
    const [epoch, seen] = cursor?.split(':') ?? [];
    const after = epoch === this.epoch ? Number(seen) : 0;
    return {
      events: this.entries.filter((e) => e.seq > after).map((e) => e.transition),
      cursor: `${this.epoch}:${this.seq}`,
    };
  }
}
