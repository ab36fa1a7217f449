import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Desk } from '../../core/desk.js';
import { startApiServer, DEFAULT_PORT } from '../../core/http/server.js';
import { DeskError } from '../../core/contract/errors.js';
import { parseOrigins } from '../../core/http/guard.js';
import { createFileLogger, parseLogLevel } from '../../core/log/logger.js';
import { isKeychainOnlyStore } from '../../core/vault/cli-access.js';
import { goDurationMs } from '../../core/contract/duration.js';
import { MAX_CHECK_INTERVAL_MINUTES } from '../../core/contract/operation-schemas.js';
import { confPreferences, observablePreferences, type Preferences } from '../../core/preferences.js';
import { CheckScheduler, followCheckInterval } from '../../core/service/check-scheduler.js';
import type { CheckTransition } from '../../core/contract/operation-schemas.js';
import { CliError, terminalText } from '../output.js';
import { keychainOnlyMessage } from '../running-app.js';
import { removeServerFile, writeServerFile } from '../../core/server-file.js';
import type { Logger } from '../../core/log/logger.js';
import { dataDirOf, type CommonFlags, type Io } from '../context.js';
import { packageRoot } from '../package-root.js';

export interface ServeFlags extends CommonFlags {
  port?: string | undefined;
  ui?: boolean | undefined;
  origin?: string[] | undefined;
  'check-every'?: string | undefined;
}

const MAX_CHECK_EVERY_MS = MAX_CHECK_INTERVAL_MINUTES * 60_000;

/**
 * `--check-every`: a Go duration from 1s to 24h (`90s`, `15m`, `1h`), or `0`/`off` to keep scheduled checks off
 * whatever Settings say; undefined without the flag (then the preference decides).
 */
export function checkEveryMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '0' || text.trim() === 'off') return 0;
  const ms = goDurationMs(text);
  if (ms === null || ms < 1000 || ms > MAX_CHECK_EVERY_MS) {
    throw new CliError(`--check-every must be a duration from 1s to 24h such as 90s, 15m or 1h, or off (got "${text}")`, 2);
  }
  return ms;
}

/** Headless, a key that starts failing is a line on stderr (the scheduler also logs it); names only, never the key. */
function reportTransitions(scheduler: CheckScheduler, io: Io): void {
  const say = (transition: CheckTransition) => io.err(`provider-desk: ${terminalText(transition.message, { oneLine: true })}`);
  scheduler.events.on('keyStartedFailing', say);
  scheduler.events.on('keyRecovered', say);
}

/** Writes `<data-dir>/server.json` naming this process as the store's owner; a failure only costs the CLI its way here. */
function announceOwner(dataDir: string, server: { url: string; port: number }, logger: Logger): void {
  try {
    writeServerFile(dataDir, { url: server.url, port: server.port, pid: process.pid });
  } catch (error) {
    logger.warn('server.json not written', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

/**
 * `serve --ui` serves the prebuilt GUI (out/renderer, in the package). A checkout where it was never built (npm install
 * builds only the CLI) builds it once here, when the build tools are installed.
 */
function buildRenderer(root: string, io: Io): void {
  // The package's exports hide its bin file from require.resolve; it sits in the project's node_modules.
  const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  if (!existsSync(cli)) {
    throw new CliError(
      `The GUI is not built (${join(root, 'out/renderer')} is missing) and electron-vite is not installed: run \`npm install && npm run build\` in ${root} first (or drop --ui).`,
    );
  }
  io.err('Building the GUI (first run, a few seconds)…');
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new CliError('Building the GUI failed; run `npm run build` to see why (or drop --ui).');
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
  const checkEvery = checkEveryMs(flags['check-every']);
  const dataDir = dataDirOf(flags, io);
  let uiDir: string | undefined;
  if (flags.ui) {
    const root = packageRoot();
    uiDir = join(root, 'out/renderer');
    if (!existsSync(join(uiDir, 'index.html'))) buildRenderer(root, io);
  }
  const logger = createFileLogger(dataDir, parseLogLevel(io.env.PROVIDER_DESK_LOG_LEVEL));
  // Opened on first use, after the Desk has checked the data dir; observed so scheduled checks follow a change in Settings.
  let conf: Preferences | undefined;
  const openConf = () => (conf ??= confPreferences(dataDir));
  const preferences = observablePreferences({ get: (key) => openConf().get(key), set: (key, value) => openConf().set(key, value) });
  let desk: Desk;
  try {
    desk = new Desk({ dataDir, env: io.env, logger, preferences, longLived: true });
  } catch (error) {
    if (isKeychainOnlyStore(error)) throw new CliError(keychainOnlyMessage(dataDir, 'serve'));
    if (error instanceof DeskError) throw new CliError(error.message);
    throw error;
  }
  let server;
  try {
    server = await startApiServer(desk.http, { port, origins, uiDir });
  } catch (error) {
    await desk.close();
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  desk.token.ensureFile();
  // Listened for from before the address is printed until the shutdown is over: conf's file writer (when-exit) sends
  // itself the signal again after its own cleanup, which would otherwise kill the process halfway through closing.
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Before the address is printed: from then on the CLI's test and models go through this process, the store's owner,
  // so env.VAR keys resolve with the environment it was started with.
  announceOwner(dataDir, server, logger);
  logger.info('server started', { port: server.port });
  io.out(`Provider Desk API listening on ${server.url}`);
  io.out(`Data dir: ${dataDir}`);
  io.out(desk.token.fromEnvironment ? 'Token: from PROVIDER_DESK_TOKEN' : `Token file: ${desk.token.filePath}`);
  if (uiDir) io.out(`GUI: ${server.url}/?token=<token>  (or open ${server.url}/ and paste the token)`);

  const scheduler = new CheckScheduler({
    providers: desk.providers,
    health: desk.health,
    transitions: desk.checkTransitions,
    logger,
  });
  reportTransitions(scheduler, io);
  const unfollow = checkEvery === undefined ? followCheckInterval(preferences, scheduler) : (scheduler.configure(checkEvery), () => {});
  if (checkEvery) io.out(`Scheduled checks: every ${flags['check-every']?.trim()}`);

  await stopped;
  io.out('Shutting down…');
  removeServerFile(dataDir);
  unfollow();
  await scheduler.stop();
  await server.close();
  logger.info('server stopped', { port: server.port });
  await desk.close();
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
}
