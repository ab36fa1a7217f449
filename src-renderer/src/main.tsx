import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DeskClient } from './client/desk-client';
import { httpTransport } from './client/http-transport';
import { ipcTransport } from './client/ipc-transport';
import { createStores, StoresContext } from './stores';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/buttons.css';
import './styles/fields.css';
import './styles/feedback.css';
import './styles/widgets.css';
import './styles/list.css';
import './styles/detail.css';
import './styles/checks.css';
import './styles/timeline.css';
import './styles/models.css';
import './styles/dialogs.css';

// In the desktop app the preload provides window.desk; in a browser the same page talks HTTP to `provider-desk serve --ui`.
const client = new DeskClient(window.desk ? ipcTransport(window.desk) : httpTransport());
const stores = createStores(client, window.location);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoresContext.Provider value={stores}>
        <App />
      </StoresContext.Provider>
    </StrictMode>,
  );
}
