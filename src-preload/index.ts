// The page's only door to the app: invoke a contract operation, and hear about changes. Nothing else is exposed.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeskBridge, DeskEvent } from './bridge.js';

const INVOKE_CHANNEL = 'desk:invoke';
const EVENT_CHANNEL = 'desk:event';

const bridge: DeskBridge = {
  invoke: (name, input) => ipcRenderer.invoke(INVOKE_CHANNEL, name, input),
  onEvent: (listener) => {
    const handler = (_event: IpcRendererEvent, payload: DeskEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('desk', bridge);
