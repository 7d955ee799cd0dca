import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  // The wire types come from core's types-only protocol subpath and are inlined, so the SDK has no
  // runtime dependency on the server's code. tsup's `dts.resolve` cannot do it: its resolver ignores
  // package.json `exports`, so it cannot find the `/protocol` subpath and leaves the import in place
  // (a dangling import of a package the SDK does not depend on). Mapping the subpath to its source
  // makes rollup-plugin-dts treat it as our own code and inline it.
  dts: {
    compilerOptions: {
      paths: { '@volcanion-tracking/core/protocol': ['../core/src/protocol/index.ts'] },
    },
  },
  sourcemap: true,
  target: 'node20',
  define: { __SDK_VERSION__: JSON.stringify(version) },
});
