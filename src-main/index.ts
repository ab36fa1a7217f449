// Electron entry point: everything lives in the shell and the core; this file only starts them.
import { runApp } from './shell/run-app.js';

void runApp();
