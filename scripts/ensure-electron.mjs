#!/usr/bin/env node
// `prestart` / `predev`: makes sure Electron's binary is there before electron-vite runs. Electron 42+ has no install
// script of its own: it downloads the binary only when `require('electron')` runs or its `install-electron` bin does,
// and electron-vite reads `node_modules/electron/path.txt` without ever doing either ("Error: Electron uninstall").
// So this runs Electron's own installer, which reads ELECTRON_MIRROR, electron_config_cache, ELECTRON_CUSTOM_DIR,
// force_no_cache and the npm_config_* equivalents itself. When the download is impossible it says why, offers the
// browser mode, and exits non-zero.
//
// Usage: node scripts/ensure-electron.mjs [electron package dir]   (the dir defaults to the installed `electron`;
// tests pass a fixture). PROVIDER_DESK_ELECTRON_INSTALL_TIMEOUT: seconds the download may take (default 900).

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const DEFAULT_TIMEOUT_SECONDS = 900;

/** Where the `electron` package is: the argument, else what Node resolves from this project. */
function electronPackageDir() {
  if (process.argv[2]) return process.argv[2];
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

/** The binary electron-vite will start, or undefined while it is not installed (the same rules electron-vite follows). */
function installedBinary(dir, version) {
  const exec = process.env.ELECTRON_EXEC_PATH;
  if (exec) return existsSync(exec) ? exec : undefined;
  let relative;
  try {
    relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!relative) return undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return existsSync(join(override, relative)) ? join(override, relative) : undefined;
  // A binary left from another Electron version is not ours: the installer replaces it.
  if (readText(join(dir, 'dist', 'version'))?.replace(/^v/, '') !== version) return undefined;
  const binary = join(dir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Electron's installer (its `install-electron` bin), run with this Node and this environment. */
function runInstaller(installer, timeoutSeconds) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { stdio: ['ignore', 'inherit', 'pipe'], env: process.env });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 64 * 1024) stderr = stderr.slice(-64 * 1024);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, why: `the download did not finish within ${timeoutSeconds} s` });
    }, timeoutSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, why: `the installer could not start (${error.message})` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, why: firstErrorLine(stderr) ?? `the installer exited with ${signal ?? `code ${code}`}` });
    });
  });
}

/** The installer prints a stack trace; its first line is the reason (e.g. "TypeError: fetch failed", "HTTPError: 404"). */
function firstErrorLine(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('at ') && !line.startsWith('npm warn'));
}

function where() {
  const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror;
  return mirror ? `the mirror ELECTRON_MIRROR=${mirror}` : 'GitHub (github.com/electron/electron/releases)';
}

function fail(version, why) {
  process.stderr.write(
    [
      '',
      `Provider Desk cannot start: the Electron ${version} binary is not installed, and downloading it failed.`,
      `  Why: ${why} (Electron's installer tried ${where()}).`,
      '  Fix: check the network or proxy (HTTPS_PROXY), point ELECTRON_MIRROR at a reachable mirror, or put the',
      "       Electron zip into Electron's download cache (electron_config_cache); then run the command again.",
      '  Or use Provider Desk without Electron, in your browser:  npm run serve -- --ui',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const dir = electronPackageDir();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const version = String(pkg.version);
if (installedBinary(dir, version)) process.exit(0);

const installerBin = typeof pkg.bin === 'object' && pkg.bin !== null ? pkg.bin['install-electron'] : undefined;
const installer = join(dir, installerBin ?? 'install.js');
if (!existsSync(installer)) fail(version, `this electron package has no installer (${installer} is missing)`);

const seconds = Number(process.env.PROVIDER_DESK_ELECTRON_INSTALL_TIMEOUT ?? DEFAULT_TIMEOUT_SECONDS);
const timeoutSeconds = Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
process.stdout.write(`Downloading the Electron ${version} binary (once; later runs use the cache)…\n`);
const result = await runInstaller(installer, timeoutSeconds);
if (!result.ok) fail(version, result.why);
if (!installedBinary(dir, version)) fail(version, `the installer finished, but ${join(dir, 'path.txt')} names no binary`);
