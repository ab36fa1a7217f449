import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HttpDeps } from './deps.js';
import { sessionCookie } from './sessions.js';
import { sameOriginPath } from './request-target.js';
import { sendFailure } from './server.js';
import { surfaceOfPath } from './surfaces/index.js';
import { RENDERER_CSP } from './csp.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Paths of the APIs (in any letter case): the GUI's fallback page is never served for them. */
const API_PATH = /^\/(api|bifrost)(\/|$)/i;

/**
 * Browser mode: serves the built renderer (public routes: the files hold no data). `/?token=<token>` logs in like
 * Jupyter (HttpOnly, SameSite=Strict cookie) and redirects to the same path without the token — always a path of this
 * origin; without a session the page itself asks for the token.
 */
export function registerUi(app: FastifyInstance, deps: Pick<HttpDeps, 'token'>, openSession: () => string, uiDir: string): void {
  const root = normalize(uiDir);
  const indexFile = join(root, 'index.html');

  const sendFile = (path: string, reply: FastifyReply) => {
    reply.header('content-type', TYPES[extname(path)] ?? 'application/octet-stream');
    reply.header('content-security-policy', RENDERER_CSP);
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    return reply.send(readFileSync(path));
  };

  app.get('/*', { config: { public: true } }, async (request, reply) => {
    const [pathname = '/', search = ''] = request.url.split('?');
    if (API_PATH.test(pathname))
      return sendFailure(reply, surfaceOfPath(pathname), 'not_found', `No route for ${request.method} ${pathname}`);
    const params = new URLSearchParams(search);
    const token = params.get('token');
    if (token !== null) {
      params.delete('token');
      if (deps.token.verify(token)) reply.header('set-cookie', sessionCookie(openSession()));
      return reply.redirect(sameOriginPath(pathname, params.toString()), 303);
    }
    const decoded = decodeURIComponent(pathname);
    const candidate = normalize(join(root, decoded));
    if ((candidate === root || candidate.startsWith(root + sep)) && existsSync(candidate) && statSync(candidate).isFile()) {
      return sendFile(candidate, reply);
    }
    if (!existsSync(indexFile)) return reply.code(503).type('text/plain').send('The GUI is not built: run `npm run build` first.');
    return sendFile(indexFile, reply);
  });
}
