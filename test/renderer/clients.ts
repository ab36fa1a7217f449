/** DeskClients for renderer tests: the browser's HTTP transport against a real server, and the IPC transport over a stand-in preload bridge. */
import type { Desk } from '../../src-main/core/desk.js';
import type { DeskBridge, DeskEvent } from '../../src-preload/bridge.js';
import { DeskClient } from '../../src-renderer/src/client/desk-client.js';
import { httpTransport } from '../../src-renderer/src/client/http-transport.js';
import { ipcTransport } from '../../src-renderer/src/client/ipc-transport.js';
import type { TestServer } from '../helpers/desk.js';

export function httpClient(server: TestServer, options: { token?: string | null; fetch?: typeof fetch } = {}): DeskClient {
  const token = options.token === undefined ? server.token : (options.token ?? undefined);
  return new DeskClient(
    httpTransport({ baseUrl: server.url, ...(token ? { token } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) }),
  );
}

/** What the Electron shell does for `desk:invoke` and `desk:event`, without Electron. */
export function standInBridge(desk: Desk): DeskBridge & { emit(event: DeskEvent): void } {
  const listeners = new Set<(event: DeskEvent) => void>();
  const emit = (event: DeskEvent) => listeners.forEach((l) => l(event));
  desk.providers.events.on('changed', (change) => emit({ type: 'changed', ...change }));
  return {
    invoke: (name, input) =>
      desk.dispatch(name, input, { transport: 'ipc', onProgress: (progress) => emit({ type: 'progress', operation: name, progress }) }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
  };
}

export function ipcClient(desk: Desk): DeskClient {
  return new DeskClient(ipcTransport(standInBridge(desk)));
}

/** fetch with a cookie jar, as a browser keeps the session cookie. */
export function cookieFetch(): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    // What a browser adds to the page's own fetches; the server accepts a session cookie only with it.
    headers.set('sec-fetch-site', 'same-origin');
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      if (/max-age=0/i.test(line)) jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    return response;
  };
}
