#!/usr/bin/env node
// Builds the CLI and the headless server (src-main/cli/main.ts) into out/cli as plain JavaScript, so that
// `provider-desk` runs without a TypeScript compiler. Run by `npm run build`, `npm pack`, and by bin/provider-desk.mjs
// in a checkout whose build is missing or older than its sources. Each dynamic import() becomes its own chunk: a
// command loads only its own modules.
//
// Files are replaced one by one (write then rename), never deleted at once: a `serve` started from an earlier build
// still finds the chunks it loads lazily (the probe engine on its first test). Chunk names carry a content hash, so
// an unchanged chunk keeps its file; files of older builds are removed once they are a day old.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'out/cli');
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
// The sources as they were when the build started: a file saved during the build makes it stale again.
const startedAt = new Date();

/** What `packages: 'external'` does, except for the packages named: every other bare import stays an import. */
function externalPackagesBut(bundled) {
  return {
    name: 'external-packages-but',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return bundled.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src-main/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Dependencies stay in node_modules (better-sqlite3 is a native addon; the others are installed with the package),
  // except zod: some eighty small ES modules that most commands load, each found, read and linked at every start
  // (~30 ms of `serve`'s); bundled, they are read as part of the chunk that defines the contract.
  plugins: [externalPackagesBut(['zod'])],
  chunkNames: 'chunks/[name]-[hash]',
  entryNames: '[name]',
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});

const written = new Set();
for (const file of result.outputFiles) {
  written.add(file.path);
  mkdirSync(join(file.path, '..'), { recursive: true });
  let same = false;
  try {
    same = readFileSync(file.path).equals(file.contents);
  } catch {
    // not there yet
  }
  if (same) continue;
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}

function removeStale(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeStale(path);
    else if (!written.has(path) && Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { force: true });
  }
}
removeStale(outdir);

// main.js's time says which sources the build holds (bin/provider-desk.mjs compares), also when its bytes are unchanged.
const main = join(outdir, 'main.js');
utimesSync(main, startedAt, startedAt);
if (!process.argv.includes('--quiet')) console.log(`CLI built: ${relative(root, main)} and ${result.outputFiles.length - 1} more files`);
