// Electron entry point: everything lives in the shell and the core; this file only starts them.
import { startShell } from './shell/main.js';

void startShell();
