import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Desk } from '../../core/desk.js';
import { startApiServer, DEFAULT_PORT } from '../../core/http/server.js';
import { DeskError } from '../../core/contract/errors.js';
import { parseOrigins } from '../../core/http/guard.js';
import { createFileLogger, parseLogLevel } from '../../core/log/logger.js';
import { isKeychainOnlyStore } from '../../core/vault/cli-access.js';
import { CliError } from '../output.js';
import { keychainOnlyMessage } from '../running-app.js';
import { dataDirOf, type CommonFlags, type Io } from '../context.js';

export interface ServeFlags extends CommonFlags {
  port?: string | undefined;
  ui?: boolean | undefined;
  origin?: string[] | undefined;
}

/** First `serve --ui` on a fresh checkout: build the GUI once, so the Quick start works without a separate build step. */
function buildRenderer(io: Io): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  // The package's exports hide its bin file from require.resolve; it sits in the project's node_modules.
  const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  if (!existsSync(cli)) {
    throw new CliError('The GUI is not built and electron-vite is not installed: run `npm install && npm run build` first (or drop --ui).');
  }
  io.err('Building the GUI (first run, about half a minute)…');
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new CliError('Building the GUI failed; run `npm run build` to see why (or drop --ui).');
}

function builtRendererDir(): string {
  return fileURLToPath(new URL('../../../out/renderer', import.meta.url));
}

/** `--origin` values and PROVIDER_DESK_ALLOWED_ORIGINS (comma-separated), each a serialized http(s) origin. */
function allowedOrigins(flags: ServeFlags, io: Io): string[] {
  const fromEnv = io.env.PROVIDER_DESK_ALLOWED_ORIGINS?.split(',').filter((o) => o.trim()) ?? [];
  try {
    return [...parseOrigins(flags.origin ?? [], '--origin'), ...parseOrigins(fromEnv, 'PROVIDER_DESK_ALLOWED_ORIGINS')];
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
}

/** Runs the backend without Electron until SIGTERM/SIGINT, then shuts down cleanly. */
export async function serve(flags: ServeFlags, io: Io): Promise<void> {
  const port = flags.port === undefined ? Number(io.env.PROVIDER_DESK_PORT ?? DEFAULT_PORT) : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be an integer between 0 and 65535 (got "${flags.port}")`, 2);
  const origins = allowedOrigins(flags, io);
  const dataDir = dataDirOf(flags, io);
  const uiDir = flags.ui ? builtRendererDir() : undefined;
  if (uiDir && !existsSync(join(uiDir, 'index.html'))) buildRenderer(io);
  const logger = createFileLogger(dataDir, parseLogLevel(io.env.PROVIDER_DESK_LOG_LEVEL));
  let desk: Desk;
  try {
    desk = new Desk({ dataDir, env: io.env, logger });
  } catch (error) {
    if (isKeychainOnlyStore(error)) throw new CliError(keychainOnlyMessage(dataDir, 'serve'));
    if (error instanceof DeskError) throw new CliError(error.message);
    throw error;
  }
  let server;
  try {
    server = await startApiServer(desk, { port, origins, uiDir });
  } catch (error) {
    await desk.close();
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  desk.token.ensureFile();
  logger.info('server started', { port: server.port });
  io.out(`Provider Desk API listening on ${server.url}`);
  io.out(`Data dir: ${dataDir}`);
  io.out(desk.token.fromEnvironment ? 'Token: from PROVIDER_DESK_TOKEN' : `Token file: ${desk.token.filePath}`);
  if (uiDir) io.out(`GUI: ${server.url}/?token=<token>  (or open ${server.url}/ and paste the token)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  io.out('Shutting down…');
  await server.close();
  logger.info('server stopped', { port: server.port });
  await desk.close();
}
