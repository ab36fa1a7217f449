import { useEffect } from 'react';
import type { CheckTransition } from '@contract/operation-schemas';
import { useStores } from '../../stores';
import { watchCheckTransitions } from '../../lib/check-transitions';

/**
 * Browser mode: tells the user when a scheduled check finds that a key stopped working (a browser notification when
 * allowed, and a toast), and refreshes what is shown. The desktop app notifies from its main process instead.
 */
export function CheckNotifier() {
  const stores = useStores();
  useEffect(() => {
    if (stores.client.transport.kind !== 'http') return;
    const announce = (event: CheckTransition) => {
      const failing = event.kind === 'key_started_failing';
      stores.ui.getState().toast(event.message, failing ? 'error' : 'success');
      if (!failing || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      const notification = new Notification('Provider Desk', { body: event.message, tag: `${event.provider_id}:${event.key_id}` });
      notification.onclick = () => {
        window.focus();
        stores.ui.getState().navigate({ view: 'providers', providerId: event.provider_id, tab: 'keys' });
        notification.close();
      };
    };
    return watchCheckTransitions(stores.client, (events) => {
      events.forEach(announce);
      void stores.providers.getState().refresh();
      const open = stores.detail.getState().provider;
      if (open && events.some((e) => e.provider_id === open.id)) void stores.detail.getState().reload();
    });
  }, [stores]);
  return null;
}
