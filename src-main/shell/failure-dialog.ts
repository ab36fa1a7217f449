import type { App, Dialog, Shell } from 'electron';
import type { FailureReport } from './startup-failure.js';

export interface FailureDialogDeps {
  app: Pick<App, 'isReady' | 'exit' | 'releaseSingleInstanceLock'>;
  dialog: Pick<Dialog, 'showMessageBox' | 'showErrorBox'>;
  shell: Pick<Shell, 'openPath'>;
}

export const OPEN_DATA_FOLDER = 'Open data folder';
export const QUIT = 'Quit';

const failing = new WeakSet<object>();

/** The longest a failing app waits for its server and store to close before it exits anyway. */
export const FAILURE_CLOSE_TIMEOUT_MS = 5000;

/**
 * Says what went wrong in a native dialog — "Open data folder" or "Quit" once the app is ready, the plain error box
 * Electron offers before that — then closes what is open (bounded), lets go of the single-instance lock, and exits
 * non-zero. Nothing is left running with the lock held, so the next launch starts afresh.
 */
export async function showFailureAndExit(
  deps: FailureDialogDeps,
  report: FailureReport,
  dataDir: string,
  close: () => Promise<void> = async () => undefined,
): Promise<void> {
  // One dialog: an error thrown while the first is up (or while closing) only reaches the terminal.
  if (failing.has(deps.app)) return console.error(`${report.title}: ${report.cause}`);
  failing.add(deps.app);
  try {
    if (deps.app.isReady()) {
      const { response } = await deps.dialog.showMessageBox({
        type: 'error',
        title: report.title,
        message: report.cause,
        detail: `${report.fix}\n\nData folder: ${dataDir}`,
        buttons: [OPEN_DATA_FOLDER, QUIT],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      });
      if (response === 0) await deps.shell.openPath(dataDir);
    } else {
      deps.dialog.showErrorBox(report.title, `${report.cause}\n\n${report.fix}\n\nData folder: ${dataDir}`);
    }
  } catch (error) {
    // A dialog that cannot be shown must not keep a broken app alive; the terminal still gets the reason.
    console.error(`${report.title}: ${report.cause} ${report.fix}`, error);
  } finally {
    await withDeadline(close(), FAILURE_CLOSE_TIMEOUT_MS);
    deps.app.releaseSingleInstanceLock();
    deps.app.exit(1);
  }
}

/** Waits for `work`, but no longer than `ms`; its failure is not the caller's (quitting goes on). */
export async function withDeadline(work: Promise<unknown>, ms: number): Promise<'done' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), ms)));
  try {
    return await Promise.race([
      work.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
