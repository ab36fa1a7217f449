import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer imports the contract as @contract/* (as electron-vite resolves it); its store tests need the same alias.
  resolve: { alias: { '@contract': resolve(import.meta.dirname, 'src-main/core/contract') } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Run through Vite so that a test's stand-in `electron` module reaches electron-store's own import of it.
    server: { deps: { inline: ['electron-store'] } },
  },
});
