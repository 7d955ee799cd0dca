import { copyFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
const define = { __SDK_VERSION__: JSON.stringify(version) };
// Browsers from 2020 on (optional chaining, `??`): no down-levelling, so the script stays small.
const target = 'es2020';

export default defineConfig([
  {
    // For bundlers (ESM) and CommonJS tooling. The wire types come from core's types-only protocol
    // subpath and are inlined, so the SDK has no runtime dependency on core.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: { resolve: [/^@volcanion-tracking\/core/] },
    sourcemap: true,
    platform: 'browser',
    target,
    define,
  },
  {
    // For a <script> tag: one minified file that sets window.volcanion (see src/browser.ts).
    entry: { volcanion: 'src/browser.ts' },
    format: ['iife'],
    minify: true,
    platform: 'browser',
    target,
    define,
    outExtension: () => ({ js: '.min.js' }),
    // No "use strict" prologue: the code is strict-safe as written, and every byte counts here.
    // Its types (`window.volcanion`) are written by hand.
    onSuccess: () => copyFile('src/volcanion.min.d.ts', 'dist/volcanion.min.d.ts'),
    esbuildOptions(options) {
      delete options.tsconfig;
      options.tsconfigRaw = { compilerOptions: { alwaysStrict: false } };
    },
  },
]);
