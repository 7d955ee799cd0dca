import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const frameworks = ['express', 'koa', 'fastify', 'hono'];

/** The framework packages a fresh Node process has loaded after requiring one built entry. */
function frameworksLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(dist + entry)});
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify(${JSON.stringify(frameworks)}.filter((f) => loaded.some((p) => p.includes('/node_modules/' + f + '/')))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe('adapters as published', () => {
  it.each(['express.cjs', 'koa.cjs', 'fastify.cjs', 'node.cjs', 'index.cjs'])('%s loads no web framework at all', (entry) => {
    expect(frameworksLoadedBy(entry)).toEqual([]);
  });
});
