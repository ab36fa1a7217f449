import type { FastifyInstance } from 'fastify';
import type { Desk } from '../../desk.js';

/** See ../shared/specs/agentstack.md. */
export function registerAgentStack(_app: FastifyInstance, _desk: Desk): void {
  // Routes of this surface are added by the surfaces issue.
}
