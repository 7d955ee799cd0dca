import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Projector, type TrackingEvent } from '../../src';
import { BATCH_PROPERTY_BYTES } from '../../src/storage/sql/sql-projection';
import { backendEnabled, backends } from '../support/backends';
import { trackCall } from '../support/track-call';

const SYSTEM = '018f0000-0000-7000-8000-0000000000cc';
// Random text barely compresses: each event stores ~32 KB of properties, the most ingestion accepts.
const LARGE_EVENTS = Math.ceil((BATCH_PROPERTY_BYTES * 1.5) / 32_000);

describe.each(['pglite', 'postgres'] as const)('projector batches on %s', (name) => {
  it.runIf(backendEnabled(name))('stop after the batch property budget, keep the first event whatever its size, and project every event', async () => {
    const { storage, dispose } = await backends[name]();
    try {
      const event = (i: number, bytes: number) => trackLarge(i, { blob: randomBytes(bytes * 0.75).toString('base64') });
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

  it.runIf(backendEnabled(name))('measure compressed properties as the JSON text the projector receives', async () => {
    const { storage, dispose } = await backends[name]();
    try {
      // ~29 KB of JSON text that the database stores compressed to ~1 KB.
      const items = Array.from({ length: 800 }, () => ({ sku: 'A-1', qty: 1, price: 9.99 }));
      const textBytes = JSON.stringify({ items }).length;
      const count = Math.ceil((BATCH_PROPERTY_BYTES * 1.5) / textBytes);
      for (let i = 0; i < count; i += 50) {
        await storage.events.append(Array.from({ length: Math.min(50, count - i) }, (_, k) => trackLarge(i + k, { items })));
      }

      const first = await storage.projection.projectBatch(5000);
      expect(first).toBeGreaterThan(BATCH_PROPERTY_BYTES / (textBytes * 1.2));
      expect(first).toBeLessThan(BATCH_PROPERTY_BYTES / (textBytes * 0.8) + 2);
      await new Projector(storage).catchUp();
      expect(await storage.analytics.status()).toMatchObject({ projectedEvents: count, behindEvents: 0 });
    } finally {
      await dispose();
    }
  }, 60_000);
});

function trackLarge(i: number, properties: Record<string, unknown>): TrackingEvent {
  return trackCall({ systemId: SYSTEM, messageId: `b${i}`, event: 'Large', userId: `u${i % 7}`, anonymousId: null, timestamp: new Date('2026-01-01T10:00:00Z'), properties });
}
