/**
 * The live route table of a running server, read from Fastify itself (`printRoutes`), so the reliability suites cover
 * every route that exists when they run (native operations, every compatible surface, config import/export …)
 * without a list kept by hand. Also: which surface owns a path, and that surface's error body shape.
 */
import type { FastifyInstance } from 'fastify';

export type Surface = 'native' | 'ziri' | 'coder' | 'bifrost' | 'agentstack' | 'gateway' | 'other';
/**
 * The surfaces the fuzzer exercises. Not the gateway: its routes forward to the providers themselves (a seeded Bedrock
 * provider without a base URL lives on the internet), so test/gateway covers them against fakes instead.
 */
export const SURFACES: readonly Surface[] = ['native', 'ziri', 'coder', 'bifrost', 'agentstack'];

export interface Route {
  method: string;
  /** Fastify pattern, e.g. `/api/v1/providers/:idOrName/keys/:keyId`. */
  pattern: string;
  params: string[];
  surface: Surface;
}

/**
 * Parses `printRoutes({ commonPrefix: false })`: a tree whose lines read `│   ├── /segment (GET, HEAD, POST)`,
 * each segment continuing its parent's path.
 */
export function parseRouteTree(tree: string): Array<{ method: string; pattern: string }> {
  const out: Array<{ method: string; pattern: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = [...(match[1] ?? '')].length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const pattern = stack.join('');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) if (method) out.push({ method, pattern });
  }
  return out;
}

function asRouterReads(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/**
 * The surface that owns a request path, by the prefixes each spec mounts its API under, read as the router reads it:
 * percent-encoding decoded except for reserved characters (decodeURI, as find-my-way does), so `/bifros%74/…` is
 * Bifrost's. A path the router cannot decode is judged by its raw prefix, as the server does for what it cannot route.
 */
export function surfaceForPath(rawPath: string): Surface {
  const path = asRouterReads(rawPath.split('?')[0] ?? '');
  if (path === '/api/providers' || path.startsWith('/api/providers/')) return 'ziri';
  if (path.startsWith('/api/v2/')) return 'coder';
  if (path === '/bifrost' || path.startsWith('/bifrost/')) return 'bifrost';
  if (path === '/api/v1/model_providers' || path.startsWith('/api/v1/model_providers/')) return 'agentstack';
  if (path.startsWith('/proxy/') || path === '/v1' || path.startsWith('/v1/')) return 'gateway';
  if (path.startsWith('/api/')) return 'native';
  return 'other';
}

/** Every route of the server except the HEAD twins Fastify adds for GET routes. */
export function liveRoutes(app: FastifyInstance): Route[] {
  const seen = new Set<string>();
  const routes: Route[] = [];
  for (const { method, pattern } of parseRouteTree(app.printRoutes({ commonPrefix: false }))) {
    if (method === 'HEAD' || method === 'OPTIONS') continue;
    const id = `${method} ${pattern}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const params = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
    routes.push({ method, pattern, params, surface: surfaceForPath(pattern) });
  }
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern) || a.method.localeCompare(b.method));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why `body` is not an error body of `surface` for HTTP `status`, or null when it is:
 * native `{"error":{"code","message"}}`, ZIRI `{"error","code"}`, Coder `{"message"}`,
 * Bifrost `{"is_bifrost_error":false,"status_code","error":{"message"}}`, Agent Stack `{"detail"}`.
 */
export function errorShapeProblem(surface: Surface, status: number, body: unknown): string | null {
  if (!isObject(body)) return `error body is not a JSON object: ${JSON.stringify(body)?.slice(0, 200)}`;
  const shown = JSON.stringify(body).slice(0, 300);
  switch (surface) {
    case 'native':
    case 'gateway': // OpenAI's {"error":{"message","type","code"}} from the gateway's own routes; the guards' native shape
    case 'other': {
      const error = body.error;
      if (isObject(error) && typeof error.code === 'string' && typeof error.message === 'string') return null;
      return `not a native error body {"error":{"code","message"}}: ${shown}`;
    }
    case 'ziri':
      if (typeof body.error === 'string' && typeof body.code === 'string') return null;
      return `not a ZIRI error body {"error","code"}: ${shown}`;
    case 'coder':
      if (typeof body.message === 'string' && (body.detail === undefined || typeof body.detail === 'string')) return null;
      return `not a Coder error body {"message"}: ${shown}`;
    case 'bifrost': {
      const error = body.error;
      if (body.is_bifrost_error === false && body.status_code === status && isObject(error) && typeof error.message === 'string')
        return null;
      return `not a Bifrost error body {"is_bifrost_error":false,"status_code":${status},"error":{"message"}}: ${shown}`;
    }
    case 'agentstack':
      if (typeof body.detail === 'string' || Array.isArray(body.detail)) return null;
      return `not an Agent Stack error body {"detail"}: ${shown}`;
  }
}
