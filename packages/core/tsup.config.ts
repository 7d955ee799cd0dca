import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    memory: 'src/storage/memory/index.ts',
    postgres: 'src/storage/postgres/index.ts',
    pglite: 'src/storage/pglite/index.ts',
    redis: 'src/storage/redis/index.ts',
    protocol: 'src/protocol/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
});
