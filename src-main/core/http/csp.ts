/**
 * The renderer's Content-Security-Policy: one policy however the page is loaded — sent as a header in browser mode
 * (`serve --ui`) and by the desktop window, and written as a `<meta>` in `src-renderer/index.html` for `file://` loads
 * (where Electron's docs put it). No imports: the Vite config and the shell read it too.
 */
export const RENDERER_CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // React sets style attributes (virtualised rows, progress bars).
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'self'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a `<meta>` policy cannot carry (browsers ignore them there): they go in the header only. */
export const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'] as const;

export function serializeCsp(directives: ReadonlyArray<readonly [string, string]>): string {
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

/** The policy as a header. */
export const RENDERER_CSP = serializeCsp(RENDERER_CSP_DIRECTIVES);

/** The same policy as `index.html`'s `<meta http-equiv="Content-Security-Policy">` carries it. */
export const RENDERER_META_CSP = serializeCsp(
  RENDERER_CSP_DIRECTIVES.filter(([name]) => !(HEADER_ONLY_DIRECTIVES as readonly string[]).includes(name)),
);

/**
 * `npm run dev`: the page comes from Vite's dev server, which adds inline scripts (@vitejs/plugin-react's refresh
 * preamble) and talks to its HMR websocket. Only those are added: each inline script by its hash, and the dev
 * server's own websocket origin.
 */
export function devRendererCsp(options: { inlineScriptHashes: readonly string[]; websocketOrigin: string }): string {
  const hashes = options.inlineScriptHashes.map((hash) => `'${hash}'`);
  return serializeCsp(
    RENDERER_CSP_DIRECTIVES.filter(([name]) => !(HEADER_ONLY_DIRECTIVES as readonly string[]).includes(name)).map(([name, value]) => {
      if (name === 'script-src') return [name, [value, ...hashes].join(' ')] as const;
      if (name === 'connect-src') return [name, `${value} ${options.websocketOrigin}`] as const;
      return [name, value] as const;
    }),
  );
}
