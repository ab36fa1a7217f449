import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { HttpDeps } from './deps.js';
import type { ChangeEvent } from '../contract/change-events.js';

export const EVENTS_PATH = '/api/v1/events';
/** A comment line this often keeps proxies and the server's own idle timeout from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/** What an EventSource waits before reconnecting after the stream broke. */
const RETRY_MS = 2_000;

/** One event as Server-Sent Events lines: its number, its type, and the event as JSON. */
export function sseMessage(event: ChangeEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * `GET /api/v1/events`: the change feed as Server-Sent Events, for the GUI in a browser and for local tools. Needs a
 * token or a session like every native route (the auth hook decides on the matched route; this one is not public).
 * Streams end when the client goes away, when the token is rotated (sessions opened with the old one are over), and
 * before the server closes, so that closing never waits on an open stream.
 */
export function registerEventsRoute(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'changes' | 'token'>,
  options: { heartbeatMs?: number } = {},
): void {
  const open = new Set<() => void>();
  const endAll = () => [...open].forEach((end) => end());

  app.get(EVENTS_PATH, (request, reply) => {
    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
      ...(reply.getHeader('access-control-allow-origin')
        ? {
            'access-control-allow-origin': String(reply.getHeader('access-control-allow-origin')),
            'access-control-allow-credentials': 'true',
            vary: 'Origin',
          }
        : {}),
    });
    // HEAD (Fastify's twin of this GET) has no body to stream: Node would hold the headers back until end().
    if (request.method === 'HEAD') {
      raw.end();
      return;
    }
    // Sent at once: the client knows it is subscribed as soon as it has the headers and this line.
    raw.write(`retry: ${RETRY_MS}\n: subscribed\n\n`);
    const unsubscribe = deps.changes.subscribe((events) => {
      if (!raw.writableEnded) raw.write(events.map(sseMessage).join(''));
    });
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), options.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      if (!open.delete(end)) return;
      clearInterval(heartbeat);
      unsubscribe();
      if (!raw.writableEnded) raw.end();
    };
    open.add(end);
    // The response closes when the client goes away (or the stream was ended here).
    raw.on('close', end);
  });

  const onRotated = () => endAll();
  deps.token.events.on('rotated', onRotated);
  app.addHook('preClose', (done) => {
    deps.token.events.off('rotated', onRotated);
    endAll();
    done();
  });
}

/** The OpenAPI description of the stream: not a request/response operation, so it is added beside the contract's paths. */
export function eventsOpenApiPath(): Record<string, unknown> {
  return {
    get: {
      operationId: 'events',
      summary: 'Change events (Server-Sent Events) whenever the store changes, including changes by another process',
      description: [
        'A `text/event-stream` that stays open. Each event has `id:` (a number), `event:` (its type) and `data:` (the',
        'event as JSON, a ChangeEvent: ids only, never a secret). Bursts are coalesced: at most a few deliveries per',
        '100 ms. `store.changed` means another process (e.g. the CLI) committed to the store, or a bulk write such as an',
        'import: re-read what you show. A `: heartbeat` comment is sent every 15 s. The stream ends when the API token is',
        'rotated; reconnect with the new one.',
        '',
        'Example: `curl -N -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3100/api/v1/events`',
      ].join(' '),
      tags: ['events'],
      parameters: [],
      responses: {
        '200': {
          description: 'The event stream',
          content: {
            'text/event-stream': {
              schema: { $ref: '#/components/schemas/ChangeEvent' },
              example: 'id: 7\nevent: check.finished\ndata: {"id":7,"type":"check.finished","provider_id":"4f1c…"}\n\n',
            },
          },
        },
        '401': { description: 'unauthorized', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
}
