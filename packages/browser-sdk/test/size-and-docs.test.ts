import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { snippet } from '../src/snippet';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SCRIPT = file('../dist/volcanion.min.js');
const LIMIT = 3072;

describe('the <script> build', () => {
  it(`is at most ${LIMIT} bytes minified and gzipped, as the README says`, () => {
    expect(existsSync(SCRIPT), 'run `pnpm -C packages/browser-sdk build` before the tests').toBe(true);
    const size = gzipSync(readFileSync(SCRIPT)).length;
    expect(size).toBeLessThanOrEqual(LIMIT);
    // The figure the README and the docs show is current (update them when the size changes).
    const figure = `${size.toLocaleString('en-US')} bytes`;
    const stale = 'the size changed: update the figure in packages/browser-sdk/README.md and docs/browser-sdk.md';
    expect(readFileSync(file('../README.md'), 'utf8'), stale).toContain(`**Size: ${figure}**`);
    expect(readFileSync(file('../../../docs/browser-sdk.md'), 'utf8'), stale).toContain(`is ${figure} minified and gzipped`);
  });

  it('is a classic script: no import, export or source map reference', () => {
    const code = readFileSync(SCRIPT, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toContain('sourceMappingURL');
  });
});

describe('the documented snippet', () => {
  it('is what snippet() makes', () => {
    const expected = snippet({ src: 'https://cdn.example/volcanion.min.js', writeKey: 'YOUR_WRITE_KEY', options: { host: 'https://collect.example' }, page: true });
    for (const doc of ['../../../docs/browser-sdk.md', '../README.md']) expect(readFileSync(file(doc), 'utf8')).toContain(`<script>\n${expected}\n</script>`);
  });
});

describe('the published builds', () => {
  it('load in Node without a browser (server-side rendering) and export the API', async () => {
    // By URL, so that typechecking does not depend on dist/ having been built.
    const esm = await import(new URL('../dist/index.js', import.meta.url).href);
    const cjs = createRequire(import.meta.url)('../dist/index.cjs');
    for (const build of [esm, cjs]) {
      expect(Object.keys(build).sort()).toEqual(['createVolcanion', 'snippet', 'volcanion']);
      expect(() => build.volcanion.track('On the server')).not.toThrow();
      expect(build.snippet({ src: '/v.js' })).toContain('"/v.js"');
    }
  });
});
