import { createServer } from 'node:net';
import { z } from 'zod';
import type { ApiInfo, HttpDeps } from '../core/http/deps.js';
import { startApiServer, type ApiServer } from '../core/http/server.js';
import { isProcessAlive, readServerFile, writeServerFile } from '../core/server-file.js';

/** How the app's local API came up: its own server, the one a `provider-desk serve` on the same data dir runs, or none. */
export type LocalApi = { kind: 'own'; server: ApiServer } | { kind: 'shared'; url: string; port: number; pid: number } | { kind: 'none' };

/** How many ports after the preferred one are tried before any free port is taken. */
const NEXT_PORTS = 20;

const HealthSchema = z.object({ ok: z.literal(true), version: z.string() });

/**
 * Starts the loopback API on the preferred port. When another process has that port: a Provider Desk `serve` on this
 * data dir (its server.json, answering its health check) is used as it is; anything else makes the app take the next
 * free port. Either way Settings says so (`api.note`), instead of a dialog at every launch.
 */
export async function startLocalApi(deps: HttpDeps, dataDir: string, preferredPort: number): Promise<LocalApi> {
  try {
    return { kind: 'own', server: await listen(deps, dataDir, preferredPort) };
  } catch (error) {
    if (!isAddressInUse(error)) return notStarted(deps, preferredPort, error);
  }
  const owner = await serveOnThisDataDir(dataDir, preferredPort);
  if (owner) {
    setApi(deps, {
      url: owner.url,
      port: owner.port,
      enabled: true,
      note: `Served by another Provider Desk process on this data dir (pid ${owner.pid}, e.g. \`provider-desk serve\`); the app uses it instead of starting its own.`,
    });
    return { kind: 'shared', ...owner };
  }
  try {
    const server = await listen(deps, dataDir, await nextFreePort(preferredPort));
    setApi(deps, {
      ...deps.api.get(),
      note: `Port ${preferredPort} is taken by another program, so the local API listens on port ${server.port} this time.`,
    });
    return { kind: 'own', server };
  } catch (error) {
    return notStarted(deps, preferredPort, error);
  }
}

async function listen(deps: HttpDeps, dataDir: string, port: number): Promise<ApiServer> {
  const server = await startApiServer(deps, { port });
  deps.token.ensureFile();
  try {
    // Tells the CLI where the app listens, for stores it cannot open itself (the key in the OS keychain only).
    writeServerFile(dataDir, { url: server.url, port: server.port, pid: process.pid });
  } catch (error) {
    deps.logger.warn('server.json not written', { error: error instanceof Error ? error.name : 'unknown' });
  }
  return server;
}

function notStarted(deps: HttpDeps, port: number, error: unknown): LocalApi {
  const reason = error instanceof Error ? error.message : String(error);
  deps.logger.warn('local API not started', { error: reason });
  setApi(deps, { url: '', port, enabled: false, note: `The local API did not start: ${reason}` });
  return { kind: 'none' };
}

/** The `serve` named by `<data-dir>/server.json` on that port, if it is alive and answers as Provider Desk. */
async function serveOnThisDataDir(dataDir: string, port: number): Promise<{ url: string; port: number; pid: number } | undefined> {
  const entry = readServerFile(dataDir);
  if (!entry || entry.port !== port || !isProcessAlive(entry.pid)) return undefined;
  try {
    const response = await fetch(`${entry.url}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok || !HealthSchema.safeParse(await response.json()).success) return undefined;
  } catch {
    return undefined;
  }
  return entry;
}

/** The first port after `port` that nothing listens on (loopback), else any free one. */
async function nextFreePort(port: number): Promise<number> {
  for (let candidate = port + 1; candidate <= Math.min(port + NEXT_PORTS, 65535); candidate++) {
    if (await isFree(candidate)) return candidate;
  }
  return 0;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function isAddressInUse(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'EADDRINUSE') return true;
  }
  return false;
}

/** `app.info`'s view of the local API; the note is what Settings shows about it. */
function setApi(deps: HttpDeps, api: ApiInfo): void {
  deps.api.set(api);
}
