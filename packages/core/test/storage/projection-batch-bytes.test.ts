import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Projector, type TrackingEvent } from '../../src';
import { BATCH_PROPERTY_BYTES } from '../../src/storage/sql/sql-projection';
import { backendEnabled, backends } from '../support/backends';

const SYSTEM = '018f0000-0000-7000-8000-0000000000cc';
// Random text barely compresses: each event stores ~32 KB of properties, the most ingestion accepts.
const LARGE_EVENTS = Math.ceil((BATCH_PROPERTY_BYTES * 1.5) / 32_000);

describe.each(['pglite', 'postgres'] as const)('projector batches on %s', (name) => {
  it.runIf(backendEnabled(name))('stop after the batch property budget, keep the first event whatever its size, and project every event', async () => {
    const { storage, dispose } = await backends[name]();
    try {
      const at = new Date('2026-01-01T10:00:00Z');
      const event = (i: number, bytes: number): TrackingEvent => ({
        systemId: SYSTEM, messageId: `b${i}`, type: 'track', event: 'Large', userId: `u${i % 7}`, anonymousId: null, groupId: null,
        previousId: null, properties: { blob: randomBytes(bytes * 0.75).toString('base64') }, traits: {}, context: {}, integrations: {},
        timestamp: at, originalTimestamp: null, sentAt: null, receivedAt: at, valid: true, validationErrors: [],
      });
      // One event larger than the whole budget, then many at the ingestion limit.
      await storage.events.append([event(0, BATCH_PROPERTY_BYTES + 1000)]);
      for (let i = 1; i <= LARGE_EVENTS; i += 50) {
        await storage.events.append(Array.from({ length: Math.min(50, LARGE_EVENTS - i + 1) }, (_, k) => event(i + k, 32_000)));
      }

      expect(await storage.projection.projectBatch(5000)).toBe(1);
      const second = await storage.projection.projectBatch(5000);
      expect(second).toBeGreaterThan(BATCH_PROPERTY_BYTES / 34_000);
      expect(second).toBeLessThan(BATCH_PROPERTY_BYTES / 30_000 + 2);
      await new Projector(storage).catchUp();
      const status = await storage.analytics.status();
      expect(status).toMatchObject({ projectedEvents: LARGE_EVENTS + 1, behindEvents: 0 });
      const top = await storage.analytics.topEvents({ systemId: SYSTEM, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z'), limit: 5 });
      expect(top).toEqual([{ event: 'Large', count: LARGE_EVENTS + 1 }]);
    } finally {
      await dispose();
    }
  }, 60_000);
});
