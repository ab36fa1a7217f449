import type { FastifyInstance } from 'fastify';
import type { SurfaceDeps } from './deps.js';
import { registerZiri } from './ziri.js';
import { registerCoder } from './coder.js';
import { registerBifrost } from './bifrost.js';
import { registerAgentStack } from './agentstack.js';

/** The compatible API surfaces, each a thin mapper over the service with its own shapes and error bodies. */
export function registerSurfaces(app: FastifyInstance, desk: SurfaceDeps): void {
  registerZiri(app, desk);
  registerCoder(app, desk);
  registerBifrost(app, desk);
  registerAgentStack(app, desk);
}
