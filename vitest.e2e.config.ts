import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// GUI end-to-end tests: Debian's Chromium (playwright) against the built renderer served by the real backend.
// Run `npm run build` (or `npx electron-vite build`) first.
export default defineConfig({
  resolve: { alias: { '@contract': resolve(import.meta.dirname, 'src-main/core/contract') } },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
