import { dataDirOf, electronDeps, keychainAvailable, startShell, type RunningShell, type ShellDeps } from './main.js';
import { showFailureAndExit } from './failure-dialog.js';
import { describeRuntimeFailure, describeStartupFailure } from './startup-failure.js';

/**
 * The app's main: starts the shell, and reports anything thrown and not caught — during the start or later, in a
 * promise or not — in the same dialog as a startup failure, then exits. Never rejects.
 */
export async function runApp(deps: ShellDeps = electronDeps, proc: Pick<NodeJS.Process, 'on'> = process): Promise<RunningShell | null> {
  let running: RunningShell | null = null;
  const fail = (error: unknown): Promise<void> => {
    console.error(error);
    const dataDir = dataDirOf(deps);
    const context = { dataDir, keychainAvailable: keychainAvailable(deps) };
    const report = running ? describeRuntimeFailure(error, context) : describeStartupFailure(error, context);
    return showFailureAndExit(deps, report, dataDir, () => running?.quit() ?? Promise.resolve());
  };
  proc.on('uncaughtException', (error) => void fail(error));
  proc.on('unhandledRejection', (reason) => void fail(reason));
  try {
    running = await startShell(deps);
  } catch (error) {
    await fail(error);
  }
  return running;
}
