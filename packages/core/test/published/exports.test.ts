import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Runs against dist/, as a user's `import` and `require` would: a broken specifier in the ESM build
// (say, a missing `.js` on a CommonJS package's deep path) only shows up here.
const packages = ['core', 'server-adapter'] as const;

describe.each(packages)('@volcanion-tracking/%s as published', (name) => {
  const root = new URL(`../../../${name}/`, import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    exports: Record<string, string | { import: { default: string }; require: { default: string } }>;
  };
  const require = createRequire(new URL('package.json', root));
  const entries = Object.entries(manifest.exports).filter(([, target]) => typeof target !== 'string');

  it.each(entries)('%s loads as ESM and as CJS with the same exports', async (_subpath, target) => {
    const { import: esm, require: cjs } = target as { import: { default: string }; require: { default: string } };
    const viaImport = await import(new URL(esm.default, root).href);
    const viaRequire = require(new URL(cjs.default, root).pathname);
    expect(Object.keys(viaRequire).sort()).toEqual(Object.keys(viaImport).sort());
  });
});
