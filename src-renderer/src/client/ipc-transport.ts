import type { DeskBridge } from '../../../src-preload/bridge';
import type { DeskTransport } from './desk-client';

declare global {
  interface Window {
    desk?: DeskBridge;
  }
}

/** The desktop app's transport: `window.desk` from the preload. */
export function ipcTransport(bridge: DeskBridge): DeskTransport {
  return {
    kind: 'ipc',
    invoke: (name, input) => bridge.invoke(name, input),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}
