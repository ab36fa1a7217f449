/** DeskClients for renderer tests: the browser's HTTP transport against a real server, and the IPC transport over the shell's and the preload's real IPC wiring. */
import type { Desk } from '../../src-main/core/desk.js';
import type { IpcMainInvokeEvent } from 'electron';
import type { DeskBridge } from '../../src-preload/bridge.js';
import { createBridge } from '../../src-preload/create-bridge.js';
import { forwardEvents, registerIpc, trustedSender } from '../../src-main/shell/ipc.js';
import { TRUSTED_PAGE } from '../helpers/fake-electron.js';
import { DeskClient } from '../../src-renderer/src/client/desk-client.js';
import { httpTransport, type EventSourceFactory, type EventSourceLike } from '../../src-renderer/src/client/http-transport.js';
import { Agent, EventSource, type Dispatcher } from 'undici';
import { ipcTransport } from '../../src-renderer/src/client/ipc-transport.js';
import type { TestServer } from '../helpers/desk.js';

export function httpClient(
  server: TestServer,
  options: { token?: string | null; fetch?: typeof fetch; eventSource?: EventSourceFactory } = {},
): DeskClient {
  const token = options.token === undefined ? server.token : (options.token ?? undefined);
  return new DeskClient(
    httpTransport({
      baseUrl: server.url,
      ...(token ? { token } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      // Without one, Node has no EventSource and the transport has no live events (as an old browser would).
      ...(options.eventSource ? { eventSource: options.eventSource } : {}),
    }),
  );
}

/**
 * A real EventSource (undici's WHATWG implementation) that also sends a bearer token, which a browser's cannot: the
 * GUI uses its session cookie instead. Every source it made is kept, to look at their state.
 */
export function bearerEventSource(token: string): EventSourceFactory & { made: EventSource[] } {
  const withToken: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
    const headers = options.headers;
    const auth = `Bearer ${token}`;
    const next = Array.isArray(headers)
      ? [...headers, 'authorization', auth]
      : { ...(headers as Record<string, string> | undefined), authorization: auth };
    return dispatch({ ...options, headers: next }, handler);
  };
  const dispatcher = new Agent().compose(withToken);
  const made: EventSource[] = [];
  const factory = (url: string) => {
    const source = new EventSource(url, { node: { dispatcher } } as never);
    made.push(source);
    return source as unknown as EventSourceLike;
  };
  return Object.assign(factory, { made });
}

/**
 * The desktop app's IPC path without Electron: the shell's real `registerIpc` and `forwardEvents` on one side, the
 * preload's real `createBridge` on the other, joined by a stand-in ipcMain/ipcRenderer pair that copies every value
 * with the structured clone algorithm, as Electron's IPC does. The page is our own window's main frame.
 */
export function standInBridge(desk: Desk): DeskBridge {
  const rendererListeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const deliver = (channel: string, payload: unknown) => rendererListeners.get(channel)?.forEach((l) => l({}, structuredClone(payload)));
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: (channel: string, handler: (event: IpcMainInvokeEvent, ...args: any[]) => unknown) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const sender = { send: deliver };
  const trustedEvent = { senderFrame: { url: TRUSTED_PAGE, parent: null }, sender } as unknown as IpcMainInvokeEvent;
  registerIpc(
    ipcMain,
    desk.dispatch,
    trustedSender((url) => url === TRUSTED_PAGE),
  );
  forwardEvents(desk.changes, () => sender);
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
      return structuredClone(await handler(trustedEvent, ...structuredClone(args)));
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      rendererListeners.set(channel, (rendererListeners.get(channel) ?? new Set()).add(listener));
      return ipcRenderer;
    },
    off: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      rendererListeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  return createBridge(ipcRenderer as never);
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
