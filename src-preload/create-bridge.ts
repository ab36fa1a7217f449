import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../src-main/shell/channels.js';
import type { DeskBridge, DeskEvent } from './bridge.js';

/** `window.desk` over Electron's ipcRenderer: invoke a contract operation, and hear about changes. Nothing else. */
export function createBridge(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'off'>): DeskBridge {
  return {
    invoke: (name, input) => ipcRenderer.invoke(INVOKE_CHANNEL, name, input),
    onEvent: (listener) => {
      const handler = (_event: IpcRendererEvent, payload: DeskEvent) => listener(payload);
      ipcRenderer.on(EVENT_CHANNEL, handler);
      return () => {
        ipcRenderer.off(EVENT_CHANNEL, handler);
      };
    },
  };
}
