import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { minimatch } from 'minimatch';
import { tempDir } from '../helpers/desk.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';
import type { Configuration } from 'app-builder-lib';

// Packaging needs the Electron download, which these machines cannot do: what can be checked without it is checked
// here — the configuration as electron-builder loads and validates it, every file it names, and a real packing run
// of the built app (`npm run build`) into a stand-in Electron distribution.

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

async function builderConfig(): Promise<Configuration> {
  return getConfig(root, join(root, 'electron-builder.yml'), null);
}

function targets(platform: unknown): string[] {
  const target = (platform as { target?: unknown } | undefined)?.target;
  const list = Array.isArray(target) ? target : [target];
  return list.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

/** The app-dir patterns of `files` (electron-builder turns the list into file sets). */
function filePatterns(config: Configuration): string[] {
  const sets = Array.isArray(config.files) ? config.files : [config.files];
  return sets.flatMap((set) => {
    if (typeof set === 'string') return [set];
    if (!set || set.from !== undefined) return [];
    return asStrings(set.filter);
  });
}

describe('electron-builder configuration (electron-builder.yml)', () => {
  it('is the configuration `npm run dist` uses, and electron-builder validates it against its schema', async () => {
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --config electron-builder.yml');
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    const config = await builderConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({ appId: 'dev.providerdesk.app', productName: 'Provider Desk', npmRebuild: false });
  });

  it('rejects what its schema does not know (the validation is real)', async () => {
    const config = { ...(await builderConfig()), mac: { hardenedRuntim: true } } as Configuration;
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/configuration\.mac should be/);
  });

  it('builds AppImage and deb, a dmg with the hardened runtime, and an NSIS installer', async () => {
    const config = await builderConfig();
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targets(config.mac)).toEqual(['dmg']);
    expect(targets(config.win)).toEqual(['nsis']);
    expect(config.mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: 'resources/entitlements.mac.plist',
      entitlementsInherit: 'resources/entitlements.mac.plist',
    });
    const entitlements = readFileSync(join(root, 'resources/entitlements.mac.plist'), 'utf8');
    expect(entitlements).toMatch(/^<\?xml[\s\S]*<plist version="1\.0">[\s\S]*<\/plist>\s*$/);
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.cs.allow-unsigned-executable-memory']) {
      expect(entitlements).toMatch(new RegExp(`<key>${key.replace(/\./g, '\\.')}</key>\\s*<true/>`));
    }
  });

  it('names only files that exist: icons in every size an installer needs, the entitlements, the resources dir', async () => {
    const config = await builderConfig();
    expect(statSync(join(root, config.directories!.buildResources!)).isDirectory()).toBe(true);
    const linuxIcons = join(root, config.linux!.icon!);
    expect(readdirSync(linuxIcons)).toEqual(expect.arrayContaining(['512x512.png', '256x256.png']));
    for (const name of readdirSync(linuxIcons)) {
      const size = Number(/^(\d+)x\1\.png$/.exec(name)?.[1]);
      expect(pngSize(join(linuxIcons, name))).toEqual({ width: size, height: size });
    }
    expect(readFileSync(join(root, config.mac!.icon!)).subarray(0, 4).toString('latin1')).toBe('icns');
    expect([...readFileSync(join(root, config.win!.icon!)).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    for (const file of [config.mac!.entitlements!, config.mac!.entitlementsInherit!, 'resources/icon.svg', 'scripts/make-icons.sh']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });

  it("packs the built app (package.json's main among it), and unpacks better-sqlite3's native module from the asar", async () => {
    const config = await builderConfig();
    const files = filePatterns(config);
    // electron-builder adds package.json and the production dependencies to any `files` list.
    const implicit = ['package.json', '**/node_modules/**/*'];
    const included = (path: string) =>
      [...files.filter((p) => !p.startsWith('!')), ...implicit].some((p) => minimatch(path, p, { dot: true })) &&
      !files.filter((p) => p.startsWith('!')).some((p) => minimatch(path, p.slice(1), { dot: true }));
    expect(files.filter((p) => !p.startsWith('!'))).toEqual(['out/**']);
    expect(included(pkg.main)).toBe(true);
    expect(included('out/preload/index.cjs')).toBe(true);
    expect(included('out/renderer/index.html')).toBe(true);
    expect(included('src-main/index.ts')).toBe(false);

    const unpack = asStrings(config.asarUnpack);
    expect(unpack).toContain('**/node_modules/better-sqlite3/**');
    const addons = readdirSync(join(root, 'node_modules/better-sqlite3/prebuilds')).filter((f) => f.endsWith('.node'));
    expect(addons.length).toBeGreaterThan(0);
    for (const addon of addons) {
      const path = `node_modules/better-sqlite3/prebuilds/${addon}`;
      expect(included(path), path).toBe(true);
      expect(
        unpack.some((p) => minimatch(path, p, { dot: true })),
        path,
      ).toBe(true);
    }
    expect(included('node_modules/better-sqlite3/lib/index.js')).toBe(true);
    // What the app never loads stays out: the CLI's bundle, SQLite's C sources.
    expect(included('out/cli/main.js')).toBe(false);
    expect(included('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(false);
  });

  it('packs the built app with a stand-in Electron distribution: the app in app.asar, better-sqlite3 unpacked beside it', async () => {
    expect(existsSync(join(root, pkg.main)), `${pkg.main} is missing: run \`npm run build\` first (npm test does)`).toBe(true);
    const work = tempDir('pd-dist-');
    try {
      // electron-builder's `electronDist`: an unpacked Electron to copy instead of downloading one.
      const electronDist = join(work.path, 'electron-dist');
      mkdirSync(join(electronDist, 'resources'), { recursive: true });
      writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
      chmodSync(join(electronDist, 'electron'), 0o755);
      const output = join(work.path, 'dist');
      const result = await run(process.execPath, [
        join(root, 'node_modules/electron-builder/cli.js'),
        '--config',
        'electron-builder.yml',
        '--linux',
        'dir',
        `-c.directories.output=${output}`,
        `-c.electronDist=${electronDist}`,
      ]);
      expect(result.code, result.output).toBe(0);
      const resources = join(output, 'linux-unpacked/resources');
      const packed = listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replace(/^[\\/]/, '').replace(/\\/g, '/'));
      expect(packed).toEqual(expect.arrayContaining(['package.json', pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html']));
      expect(packed.filter((p) => p.startsWith('src-') || p.startsWith('test/'))).toEqual([]);
      // Development dependencies (the Node runtime of npm scripts, the tools) are not packed.
      expect(packed.filter((p) => /^node_modules\/(node|electron|vite|typescript|playwright)\//.test(p))).toEqual([]);
      expect(packed.some((p) => p.startsWith('node_modules/fastify/'))).toBe(true);
      // The addons are on disk next to the archive, where Electron can load them.
      const unpacked = join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/prebuilds');
      expect(readdirSync(unpacked)).toEqual(expect.arrayContaining(readdirSync(join(root, 'node_modules/better-sqlite3/prebuilds'))));
      expect(existsSync(join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/lib/index.js'))).toBe(true);
    } finally {
      work.remove();
    }
  }, 180_000);
});

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.slice(-4000) }));
  });
}
