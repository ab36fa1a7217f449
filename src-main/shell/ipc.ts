import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Dispatch } from '../core/service/dispatcher.js';
import type { ChangeFeed } from '../core/service/change-feed.js';
import { OPERATION_NAMES } from '../core/contract/operations.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels.js';

export { EVENT_CHANNEL, INVOKE_CHANNEL };

/** One IPC handler over the dispatcher. Calls from any frame other than our own page are refused. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'This window may not call Provider Desk' } };
    if (typeof name !== 'string' || !(OPERATION_NAMES as string[]).includes(name)) {
      return { ok: false, error: { code: 'not_found', message: `Unknown operation "${String(name)}"` } };
    }
    return dispatch(name as (typeof OPERATION_NAMES)[number], input, {
      transport: 'ipc',
      onProgress: (progress) => event.sender.send(EVENT_CHANNEL, { type: 'progress', operation: name, progress }),
    });
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/**
 * Forwards the change feed to the window (the same events `GET /api/v1/events` streams, in the feed's batches), so the
 * GUI follows changes made anywhere: this window, the API, the CLI in another process.
 */
export function forwardEvents(feed: Pick<ChangeFeed, 'subscribe'>, target: () => Pick<WebContents, 'send'> | undefined): () => void {
  return feed.subscribe((events) => target()?.send(EVENT_CHANNEL, { type: 'changes', events }));
}

/** A sender is trusted when it is the main frame of our window showing our own page. */
export function trustedSender(allowedUrl: (url: string) => boolean) {
  return (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && allowedUrl(frame.url);
  };
}
