import type { CheckTransition } from '@contract/operation-schemas';
import type { DeskClient } from '../client/desk-client';

/** How often the browser GUI asks whether a scheduled check found a key that stopped working. */
export const CHECK_POLL_MS = 30_000;

/**
 * Polls `checks.recent` and hands over transitions as they arrive. The first answer only sets the cursor: what
 * happened before the page opened is not news. A failed poll is retried at the next tick.
 */
export function watchCheckTransitions(
  client: DeskClient,
  onNews: (events: CheckTransition[]) => void,
  intervalMs = CHECK_POLL_MS,
): () => void {
  let cursor: string | undefined;
  let stopped = false;
  let busy = false;
  const poll = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const recent = await client.call('checks.recent', cursor === undefined ? {} : { after: cursor });
      const fresh = cursor === undefined ? [] : recent.events;
      cursor = recent.cursor;
      if (fresh.length > 0 && !stopped) onNews(fresh);
    } catch {
      // Offline or signed out: the session store handles a 401; the next tick tries again.
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/** Whether the browser can show notifications and the user has not decided yet. */
export function canAskNotificationPermission(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'default';
}
