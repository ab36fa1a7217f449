import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Fails the whole run at once, with what to do, when the GUI is not built or Chromium is missing. */
export default function setup(): void {
  const index = join(resolve(import.meta.dirname, '../..'), 'out/renderer/index.html');
  if (!existsSync(index)) {
    throw new Error(
      `The renderer is not built (${index} is missing). Run \`npm run build\` (or \`npx electron-vite build\`) before \`npm run test:e2e\`.`,
    );
  }
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) throw new Error(`Chromium not found at ${chromium}: install Debian's chromium package, or set CHROMIUM_PATH.`);
}
