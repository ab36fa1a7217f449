import { DeskError } from '../contract/errors.js';
import type { ErrorClass } from '../contract/domain-schemas.js';
import type { OperationOutput } from '../contract/operations.js';
import type { UsageCounters } from '../contract/token-schemas.js';
import type { Repository } from '../store/repository.js';
import type { TokenRepository } from '../store/token-repository.js';
import type { UsageDelta, UsageRepository, UsageRow } from '../store/usage-repository.js';
import type { Logger } from '../log/logger.js';
import type { TokenService } from './tokens.js';

/** One request through the gateway, as the proxy routes report it. Counters only: never a prompt or a completion. */
export interface UsageRecord {
  /** The gateway token that made it; null for the main API token. */
  tokenId: string | null;
  providerId: string;
  /** The key it went out with; null for a keyless provider. */
  keyId: string | null;
  outcome: 'ok' | ErrorClass;
  /** From the response's `usage` (the last chunk of a stream); null when the provider reported none. */
  inputTokens: number | null;
  outputTokens: number | null;
}

export const USAGE_FLUSH_INTERVAL_MS = 1000;

/**
 * Usage counters per key and per token, and tokens' last use. Requests only add to an in-memory accumulator; a timer
 * writes it in one transaction per second (and on close), so a busy gateway costs one small write a second, not one
 * per request. Reads flush first, so they always include every request recorded so far.
 */
export class UsageService {
  private pending = new Map<string, UsageDelta>();
  private touched = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly repo: Repository,
    private readonly usage: UsageRepository,
    private readonly tokenRows: TokenRepository,
    private readonly tokens: TokenService,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly intervalMs = USAGE_FLUSH_INTERVAL_MS,
  ) {}

  record(entry: UsageRecord): void {
    if (this.closed) return;
    const at = this.now().toISOString();
    const key = `${entry.providerId}\u0000${entry.keyId ?? ''}\u0000${entry.tokenId ?? ''}\u0000${entry.outcome}`;
    let delta = this.pending.get(key);
    if (!delta) {
      delta = {
        provider_id: entry.providerId,
        key_id: entry.keyId ?? '',
        token_id: entry.tokenId ?? '',
        outcome: entry.outcome,
        requests: 0,
        input_tokens: 0,
        output_tokens: 0,
        last_used_at: at,
      };
      this.pending.set(key, delta);
    }
    delta.requests += 1;
    delta.input_tokens += tokenCount(entry.inputTokens);
    delta.output_tokens += tokenCount(entry.outputTokens);
    delta.last_used_at = at;
    if (entry.tokenId) this.touched.set(entry.tokenId, at);
    this.schedule();
  }

  /** A gateway token was used (called by the auth hook on every accepted request, also ones the proxy then refuses). */
  touchToken(tokenId: string): void {
    if (this.closed) return;
    this.touched.set(tokenId, this.now().toISOString());
    this.schedule();
  }

  /** Writes everything accumulated in one transaction. A failed write is logged and dropped: counters never block requests. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0 && this.touched.size === 0) return;
    const deltas = [...this.pending.values()];
    const touched = [...this.touched];
    this.pending = new Map();
    this.touched = new Map();
    try {
      this.repo.transaction(() => {
        for (const delta of deltas) this.usage.addUsage(delta);
        for (const [id, at] of touched) this.tokenRows.touchToken(id, at);
      });
    } catch (error) {
      this.logger.warn('usage counters not saved', { error: error instanceof Error ? error.name : 'unknown', count: deltas.length });
    }
  }

  /** Flushes and stops; later records are ignored (the store is closing). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  byProvider(idOrName: string): OperationOutput<'usage.byProvider'> {
    this.flush();
    const provider = this.repo.findProvider(idOrName);
    if (!provider) throw new DeskError('not_found', `No provider "${idOrName}"`);
    const rows = this.usage.usageOfProvider(provider.id);
    const keyNames = this.usage.keyNames(provider.id);
    const tokenNames = this.usage.tokenNames([...new Set(rows.map((r) => r.token_id).filter(Boolean))]);
    return {
      provider: { id: provider.id, name: provider.name },
      totals: sum(rows),
      keys: groupBy(rows, (r) => r.key_id).map(([keyId, group]) => ({
        key_id: keyId || null,
        key_name: keyId ? (keyNames.get(keyId) ?? null) : null,
        ...sum(group),
      })),
      tokens: groupBy(rows, (r) => r.token_id).map(([tokenId, group]) => ({
        token_id: tokenId || null,
        token_name: tokenId ? (tokenNames.get(tokenId) ?? null) : null,
        ...sum(group),
      })),
    };
  }

  byToken(id: string): OperationOutput<'usage.byToken'> {
    this.flush();
    const token = this.tokens.get(id);
    const rows = this.usage.usageOfToken(id);
    const names = this.usage.providerIdentities([...new Set(rows.map((r) => r.provider_id))]);
    return {
      token,
      totals: sum(rows),
      providers: groupBy(rows, (r) => r.provider_id).map(([providerId, group]) => ({
        provider_id: providerId,
        provider_name: names.get(providerId) ?? providerId,
        ...sum(group),
      })),
    };
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    // Pending counters never keep a CLI or test process alive; close() writes them.
    this.timer.unref();
  }
}

/** Token counts as the provider reported them; anything that is not a non-negative whole number counts as none. */
function tokenCount(value: number | null): number {
  return value !== null && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function sum(rows: readonly UsageRow[]): UsageCounters {
  const out: UsageCounters = { requests: 0, errors: 0, errors_by_class: {}, input_tokens: 0, output_tokens: 0, last_used_at: null };
  for (const row of rows) {
    out.requests += row.requests;
    out.input_tokens += row.input_tokens;
    out.output_tokens += row.output_tokens;
    if (row.outcome !== 'ok') {
      out.errors += row.requests;
      out.errors_by_class[row.outcome] = (out.errors_by_class[row.outcome] ?? 0) + row.requests;
    }
    if (out.last_used_at === null || row.last_used_at > out.last_used_at) out.last_used_at = row.last_used_at;
  }
  return out;
}

/** Groups in order of last use, most recent first. */
function groupBy(rows: readonly UsageRow[], keyOf: (row: UsageRow) => string): Array<[string, UsageRow[]]> {
  const groups = new Map<string, UsageRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const lastUse = (group: UsageRow[]) => group.reduce((max, row) => (row.last_used_at > max ? row.last_used_at : max), '');
  return [...groups].sort((a, b) => lastUse(b[1]).localeCompare(lastUse(a[1])) || a[0].localeCompare(b[0]));
}
