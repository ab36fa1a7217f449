import { useEffect, useState } from 'react';
import { UNREACHABLE_ERROR_CLASSES, type ApiKey, type CheckResult } from '@contract/domain-schemas';
import type { DeskClient } from '../../client/desk-client';
import { useDetail, useStores } from '../../stores';
import { formatLatency, formatWhen } from '../../lib/format';
import { verdictOf } from '../../lib/health';

/** How many of a key's latest checks the timeline shows. */
export const TIMELINE_MARKS = 10;

const UNREACHABLE = new Set<string>(UNREACHABLE_ERROR_CLASSES);

// One request per provider and state of its keys, shared by all its key items (the history is per provider).
const histories = new WeakMap<DeskClient, Map<string, Promise<CheckResult[]>>>();

function providerChecks(client: DeskClient, providerId: string, version: string): Promise<CheckResult[]> {
  const cache = histories.get(client) ?? new Map<string, Promise<CheckResult[]>>();
  histories.set(client, cache);
  const id = `${providerId}|${version}`;
  let pending = cache.get(id);
  if (!pending) {
    pending = client.call('providers.checks', { idOrName: providerId }).then((r) => r.checks);
    pending.catch(() => cache.delete(id));
    if (cache.size >= 20) cache.delete(cache.keys().next().value as string);
    cache.set(id, pending);
  }
  return pending;
}

function markKind(check: CheckResult): 'ok' | 'offline' | 'error' {
  if (check.ok) return 'ok';
  return check.error_class && UNREACHABLE.has(check.error_class) ? 'offline' : 'error';
}

/** What a mark says to a screen reader and in its tooltip: verdict, when, latency, and what went wrong. */
function describe(check: CheckResult): string {
  const parts = [verdictOf(check), formatWhen(check.checked_at), formatLatency(check.latency_ms)];
  return check.ok ? parts.join(', ') : `${parts.join(', ')}: ${check.message}`;
}

/** A key's latest checks as a row of marks, oldest first; each mark tells its check on hover and focus. */
export function KeyCheckTimeline({ apiKey }: { apiKey: ApiKey }) {
  const { client } = useStores();
  const providerId = useDetail((s) => s.provider?.id);
  // Changes whenever any key of the provider is checked or cleared, so the shared history is fetched again.
  const version = useDetail((s) => (s.provider ? s.provider.api_keys.map((k) => k.last_check?.checked_at ?? '-').join(',') : ''));
  const [checks, setChecks] = useState<CheckResult[]>([]);
  useEffect(() => {
    if (!providerId) return;
    let current = true;
    providerChecks(client, providerId, version).then(
      (all) =>
        current &&
        setChecks(
          all
            .filter((c) => c.key_id === apiKey.id)
            .slice(0, TIMELINE_MARKS)
            .reverse(),
        ),
      () => current && setChecks([]),
    );
    return () => {
      current = false;
    };
  }, [client, providerId, version, apiKey.id]);
  if (checks.length === 0) return null;
  return (
    <div className="check-timeline">
      <span className="check-timeline-label" aria-hidden="true">
        Recent checks
      </span>
      <ol className="check-marks" aria-label={`Recent checks of key ${apiKey.name}`}>
        {checks.map((check, index) => (
          <li key={`${check.checked_at}-${index}`} className="check-mark-item">
            <span className={`check-mark check-mark--${markKind(check)}`} role="img" tabIndex={0} aria-label={describe(check)} />
            <span className="check-mark-tip" aria-hidden="true">
              <strong>{verdictOf(check)}</strong> · {new Date(check.checked_at).toLocaleString()} · {formatLatency(check.latency_ms)}
              {!check.ok && <span className="check-mark-message">{check.message}</span>}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
