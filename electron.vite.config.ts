import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin, ViteDevServer } from 'vite';
import react from '@vitejs/plugin-react';
import { devRendererCsp } from './src-main/core/http/csp.js';

const contract = resolve(__dirname, 'src-main/core/contract');

const CSP_META = /<meta\b[^>]*\bhttp-equiv="Content-Security-Policy"[^>]*>/i;
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * `npm run dev` only: index.html's CSP becomes the dev policy — the production one plus the hashes of the inline
 * scripts the dev server adds (React's refresh preamble) and the dev server's HMR websocket. Nothing broader.
 */
function devCsp(): Plugin {
  let server: ViteDevServer | undefined;
  return {
    name: 'provider-desk:dev-csp',
    apply: 'serve',
    configureServer(devServer) {
      server = devServer;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!CSP_META.test(html)) throw new Error('src-renderer/index.html has no Content-Security-Policy <meta>');
        const inlineScriptHashes = [...html.matchAll(INLINE_SCRIPT)].map(
          ([, code = '']) => `sha256-${createHash('sha256').update(code).digest('base64')}`,
        );
        const pageUrl = server?.resolvedUrls?.local[0] ?? `http://localhost:${server?.config.server.port ?? 5173}/`;
        const websocketOrigin = new URL(pageUrl).origin.replace(/^http/, 'ws');
        const meta = `<meta http-equiv="Content-Security-Policy" content="${devRendererCsp({ inlineScriptHashes, websocketOrigin })}" />`;
        // First in <head>: a <meta> policy governs only what comes after it, and the dev server prepends its scripts.
        return html.replace(CSP_META, '').replace(/<head>/i, `<head>\n    ${meta}`);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/index.ts') } },
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias: { '@contract': contract } },
    plugins: [react(), devCsp()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
