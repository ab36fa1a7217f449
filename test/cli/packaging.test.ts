/**
 * The package as users install it. SLOW (about 15–40 s): a copy of the checkout is packed with `npm pack` (its
 * prepack and prepare scripts build the GUI and the CLI), and the tarball is installed into a temp prefix from npm's
 * cache. The installed `provider-desk` then runs on the project's Node 22 with no dev dependency: no tsx, no esbuild,
 * no `node` package.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** What a checkout holds that the package is not built from. */
const NOT_PACKED_FROM = new Set(['node_modules', 'out', '.git', '.tmp', 'test', 'test-results', 'docs', 'dist']);

/** Records every module a process resolves, written to $PD_MODULES_OUT when it exits. */
const RECORD_MODULES = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const urls = new Set();
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); urls.add(result.url); return result; } });
process.on('exit', () => writeFileSync(process.env.PD_MODULES_OUT, [...urls].join('\\n')));
`;

/** A process of Node 20 as far as the bin script can tell. */
const PRETEND_NODE_20 = `
Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.11.0' } });
Object.defineProperty(process, 'version', { value: 'v20.11.0' });
`;

let work: string;
let installed: string;
let bin: string;
let tarballFiles: string[];

/** The environment for the installed CLI: this one, without anything pointing it at another vault or token. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('PROVIDER_DESK_')) delete env[name];
  return { ...env, ...extra };
}

/** Runs the installed CLI on this Node (the project's Node 22), as `provider-desk …` would. */
function cli(args: string[], nodeArgs: string[] = [], env: Record<string, string> = {}) {
  return run(process.execPath, [...nodeArgs, bin, ...args], { env: cliEnv(env), cwd: work });
}

/** Runs a command of the installed CLI: the dependencies it loaded by name, its own files as `provider-desk/<path>`. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const out = join(work, `modules-${args[0]!.replace(/\W/g, '')}.txt`);
  await cli(args, ['--import', join(work, 'record-modules.mjs')], { PD_MODULES_OUT: out });
  const urls = readFileSync(out, 'utf8').split('\n');
  return urls.flatMap((url) => {
    const own = /\/node_modules\/(provider-desk\/.*)$/.exec(url);
    if (own) return [own[1]!];
    const dependency = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return dependency ? [dependency[1]!] : [];
  });
}

/** Starts the installed `serve` on a free port; resolves with its URL once it listens. */
async function startServe(args: string[], nodeArgs: string[] = [], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve', '--port', '0', ...args], {
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return {
    url,
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pd-package-'));
  // Packed from a copy: the build scripts write to the copy's out/, not to the checkout's.
  const checkout = join(work, 'checkout');
  cpSync(ROOT, checkout, { recursive: true, filter: (source) => dirname(source) !== ROOT || !NOT_PACKED_FROM.has(basename(source)) });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: checkout, maxBuffer: 64 * 1024 * 1024 });
  const tarball = join(work, `provider-desk-${VERSION}.tgz`);
  tarballFiles = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);

  installed = join(work, 'prefix');
  mkdirSync(installed);
  await run('npm', ['install', '--prefix', installed, tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: work,
  });
  bin = join(installed, 'node_modules/.bin/provider-desk');
  writeFileSync(join(work, 'record-modules.mjs'), RECORD_MODULES);
  writeFileSync(join(work, 'pretend-node-20.mjs'), PRETEND_NODE_20);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package (slow: npm pack and npm install)', () => {
  it('carries the built CLI and the built GUI, and no TypeScript sources or tests', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining(['package/bin/provider-desk.mjs', 'package/out/cli/main.js', 'package/out/renderer/index.html']),
    );
    expect(tarballFiles.filter((file) => /\.tsx?$|^package\/(src-|test\/|scripts\/)/.test(file))).toEqual([]);
    expect(tarballFiles).not.toContain('package/bin/run-ts.mjs');
  });

  it('installs without any dev dependency: no tsx, esbuild, electron-vite or node package', () => {
    const modules = readdirSync(join(installed, 'node_modules'));
    expect(modules).toEqual(expect.arrayContaining(['provider-desk', 'better-sqlite3', 'fastify']));
    for (const dev of ['tsx', 'esbuild', 'electron-vite', 'node', 'typescript']) expect(modules).not.toContain(dev);
  });

  it('prints the version of package.json', async () => {
    expect((await cli(['--version'])).stdout.trim()).toBe(VERSION);
  });

  it('creates and lists providers in a data dir', async () => {
    const dataDir = join(work, 'data-list');
    const created = await cli([
      'call',
      'providers.create',
      '{"name":"openai","type":"openai","api_keys":[{"value":"sk-packaged-secret-1234567890"}]}',
      '--data-dir',
      dataDir,
    ]);
    expect(created.stdout).not.toContain('sk-packaged-secret-1234567890');
    const list = await cli(['list', '--data-dir', dataDir]);
    expect(list.stdout).toMatch(/openai\s+openai\s+yes\s+untested\s+1\s+https:\/\/api\.openai\.com\/v1/);
  });

  it('serves the API and the prebuilt GUI until SIGTERM', async () => {
    const server = await startServe(['--ui', '--data-dir', join(work, 'data-serve')]);
    try {
      expect(await (await fetch(`${server.url}/api/v1/health`)).json()).toMatchObject({ ok: true });
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).not.toContain('Building the GUI');
  });

  it('loads neither Fastify, undici nor the probe engine for --help, --version, token and list', async () => {
    const dataDir = join(work, 'data-modules');
    const heavy = (loaded: string[]) =>
      loaded.filter(
        (m) => ['fastify', 'undici', 'aws4', 'jose', 'conf'].includes(m) || /^provider-desk\/out\/cli\/chunks\/(engine|serve)-/.test(m),
      );
    for (const args of [['--help'], ['--version']]) {
      const loaded = await modulesLoadedBy(args);
      // Nothing but the entry and its small chunks: not even zod or SQLite.
      expect(
        loaded.filter((m) => !m.startsWith('provider-desk/')),
        args.join(' '),
      ).toEqual([]);
    }
    for (const args of [
      ['token', '--data-dir', dataDir],
      ['list', '--data-dir', dataDir],
    ]) {
      const loaded = await modulesLoadedBy(args);
      expect(loaded, args.join(' ')).toContain('better-sqlite3');
      expect(heavy(loaded), args.join(' ')).toEqual([]);
    }
    // The recording sees what it should: serve does load Fastify (and reads its preferences without conf).
    const server = await startServe(['--data-dir', dataDir], ['--import', join(work, 'record-modules.mjs')], {
      PD_MODULES_OUT: join(work, 'modules-serve.txt'),
    });
    await server.stop();
    const served = readFileSync(join(work, 'modules-serve.txt'), 'utf8');
    expect(served).toMatch(/\/node_modules\/fastify\//);
    expect(served).not.toMatch(/\/node_modules\/conf\//);
  });

  it('started by an older Node without the project, says that Node 22 is needed', async () => {
    const old = cli(['--version'], ['--import', join(work, 'pretend-node-20.mjs')]);
    await expect(old).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('needs Node.js 22 or newer (this is v20.11.0)') });
  });

  it('started by an older Node in the project, runs on the Node the project installs', async () => {
    expect(existsSync(join(ROOT, 'node_modules/node/bin/node'))).toBe(true);
    const inProject = await run(
      process.execPath,
      ['--import', join(work, 'pretend-node-20.mjs'), join(ROOT, 'bin/provider-desk.mjs'), '--version'],
      { env: cliEnv() },
    );
    expect(inProject.stdout.trim()).toBe(VERSION);
  });
});
