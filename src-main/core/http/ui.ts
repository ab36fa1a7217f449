import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Desk } from '../desk.js';
import { sessionCookie } from './server.js';
import type { SessionStore } from './guard.js';

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

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Browser mode: serves the built renderer. `/?token=<token>` logs in like Jupyter (HttpOnly, SameSite=Strict cookie) and
 * redirects to a URL without the token; without a session the page itself asks for the token.
 */
export function registerUi(app: FastifyInstance, desk: Desk, sessions: SessionStore, uiDir: string): void {
  const root = normalize(uiDir);
  const indexFile = join(root, 'index.html');

  const sendFile = (path: string, reply: import('fastify').FastifyReply) => {
    reply.header('content-type', TYPES[extname(path)] ?? 'application/octet-stream');
    reply.header('content-security-policy', CSP);
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    return reply.send(readFileSync(path));
  };

  app.get('/*', async (request, reply) => {
    const [pathname = '/', search = ''] = request.url.split('?');
    const params = new URLSearchParams(search);
    const token = params.get('token');
    if (token !== null) {
      params.delete('token');
      const rest = params.toString();
      if (desk.token.verify(token)) reply.header('set-cookie', sessionCookie(sessions.create()));
      return reply.redirect(`${pathname}${rest ? `?${rest}` : ''}`, 303);
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
