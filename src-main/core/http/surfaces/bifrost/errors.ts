import type { FastifyReply, FastifyRequest } from 'fastify';
import { DeskError, ERROR_CODES } from '../../../contract/errors.js';
import type { Logger } from '../../../log/logger.js';
import { staleIfMatch } from '../if-match.js';

/** A failure answered in Bifrost's error body; the message is what Bifrost itself would say where it has a message for it. */
export class BifrostError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BifrostError';
  }
}

/**
 * Bifrost's BifrostError as its management handlers send it: `extra_fields` is always there (a Go struct value whose
 * fields are all omitted when empty, so `{}`); `error.type`, `error.code`, `event_id` are left out.
 */
export function bifrostErrorBody(
  status: number,
  message: string,
): { is_bifrost_error: false; status_code: number; error: { message: string }; extra_fields: Record<string, never> } {
  return { is_bifrost_error: false, status_code: status, error: { message }, extra_fields: {} };
}

export const invalidPayload = (): BifrostError => new BifrostError(400, 'Invalid request payload');

/**
 * Maps a service error onto Bifrost's statuses. A stale If-Match is 412; a write racing another one without If-Match
 * (Bifrost's own clients send none) stays a conflict.
 */
function fromDeskError(request: FastifyRequest, error: DeskError): BifrostError {
  if (staleIfMatch(request, error)) return new BifrostError(412, error.message);
  if (error.code === 'precondition_failed') return new BifrostError(409, error.message);
  const status = ERROR_CODES[error.code] ?? 500;
  return new BifrostError(status >= 500 && error.code !== 'upstream_failed' ? 500 : status, error.message);
}

/** Runs a route body and answers any failure in Bifrost's shape, never with a stack trace. */
export async function answer(request: FastifyRequest, reply: FastifyReply, logger: Logger, work: () => unknown): Promise<FastifyReply> {
  try {
    const body = await work();
    return reply.code(200).send(body);
  } catch (caught) {
    const error = caught instanceof BifrostError ? caught : caught instanceof DeskError ? fromDeskError(request, caught) : null;
    if (error) return reply.code(error.status).send(bifrostErrorBody(error.status, error.message));
    logger.error('bifrost surface failed', { error: caught instanceof Error ? caught.name : 'unknown' });
    return reply.code(500).send(bifrostErrorBody(500, 'Internal error'));
  }
}
