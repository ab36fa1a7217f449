import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../desk.js';

/** See ../shared/specs/bifrost.md. */
export function registerBifrost(_app: FastifyInstance, _desk: Desk): void {
  // Routes of this surface are added by the surfaces issue.
}
