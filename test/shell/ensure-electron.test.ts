import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/desk.js';

const root = join(import.meta.dirname, '../..');
const script = join(root, 'scripts/ensure-electron.mjs');
const realElectron = join(root, 'node_modules/electron');
const version = JSON.parse(readFileSync(join(realElectron, 'package.json'), 'utf8')).version as string;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A copy of the installed `electron` package without its binary: the real installer, resolving its deps from the project. */
function electronWithoutBinary(): string {
  const dir = tempDir('pd-electron-');
  cleanups.push(() => dir.remove());
  for (const file of ['package.json', 'install.js', 'checksums.json']) copyFileSync(join(realElectron, file), join(dir.path, file));
  symlinkSync(join(root, 'node_modules'), join(dir.path, 'node_modules'));
  return dir.path;
}

/** An `electron` package whose installer is `installer` (or absent) and whose binary is installed or not. */
function fixtureElectron(options: { installed: boolean; installer?: string }): string {
  const dir = tempDir('pd-electron-');
  cleanups.push(() => dir.remove());
  writeFileSync(join(dir.path, 'package.json'), JSON.stringify({ name: 'electron', version, bin: { 'install-electron': 'install.js' } }));
  if (options.installer !== undefined) writeFileSync(join(dir.path, 'install.js'), options.installer);
  if (options.installed) writeFixtureBinary(dir.path);
  return dir.path;
}

function writeFixtureBinary(dir: string): void {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'version'), `v${version}`);
  writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(dir, 'path.txt'), 'electron');
}

/** The environment of a fresh machine: no Electron overrides, no cached download, and the given settings. */
function freshEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(electron_|npm_config_electron)/i.test(name) || name === 'force_no_cache') continue;
    env[name] = value;
  }
  const cache = tempDir('pd-electron-cache-');
  cleanups.push(() => cache.remove());
  return { ...env, electron_config_cache: cache.path, ...extra };
}

function run(electronDir: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, electronDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** A mirror that accepts connections and never answers: a download that hangs. */
async function silentMirror(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return `http://127.0.0.1:${address.port}/`;
}

describe('scripts/ensure-electron.mjs (prestart / predev)', () => {
  it("stops with the reason and the browser alternative when Electron's installer cannot download the binary", async () => {
    const dir = electronWithoutBinary();
    const result = await run(dir, freshEnv({ ELECTRON_MIRROR: 'http://127.0.0.1:9/' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the Electron ${version} binary is not installed, and downloading it failed`);
    // The installer's own reason and the mirror it tried, then what to do.
    expect(result.stderr).toMatch(/Why: .*fetch failed.*ELECTRON_MIRROR=http:\/\/127\.0\.0\.1:9\//);
    expect(result.stderr).toContain('npm run serve -- --ui');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.ms).toBeLessThan(20_000);
    expect(existsSync(join(dir, 'path.txt'))).toBe(false);
  });

  it('gives up on a download that hangs after the configured time', async () => {
    const dir = electronWithoutBinary();
    const mirror = await silentMirror();
    const result = await run(dir, freshEnv({ ELECTRON_MIRROR: mirror, PROVIDER_DESK_ELECTRON_INSTALL_TIMEOUT: '2' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Why: the download did not finish within 2 s');
    expect(result.stderr).toContain('npm run serve -- --ui');
    expect(result.ms).toBeLessThan(10_000);
  });

  it('exits 0 at once when the binary is installed, without running the installer', async () => {
    const dir = fixtureElectron({ installed: true, installer: 'process.exit(3);' });
    const result = await run(dir, freshEnv({ ELECTRON_MIRROR: 'http://127.0.0.1:9/' }));
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain('Downloading');
    expect(result.ms).toBeLessThan(5_000);
  });

  it("runs Electron's installer when the binary is missing and accepts what it installed", async () => {
    const installer = `
      const { mkdirSync, writeFileSync } = require('node:fs');
      const { join } = require('node:path');
      mkdirSync(join(__dirname, 'dist'), { recursive: true });
      writeFileSync(join(__dirname, 'dist', 'version'), 'v${version}');
      writeFileSync(join(__dirname, 'dist', 'electron'), '');
      writeFileSync(join(__dirname, 'path.txt'), 'electron');
    `;
    const dir = fixtureElectron({ installed: false, installer: installer.replace(/^\s+/gm, '') });
    // CommonJS in a dir without "type": the fixture installer is CommonJS, as Electron's is.
    const result = await run(dir, freshEnv({}));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Downloading the Electron ${version} binary`);
    expect(readFileSync(join(dir, 'path.txt'), 'utf8')).toBe('electron');
  });

  it('does not take an installer that exits 0 without installing for a success', async () => {
    const dir = fixtureElectron({ installed: false, installer: '' });
    const result = await run(dir, freshEnv({}));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/path\.txt names no binary/);
  });

  it('re-installs a binary left from another Electron version', async () => {
    const dir = fixtureElectron({ installed: true, installer: 'process.exit(1);' });
    writeFileSync(join(dir, 'dist', 'version'), 'v1.0.0');
    const result = await run(dir, freshEnv({}));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Downloading');
  });
});
