import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../support/spawn-server';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

/** The shell blocks of the README's quickstart section, in order. */
function quickstartBlocks(): string[] {
  const section = readme.split('## Quickstart with curl')[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('README quickstart', () => {
  it('works as written against a freshly started server', async () => {
    const [start, session] = quickstartBlocks();
    const token = /VOLCANION_ADMIN_TOKEN=(\S+)/.exec(start!)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'vt-readme-'));
    // Same server and token as the README's start line; only the port is free-picked so tests never collide.
    const server = await spawnServer(['--data-dir', join(dir, 'data')], { VOLCANION_ADMIN_TOKEN: token });
    try {
      const script = session!.replaceAll('http://127.0.0.1:3000', server.url);
      const output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
      expect(output).toContain('{"success":true}');
      const listing = JSON.parse(output.trim().split('\n').at(-1)!);
      expect(listing.data).toHaveLength(1);
      expect(listing.data[0]).toMatchObject({ type: 'track', event: 'Order Completed', userId: 'user-1', properties: { total: 42 } });
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
