import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../desk.js';

/** See ../shared/specs/ziri.md. */
export function registerZiri(_app: FastifyInstance, _desk: Desk): void {
  // Routes of this surface are added by the surfaces issue.
}
