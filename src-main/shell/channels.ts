// The two IPC channels between the preload and the main process. No imports: the preload bundle includes this file.

/** `ipcRenderer.invoke(INVOKE_CHANNEL, operation, input)` → a `Result` of the contract operation. */
export const INVOKE_CHANNEL = 'desk:invoke';
/** Main → page: batches of change events (the change feed), progress of a long operation. */
export const EVENT_CHANNEL = 'desk:event';
