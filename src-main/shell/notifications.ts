import type { BrowserWindow, Notification } from 'electron';
import type { CheckScheduler } from '../core/service/check-scheduler.js';

/** A key that starts failing in a scheduled check becomes a desktop notification; clicking it brings the window up. */
export function notifyKeyFailures(
  NotificationClass: typeof Notification,
  scheduler: CheckScheduler,
  window: () => BrowserWindow | undefined,
): () => void {
  const listener = (transition: { message: string }) => {
    if (!NotificationClass.isSupported()) return;
    const notification = new NotificationClass({ title: 'Provider Desk', body: transition.message });
    notification.on('click', () => {
      const target = window();
      if (!target) return;
      if (target.isMinimized()) target.restore();
      target.show();
      target.focus();
    });
    notification.show();
  };
  scheduler.events.on('keyStartedFailing', listener);
  return () => scheduler.events.off('keyStartedFailing', listener);
}
