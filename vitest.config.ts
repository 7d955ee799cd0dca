import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const core = (path: string) => fileURLToPath(new URL(`./packages/core/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against source for fast feedback; the CLI tests and publint/attw cover what ships in dist/.
    alias: [
      { find: /^@volcanion-tracking\/core$/, replacement: core('index.ts') },
      { find: /^@volcanion-tracking\/core\/memory$/, replacement: core('storage/memory/index.ts') },
      { find: /^@volcanion-tracking\/core\/postgres$/, replacement: core('storage/postgres/index.ts') },
      { find: /^@volcanion-tracking\/core\/pglite$/, replacement: core('storage/pglite/index.ts') },
      { find: /^@volcanion-tracking\/core\/protocol$/, replacement: core('protocol/index.ts') },
      { find: /^@volcanion-tracking\/core\/redis$/, replacement: core('storage/redis/index.ts') },
    ],
  },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances and spawned servers are heavy on 2 cores; a few files at a time keeps timings sane.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
