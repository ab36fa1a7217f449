import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SurfaceDeps } from './deps.js';
import {
  DEFAULT_MESSAGES,
  frameworkFailureOf,
  markSurfaceContext,
  type ErrorShape,
  type Failure,
  type FailureShaper,
  type SurfaceName,
} from './registry.js';

/**
 * A compatible API surface: its routes, which only translate requests into service calls and results back, and how it
 * words failures. Registered as its own Fastify plugin (registerSurface), so its error handler and its 404s are its own.
 */
export interface Surface {
  name: Exclude<SurfaceName, 'native'>;
  /** Every route of the surface is this path or below it; unknown paths there are answered as the surface's 404. */
  prefix: string;
  /** Generic failures (auth, host, origin, body, routing) in the surface's shape. */
  failure: FailureShaper;
  /** The surface's own failures and the service's DeskErrors in its shape; null for anything it does not expect. */
  answerError(error: unknown, request: FastifyRequest): ErrorShape | null;
  /** What it answers for an unexpected error: a 500 without details (the error is logged by name only). */
  internalError: ErrorShape;
  /** Registers the routes (absolute paths under `prefix`). */
  routes(scope: FastifyInstance, deps: SurfaceDeps): void;
}

/** A generic failure in one surface's shape, with the default message when it has none of its own. */
export function shapeFailure(shaper: FailureShaper, { failure, message, detail }: Failure): ErrorShape {
  return shaper(failure, message ?? DEFAULT_MESSAGES[failure], detail);
}

export function sendShape(reply: FastifyReply, shape: ErrorShape): FastifyReply {
  if (shape.headers) for (const [name, value] of Object.entries(shape.headers)) reply.header(name, value);
  return reply.code(shape.status).send(shape.body);
}

/** How a surface answers anything thrown in its routes, in its body parser or by the hooks before them. */
export function surfaceErrorShape(
  surface: Surface,
  deps: Pick<SurfaceDeps, 'logger'>,
  error: unknown,
  request: FastifyRequest,
): ErrorShape {
  const own = surface.answerError(error, request);
  if (own) return own;
  const framework = error instanceof Error ? frameworkFailureOf(error) : null;
  if (framework) return shapeFailure(surface.failure, framework);
  deps.logger.error(`${surface.name} surface error`, {
    route: request.routeOptions.url ?? 'unmatched',
    error: error instanceof Error ? error.name : typeof error,
  });
  return surface.internalError;
}

/**
 * Registers a surface as an encapsulated plugin: its context is marked as the surface's (the server's guards answer
 * their refusals on its routes in that shape: surfaceOfRoute), its error handler answers whatever its routes throw,
 * and a 404 handler on its prefix answers unknown paths there. None of it leaks to the native API or another surface.
 */
export function registerSurface(app: FastifyInstance, surface: Surface, deps: SurfaceDeps): void {
  void app.register((scope, _options, done) => {
    markSurfaceContext(scope, surface.name);
    scope.setErrorHandler((error, request, reply) => sendShape(reply, surfaceErrorShape(surface, deps, error, request)));
    surface.routes(scope, deps);
    // The 404 handler needs a prefix (one per prefix and instance); the routes keep their absolute paths.
    void scope.register(
      (prefixed, _prefixedOptions, prefixedDone) => {
        markSurfaceContext(prefixed, surface.name);
        prefixed.setNotFoundHandler((request, reply) => {
          const path = request.url.split('?')[0] ?? '/';
          return sendShape(
            reply,
            shapeFailure(surface.failure, { failure: 'not_found', message: `No route for ${request.method} ${path}` }),
          );
        });
        prefixedDone();
      },
      { prefix: surface.prefix },
    );
    done();
  });
}
