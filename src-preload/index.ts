// The page's only door to the app: invoke a contract operation, and hear about changes. Nothing else is exposed.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './create-bridge.js';

contextBridge.exposeInMainWorld('desk', createBridge(ipcRenderer));
