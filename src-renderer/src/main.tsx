import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DeskClient } from './client/desk-client';
import { httpTransport } from './client/http-transport';
import { ipcTransport } from './client/ipc-transport';

// In the desktop app the preload provides window.desk; in a browser the same page talks HTTP to `provider-desk serve --ui`.
const client = new DeskClient(window.desk ? ipcTransport(window.desk) : httpTransport());
const root = document.getElementById('root');
if (root) createRoot(root).render(<App client={client} />);
