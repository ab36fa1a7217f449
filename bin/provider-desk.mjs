#!/usr/bin/env node
// Provider Desk needs Node 22+ (better-sqlite3 13). Machines with an older Node use the one the project installs (the `node` package).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const here = fileURLToPath(import.meta.url);

if (major < 22) {
  const require = createRequire(import.meta.url);
  let bundled;
  try {
    bundled = require.resolve('node/bin/node');
  } catch {
    console.error(
      `Provider Desk needs Node.js 22 or newer (this is ${process.version}). Run \`npm install\` in the project, or install Node 22.`,
    );
    process.exit(1);
  }
  const child = spawn(bundled, [here, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(fileURLToPath(new URL('../src-main/cli/main.ts', import.meta.url))).href);
}
