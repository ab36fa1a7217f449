#!/usr/bin/env node
// Provider Desk needs Node 22+ (better-sqlite3 13). Started by an older Node, it re-executes itself on the Node the
// project installs for development (the `node` package), when there is one.
//
// It runs the plain JavaScript build in out/cli (made by scripts/build-cli.mjs; the package carries it). In a checkout
// the build is made on first use, and again when a source is newer than it, so `npx provider-desk` and `npm run cli`
// always run the code as it is, and no TypeScript compiler runs at start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
const here = fileURLToPath(import.meta.url);
const root = join(here, '../..');

/** The newest modification time of a file under `dir`. */
function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** In a checkout (the sources and the build script are there): builds out/cli when it is missing or older than them. */
function buildIfStale(entry) {
  const script = join(root, 'scripts/build-cli.mjs');
  const sources = join(root, 'src-main');
  if (!existsSync(script) || !existsSync(sources)) return;
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  if (built >= Math.max(newestIn(sources), statSync(script).mtimeMs)) return;
  const build = spawnSync(process.execPath, [script, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    console.error(
      `provider-desk: building the CLI failed${build.error ? ` (${build.error.message})` : ''}; run \`npm install\` in ${root}.`,
    );
    process.exit(1);
  }
}

if (major < 22) {
  const require = nodeModule.createRequire(import.meta.url);
  let bundled;
  try {
    bundled = require.resolve('node/bin/node');
  } catch {
    console.error(
      `Provider Desk needs Node.js 22 or newer (this is ${process.version}). Install Node 22, or run it from the project after \`npm install\`.`,
    );
    process.exit(1);
  }
  const child = spawn(bundled, [here, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  // V8's compile cache (Node 22.1+) keeps the compiled code of out/cli and its dependencies between starts: a third
  // of `serve`'s start was compiling them. Per user, in their cache dir; NODE_COMPILE_CACHE moves it, and
  // NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  nodeModule.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(homedir(), '.cache/provider-desk/compile-cache'));
  const entry = join(root, 'out/cli/main.js');
  buildIfStale(entry);
  if (!existsSync(entry)) {
    console.error(`provider-desk: the CLI is not built (${entry} is missing); reinstall the package.`);
    process.exit(1);
  }
  (await import(pathToFileURL(entry).href)).main();
}
