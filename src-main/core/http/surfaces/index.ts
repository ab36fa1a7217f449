import type { FastifyInstance } from 'fastify';
import type { SurfaceDeps } from './deps.js';
import { registerSurface, type Surface } from './plugin.js';
import { nativeFailure, type FailureShaper, type SurfaceName } from './registry.js';
import { ziriSurface } from './ziri.js';
import { coderSurface } from './coder.js';
import { bifrostSurface } from './bifrost.js';
import { agentStackSurface } from './agentstack.js';

/** The compatible API surfaces, each a thin mapper over the service with its own shapes and error bodies. */
export const SURFACES: readonly Surface[] = [ziriSurface, coderSurface, bifrostSurface, agentStackSurface];

/** Each surface as its own encapsulated plugin (http/surfaces/plugin.ts). */
export function registerSurfaces(app: FastifyInstance, deps: SurfaceDeps): void {
  for (const surface of SURFACES) registerSurface(app, surface, deps);
}

/** How a surface words generic failures; the native shape for the native API, the GUI and the gateway's auth. */
export function failureShaperOf(name: SurfaceName): FailureShaper {
  return SURFACES.find((s) => s.name === name)?.failure ?? nativeFailure;
}

/**
 * The surface whose prefix holds `path`, for what never reaches a route: bytes Node's parser refused, a URL the router
 * could not decode, the GUI's catch-all. Everything routed takes its surface from its route (surfaceOfRoute).
 */
export function surfaceOfPath(path: string): SurfaceName {
  return SURFACES.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`))?.name ?? 'native';
}
