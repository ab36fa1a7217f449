import type { HttpDeps } from '../deps.js';

/**
 * What a compatible surface may use: the services and the dispatcher, never the store or the vault (the boundary test
 * holds surfaces to that), so a surface can only translate its requests into service calls and their results back.
 */
export type SurfaceDeps = Pick<HttpDeps, 'providers' | 'health' | 'logger' | 'dispatch'>;
