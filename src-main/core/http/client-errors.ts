import type { Socket } from 'node:net';
import type { GenericFailure } from './surfaces/registry.js';
import { shapeFailure } from './surfaces/plugin.js';
import { failureShaperOf, surfaceOfPath } from './surfaces/index.js';

/** The request line's path from the bytes Node could not parse, to answer in the right surface's shape. */
function pathFromPacket(packet: Buffer | undefined): string {
  const line = packet?.toString('latin1').split('\r\n', 1)[0] ?? '';
  const target = line.split(' ')[1] ?? '/';
  return target.split('?')[0] ?? '/';
}

/** Time for the client to read the answer and close; then the socket is destroyed whatever the client does. */
const CLOSE_GRACE_MS = 500;

/**
 * Answers a request Node's HTTP parser refused (bad bytes, oversized headers, too slow) with JSON, then destroys the
 * socket: `end()` alone would leave it half-open for as long as the client cares to keep its side.
 */
export function answerClientError(error: Error, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { code, rawPacket } = error as Error & { code?: string; rawPacket?: Buffer };
  const failure: GenericFailure =
    code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'timeout' : 'bad_request';
  const shape = shapeFailure(failureShaperOf(surfaceOfPath(pathFromPacket(rawPacket))), { failure });
  const body = JSON.stringify(shape.body);
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[shape.status] ?? 'Bad Request';
  const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(
    `HTTP/1.1 ${shape.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
