import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const importsOf = (file: string) =>
  [
    ...readFileSync(join(root, file), 'utf8').matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => ({
    spec: m[1] ?? m[2] ?? m[3] ?? '',
    typeOnly: /^(import|export)\s+type\s/.test(m[0]),
  }));

describe('layer boundaries', () => {
  it('keeps electron out of src-main/core and the CLI (Node tests load them)', () => {
    const offenders = [...sources('src-main/core'), ...sources('src-main/cli')].filter((f) =>
      importsOf(f).some((i) => (i.spec === 'electron' || i.spec.startsWith('electron/') || i.spec === 'electron-store') && !i.typeOnly),
    );
    expect(offenders).toEqual([]);
  });

  it('lets only src-main/shell and src-main/index.ts import electron in the main process', () => {
    const offenders = sources('src-main')
      .filter((f) => !f.startsWith('src-main/shell/') && f !== 'src-main/index.ts')
      .filter((f) => importsOf(f).some((i) => i.spec === 'electron'));
    expect(offenders).toEqual([]);
  });

  it('keeps core from reaching into the shell, the CLI or the renderer', () => {
    const offenders = sources('src-main/core').filter((f) => importsOf(f).some((i) => /\/(shell|cli)\/|src-renderer/.test(i.spec)));
    expect(offenders).toEqual([]);
  });

  it('lets the renderer use only the contract from src-main, never Node or Electron modules', () => {
    const offenders = sources('src-renderer/src').filter((f) =>
      importsOf(f).some(
        (i) =>
          (i.spec.includes('src-main/') && !i.typeOnly) ||
          i.spec === 'electron' ||
          i.spec.startsWith('node:') ||
          (i.spec.startsWith('@contract/') && /(desk|service|store|vault|http)/.test(i.spec)),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the compatible surfaces off the store and the vault: they only translate to service calls', () => {
    const offenders = sources('src-main/core/http/surfaces').filter((f) => importsOf(f).some((i) => /\/(store|vault)\//.test(i.spec)));
    expect(offenders).toEqual([]);
  });

  it('gives the HTTP layer the dispatcher and services (http/deps.ts), never the Desk, its store or its vault', () => {
    const files = sources('src-main/core/http');
    // No whitelist: the server, the native routes' page cache and the fast path know only StoreVersion.
    const importers = files.filter((f) => importsOf(f).some((i) => /\/(store|vault)\/|\/desk\.js$/.test(i.spec)));
    expect(importers).toEqual([]);
    const reachers = files.filter((f) => /\.(repo|db|vault)\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(reachers).toEqual([]);
    // The services' row readers are for the services and the gateway: HTTP code gets outputs, never rows.
    const rowReaders = files.filter((f) =>
      /\.(requireRow|findRow|allRows|keyRowsOf|keyRowsOfMany|offeredModelRows)\s*\(/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(rowReaders).toEqual([]);
  });

  it("keeps the shell off the Desk's store and vault: it wires the dispatcher and services (it may name their files)", () => {
    const offenders = sources('src-main/shell').filter((f) => /\.(repo|db|vault)\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps transactions out of the surfaces: a composite write is one service method, never a surface-made transaction', () => {
    const offenders = sources('src-main/core/http/surfaces').filter((f) =>
      /\batomically\s*\(|\.transaction\s*\(|\.(repo|vault|db)\b/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('gives each surface its error and 404 handlers only through its own plugin (http/surfaces/plugin.ts)', () => {
    const offenders = sources('src-main/core/http/surfaces')
      .filter((f) => f !== 'src-main/core/http/surfaces/plugin.ts')
      .filter((f) => /\bset(Error|NotFound)Handler\s*\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
    // Nothing outside picks a shape from a raw path but what never reaches a route (router refusals, parser refusals, the GUI's catch-all).
    const pathReaders = [...sources('src-main/core/http')].filter((f) => /\bsurfaceOfPath\s*\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(pathReaders.sort()).toEqual([
      'src-main/core/http/client-errors.ts',
      'src-main/core/http/server.ts',
      'src-main/core/http/surfaces/index.ts',
      'src-main/core/http/ui.ts',
    ]);
  });

  it('keeps the contract free of Node built-ins so the renderer can load it', () => {
    const offenders = [...sources('src-main/core/contract'), ...sources('src-main/core/catalog')].filter((f) =>
      importsOf(f).some((i) => i.spec.startsWith('node:')),
    );
    expect(offenders).toEqual([]);
  });
});
