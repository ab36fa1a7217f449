import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Desk } from '../core/desk.js';
import { OPERATION_NAMES } from '../core/contract/operations.js';

export const INVOKE_CHANNEL = 'desk:invoke';
export const EVENT_CHANNEL = 'desk:event';

/** One IPC handler over the dispatcher. Calls from any frame other than our own page are refused. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  desk: Desk,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'This window may not call Provider Desk' } };
    if (typeof name !== 'string' || !(OPERATION_NAMES as string[]).includes(name)) {
      return { ok: false, error: { code: 'not_found', message: `Unknown operation "${String(name)}"` } };
    }
    return desk.dispatch(name as (typeof OPERATION_NAMES)[number], input, {
      transport: 'ipc',
      onProgress: (progress) => event.sender.send(EVENT_CHANNEL, { type: 'progress', operation: name, progress }),
    });
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** Forwards service events (data changed) to the window so the GUI refreshes. */
export function forwardEvents(desk: Desk, target: () => WebContents | undefined): () => void {
  const listener = (change: { providerId: string | null; kind: string }) => target()?.send(EVENT_CHANNEL, { type: 'changed', ...change });
  desk.providers.events.on('changed', listener);
  return () => desk.providers.events.off('changed', listener);
}

/** A sender is trusted when it is the main frame of our window showing our own page. */
export function trustedSender(allowedUrl: (url: string) => boolean) {
  return (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && allowedUrl(frame.url);
  };
}
