import { describe, expect, it } from 'vitest';
import { Projector, type Storage } from '../../src';
import { backendEnabled, backends } from '../support/backends';
import { trackCall } from '../support/track-call';

const SYSTEM = '018f0000-0000-7000-8000-0000000000ee';
const BACKLOG = 6000;
const BATCH = 1000;

async function appendBacklog(storage: Storage): Promise<void> {
  const at = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < BACKLOG; i += 1000) {
    await storage.events.append(
      Array.from({ length: 1000 }, (_, k) =>
        trackCall({
          systemId: SYSTEM, messageId: `y${i + k}`, event: `E${(i + k) % 10}`, userId: `u${(i + k) % 300}`, anonymousId: null,
          properties: { n: i + k }, timestamp: new Date(at + (i + k) * 1000), receivedAt: new Date(at),
        }),
      ),
    );
  }
}

// PGlite answers in this thread without waiting on a socket: the projector must hand the event loop
// back between batches, or the server it runs in serves nothing until the backlog is done.
describe.each(['pglite', 'postgres'] as const)('the projector working through a backlog on %s', (name) => {
  it.runIf(backendEnabled(name))('lets timers fire between batches, in catch-up and in the background', async () => {
    const { storage, dispose } = await backends[name]();
    try {
      await appendBacklog(storage);
      let firedDuringCatchUp = false;
      setTimeout(() => (firedDuringCatchUp = true), 1);
      expect(await new Projector(storage, { batchSize: BATCH }).catchUp()).toBe(BACKLOG);
      expect(firedDuringCatchUp).toBe(true);

      await storage.projection.reset();
      const projector = new Projector(storage, { batchSize: BATCH });
      projector.start();
      try {
        const behindWhenTimerFired = await new Promise<number>((resolve) => setTimeout(() => resolve(storage.analytics.status().then((s) => s.behindEvents)), 1));
        expect(behindWhenTimerFired).toBeGreaterThan(0);
      } finally {
        await projector.stop();
      }
    } finally {
      await dispose();
    }
  }, 60_000);
});
