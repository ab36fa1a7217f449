import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFromFile } from 'electron-vite';
import { build, createServer, type InlineConfig } from 'vite';
import { tempDir, startTestServer } from '../helpers/desk.js';
import { fakeElectron } from '../helpers/fake-electron.js';
import { RENDERER_CSP, RENDERER_META_CSP } from '../../src-main/core/http/csp.js';

vi.mock('electron', async () => (await import('../helpers/fake-electron.js')).electronModule);
const { createMainWindow } = await import('../../src-main/shell/window.js');

const root = join(import.meta.dirname, '../..');

/** The renderer's part of electron.vite.config.ts, as electron-vite loads it for `dev` (serve) or `build`. */
async function rendererConfig(command: 'serve' | 'build'): Promise<InlineConfig> {
  const loaded = await loadConfigFromFile({ command, mode: command === 'serve' ? 'development' : 'production' }, undefined, root);
  const config = loaded.config as { renderer?: InlineConfig };
  if (!config.renderer) throw new Error('electron.vite.config.ts has no renderer config');
  return config.renderer;
}

type Policy = Map<string, string[]>;

function parsePolicy(text: string): Policy {
  return new Map(
    text
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

function metaPolicy(html: string): string {
  const metas = [...html.matchAll(/<meta\b[^>]*http-equiv="Content-Security-Policy"[^>]*>/gi)];
  expect(metas).toHaveLength(1);
  const content = /\bcontent="([^"]*)"/.exec(metas[0]![0])?.[1];
  expect(content).toBeDefined();
  return content!;
}

/** A <meta> policy governs only what comes after it. */
function expectPolicyBeforeEveryScript(html: string): void {
  const meta = html.search(/<meta\b[^>]*http-equiv="Content-Security-Policy"/i);
  expect(meta).toBeGreaterThan(-1);
  expect(html.slice(0, meta)).not.toMatch(/<script\b|<link\b|<style\b/i);
}

function scripts(html: string): Array<{ src: string | undefined; code: string }> {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map(([, attributes = '', code = '']) => ({
    src: /\bsrc="([^"]*)"/.exec(attributes)?.[1],
    code,
  }));
}

const sha256 = (code: string) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`;

describe('the renderer CSP in production', () => {
  const out = tempDir('pd-renderer-');
  let html = '';

  beforeAll(async () => {
    const config = await rendererConfig('build');
    // What `electron-vite build` does for the renderer: relative asset paths, for file:// loads.
    await build({
      ...config,
      configFile: false,
      base: './',
      logLevel: 'silent',
      cacheDir: join(out.path, '.vite'),
      build: { ...config.build, outDir: join(out.path, 'renderer'), emptyOutDir: true, reportCompressedSize: false },
    });
    html = readFileSync(join(out.path, 'renderer/index.html'), 'utf8');
  }, 60_000);
  afterAll(() => out.remove());

  it('is in the built index.html as a <meta>: the header policy without what a <meta> cannot say', () => {
    expect(metaPolicy(html)).toBe(RENDERER_META_CSP);
    const header = parsePolicy(RENDERER_CSP);
    header.delete('frame-ancestors');
    expect(parsePolicy(metaPolicy(html))).toEqual(header);
    expect(parsePolicy(RENDERER_CSP).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows every script the built page loads, and nothing inline', () => {
    const policy = parsePolicy(metaPolicy(html));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expectPolicyBeforeEveryScript(html);
    const found = scripts(html);
    expect(found.length).toBeGreaterThan(0);
    for (const script of found) {
      expect(script.src).toMatch(/^\.\/assets\/[\w.-]+\.js$/);
      expect(script.code.trim()).toBe('');
    }
  });

  it('is the policy the server sends with the page in browser mode (serve --ui)', async () => {
    const server = await startTestServer({}, { uiDir: join(out.path, 'renderer') });
    try {
      const page = await server.request('/', { noAuth: true });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
      expect(metaPolicy(page.text)).toBe(RENDERER_META_CSP);
    } finally {
      await server.close();
    }
  });

  it('is sent by the desktop window for the built page only, never for the dev server', () => {
    const dir = tempDir();
    const fake = fakeElectron(dir.path);
    createMainWindow(fake.deps.BrowserWindow as never, { preloadPath: '/p.cjs', indexHtml: '/app/out/renderer/index.html' });
    const built = fake.windows[0]!.headersReceived!;
    expect(built.filter).toEqual({ urls: ['file://*/*'] });
    let headers: Record<string, string[]> = {};
    built.listener({ responseHeaders: { 'X-Other': ['kept'] } }, (response: { responseHeaders: Record<string, string[]> }) => {
      headers = response.responseHeaders;
    });
    expect(headers).toEqual({ 'X-Other': ['kept'], 'Content-Security-Policy': [RENDERER_CSP] });

    createMainWindow(fake.deps.BrowserWindow as never, { preloadPath: '/p.cjs', indexHtml: '/x', devUrl: 'http://localhost:5173/' });
    expect(fake.windows[1]!.headersReceived).toBeUndefined();
    expect(fake.windows[1]!.loaded).toBe('http://localhost:5173/');
    dir.remove();
  });
});

describe('the renderer CSP in `npm run dev`', () => {
  const cache = tempDir('pd-vite-cache-');
  let server: Awaited<ReturnType<typeof createServer>>;
  let html = '';
  let origin = '';

  beforeAll(async () => {
    const config = await rendererConfig('serve');
    server = await createServer({
      ...config,
      configFile: false,
      logLevel: 'silent',
      cacheDir: cache.path,
      optimizeDeps: { noDiscovery: true, include: [] },
      server: { host: 'localhost', port: 0, hmr: true },
    });
    await server.listen();
    const url = server.resolvedUrls!.local[0]!;
    origin = new URL(url).origin;
    html = await (await fetch(url)).text();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    cache.remove();
  });

  it("allows the dev server's inline preamble by its hash, and no other inline script", () => {
    expectPolicyBeforeEveryScript(html);
    const policy = parsePolicy(metaPolicy(html));
    const inline = scripts(html).filter((s) => s.src === undefined);
    // @vitejs/plugin-react's refresh preamble: the inline script that a plain 'self' policy blocks (a blank window).
    expect(inline.map((s) => s.code).join('\n')).toContain('injectIntoGlobalHook');
    expect(policy.get('script-src')).toEqual(["'self'", ...inline.map((s) => sha256(s.code))]);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('script-src')).not.toContain("'unsafe-eval'");
    // Every other script comes from the dev server itself.
    for (const script of scripts(html).filter((s) => s.src !== undefined)) expect(script.src).toMatch(/^\.?\/(?!\/)/);
  });

  it("adds only the dev server's HMR websocket to what the production policy allows", () => {
    const policy = parsePolicy(metaPolicy(html));
    expect(policy.get('connect-src')).toEqual(["'self'", origin.replace(/^http/, 'ws')]);
    const production = parsePolicy(RENDERER_META_CSP);
    for (const name of ['script-src', 'connect-src']) {
      policy.delete(name);
      production.delete(name);
    }
    expect(policy).toEqual(production);
  });
});
