import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform, type Storage, type TrackingEvent } from '../../src';
import type { TestBackend } from '../support/backends';

/** Options of {@link runStorageContract}. */
export interface StorageContractOptions {
  name: string;
  create: () => Promise<TestBackend>;
}

/**
 * The behaviour every storage backend must show, run through the platform's commands and queries
 * and, where a promise is about what is stored, through the repositories themselves.
 */
export function runStorageContract({ name, create }: StorageContractOptions): void {
  describe(`storage contract: ${name}`, () => {
    let backend: TestBackend;
    let storage: Storage;
    let platform: Platform;
    let counter = 0;
    const unique = (prefix: string) => `${prefix} ${Date.now()}-${counter++}`;

    beforeAll(async () => {
      backend = await create();
      storage = backend.storage;
      platform = createPlatform({ storage, maxSystemsPerPartner: 3 });
    });
    afterAll(async () => backend?.dispose());

    async function newSystem() {
      const partner = await platform.createPartner({ name: unique('Partner'), email: 'ops@example.com' });
      if (!partner.ok) throw partner.error;
      const added = await platform.addSystem(partner.value.id, { name: 'web' });
      if (!added.ok) throw added.error;
      return { partner: partner.value, ...added.value };
    }

    function event(systemId: string, messageId: string, overrides: Partial<TrackingEvent> = {}): TrackingEvent {
      return {
        systemId,
        messageId,
        type: 'track',
        event: 'Order Completed',
        userId: 'user-1',
        anonymousId: null,
        groupId: null,
        previousId: null,
        properties: { total: 42.5, items: [{ sku: 'a' }, { sku: 'b' }], nested: { deep: [1, 2] } },
        traits: {},
        context: { library: { name: 'test' } },
        integrations: {},
        timestamp: new Date('2026-11-01T10:00:00.123Z'),
        originalTimestamp: new Date('2026-11-01T10:00:05.123Z'),
        sentAt: new Date('2026-11-01T10:00:06.000Z'),
        receivedAt: new Date('2026-11-01T10:00:01.000Z'),
        valid: true,
        validationErrors: [],
        ...overrides,
      };
    }

    it('migrates idempotently', async () => {
      await storage.migrate();
      await storage.migrate();
    });

    describe('partners', () => {
      it('creates, reads and updates a partner', async () => {
        const created = await platform.createPartner({ name: unique('Acme'), email: 'a@acme.test', contactPerson: 'Ana' });
        expect(created.ok).toBe(true);
        if (!created.ok) return;
        const read = await platform.getPartner(created.value.id);
        expect(read.ok && read.value).toEqual(created.value);
        const updated = await platform.updatePartner(created.value.id, { email: 'b@acme.test' });
        expect(updated.ok && updated.value.email).toBe('b@acme.test');
        expect((await storage.partners.findById(created.value.id))?.email).toBe('b@acme.test');
      });

      it('refuses a second partner with the same name in another case', async () => {
        const name = unique('Dup');
        expect((await platform.createPartner({ name, email: 'a@x.test' })).ok).toBe(true);
        const second = await platform.createPartner({ name: name.toUpperCase(), email: 'b@x.test' });
        expect(second.ok).toBe(false);
        if (!second.ok) expect(second.error).toMatchObject({ code: 'conflict', issues: [{ field: 'name' }] });
      });

      it('pages through partners with a cursor, each exactly once', async () => {
        for (let i = 0; i < 5; i++) await platform.createPartner({ name: unique('Paged'), email: 'p@x.test' });
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await platform.listPartners({ limit: 2, cursor });
          if (!page.ok) throw page.error;
          expect(page.value.data.length).toBeLessThanOrEqual(2);
          seen.push(...page.value.data.map((p) => p.id));
          cursor = page.value.nextCursor ?? undefined;
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual([...seen].sort());
        const all = await platform.listPartners({ limit: 500 });
        expect(all.ok && all.value.data.map((p) => p.id)).toEqual(seen);
      });

      it('rolls a failed transaction back entirely', async () => {
        const name = unique('Rollback');
        await expect(
          storage.transaction(async (tx) => {
            await tx.partners.insert({
              id: '018f0000-0000-7000-8000-000000000001',
              name,
              email: 'r@x.test',
              contactPerson: null,
              active: true,
              createdAt: new Date(),
              updatedAt: new Date(),
            });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await storage.partners.findById('018f0000-0000-7000-8000-000000000001')).toBeNull();
      });
    });

    describe('systems and keys', () => {
      it('adds a system with a write key and a secret key that authenticate', async () => {
        const { system, writeKey, secretKey } = await newSystem();
        const write = await platform.authenticateKey(writeKey.key);
        expect(write.ok && write.value).toMatchObject({ kind: 'write', system: { id: system.id } });
        const secret = await platform.authenticateKey(secretKey.key);
        expect(secret.ok && secret.value.kind).toBe('secret');
      });

      it('stores a system\'s own rate limits, and the key lookup sees them', async () => {
        const { system, writeKey } = await newSystem();
        const rateLimits = { ingest: { perSecond: 12.5, burst: 250 }, api: null };
        const changed = await platform.updateSystemSettings(system.id, { rateLimits });
        expect(changed.ok && changed.value.settings.rateLimits).toEqual(rateLimits);
        expect((await storage.systems.findById(system.id))?.settings.rateLimits).toEqual(rateLimits);
        const credential = await storage.keys.findCredential(writeKey.id);
        expect(credential?.system.settings.rateLimits).toEqual(rateLimits);
        const fresh = await newSystem();
        expect((await storage.systems.findById(fresh.system.id))?.settings.rateLimits).toEqual({ ingest: null, api: null });
      });

      it('stores keys only as hashes', async () => {
        const { writeKey } = await newSystem();
        const stored = await storage.keys.findById(writeKey.id);
        const secretPart = writeKey.key.split('_').slice(2).join('_');
        expect(stored).not.toBeNull();
        expect(JSON.stringify(stored)).not.toContain(secretPart);
        expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('rejects a wrong secret for a known key id', async () => {
        const { writeKey } = await newSystem();
        const forged = writeKey.key.slice(0, -4) + (writeKey.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
        expect((await platform.authenticateKey(forged)).ok).toBe(false);
      });

      it('keeps a rotated key working until it is revoked', async () => {
        const { system, writeKey } = await newSystem();
        const rotated = await platform.rotateKey(system.id, writeKey.id);
        if (!rotated.ok) throw rotated.error;
        expect(rotated.value.replacesKeyId).toBe(writeKey.id);
        expect((await platform.authenticateKey(writeKey.key)).ok).toBe(true);
        expect((await platform.authenticateKey(rotated.value.key)).ok).toBe(true);
        expect((await platform.revokeKey(system.id, writeKey.id)).ok).toBe(true);
        expect((await platform.authenticateKey(writeKey.key)).ok).toBe(false);
        expect((await platform.authenticateKey(rotated.value.key)).ok).toBe(true);
      });

      it('stops every key of a deactivated system or partner', async () => {
        const a = await newSystem();
        await platform.deactivateSystem(a.system.id);
        expect((await platform.authenticateKey(a.writeKey.key)).ok).toBe(false);
        const b = await newSystem();
        await platform.deactivatePartner(b.partner.id);
        expect((await platform.authenticateKey(b.secretKey.key)).ok).toBe(false);
      });

      it('enforces the systems-per-partner limit and unique system names', async () => {
        const { partner } = await newSystem();
        const duplicate = await platform.addSystem(partner.id, { name: 'WEB' });
        expect(!duplicate.ok && duplicate.error.code).toBe('conflict');
        expect((await platform.addSystem(partner.id, { name: 'ios' })).ok).toBe(true);
        expect((await platform.addSystem(partner.id, { name: 'android' })).ok).toBe(true);
        const over = await platform.addSystem(partner.id, { name: 'tv' });
        expect(!over.ok && over.error.code).toBe('limit_reached');
      });

      it('lets concurrent additions pass the limit no more than it allows', async () => {
        const partner = await platform.createPartner({ name: unique('Race'), email: 'r@x.test' });
        if (!partner.ok) throw partner.error;
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => platform.addSystem(partner.value.id, { name: `s${i}` })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(3);
        expect(await storage.systems.listByPartner(partner.value.id)).toHaveLength(3);
      });

      it('logs the domain events of a command in the same transaction', async () => {
        const { system, writeKey } = await newSystem();
        const recent = await storage.domainEvents.recent(10);
        expect(recent.map((e) => e.type)).toEqual(expect.arrayContaining(['SystemAdded', 'KeyIssued']));
        expect(recent.find((e) => e.type === 'KeyIssued' && e.keyId === writeKey.id)).toMatchObject({ systemId: system.id });
        expect(recent[0]!.occurredAt).toBeInstanceOf(Date);
      });
    });

    describe('event structures', () => {
      it('versions a structure and lists only the newest version', async () => {
        const { system } = await newSystem();
        const schema = { type: 'object', properties: { total: { type: 'number' } } };
        const v1 = await platform.defineEventStructure(system.id, 'Order Completed', { schema });
        expect(v1.ok && v1.value).toMatchObject({ created: true, structure: { version: 1 } });
        const same = await platform.defineEventStructure(system.id, 'Order Completed', { schema });
        expect(same.ok && same.value).toMatchObject({ created: false, changed: false, structure: { version: 1 } });
        const v2 = await platform.defineEventStructure(system.id, 'Order Completed', { schema: { type: 'object' }, required: true });
        expect(v2.ok && v2.value.structure).toMatchObject({ version: 2, required: true });
        await platform.defineEventStructure(system.id, 'Signed Up', { schema });
        const list = await storage.eventStructures.listCurrent(system.id);
        expect(list.map((s) => [s.eventName, s.version])).toEqual([
          ['Order Completed', 2],
          ['Signed Up', 1],
        ]);
        expect(list[1]!.schema).toEqual(schema);
      });
    });

    describe('events', () => {
      it('round-trips every field exactly', async () => {
        const { system } = await newSystem();
        const original = event(system.id, 'm-roundtrip', {
          valid: false,
          validationErrors: [{ path: '/properties/total', message: 'must be integer' }],
        });
        expect(await storage.events.append([original])).toEqual({ inserted: 1, isNew: [true] });
        const [stored] = await storage.events.list(system.id, { limit: 10 });
        const { seq, ...rest } = stored!;
        expect(seq).toMatch(/^[1-9][0-9]*$/);
        expect(rest).toEqual(original);
      });

      it('stores one event per messageId, within a call and across calls', async () => {
        const { system } = await newSystem();
        const first = await storage.events.append([event(system.id, 'a'), event(system.id, 'b'), event(system.id, 'a')]);
        expect(first).toEqual({ inserted: 2, isNew: [true, true, false] });
        const again = await storage.events.append([event(system.id, 'b'), event(system.id, 'c')]);
        expect(again).toEqual({ inserted: 1, isNew: [false, true] });
        const concurrent = await Promise.all(
          Array.from({ length: 5 }, () => storage.events.append([event(system.id, 'd'), event(system.id, 'e')])),
        );
        expect(concurrent.reduce((n, r) => n + r.inserted, 0)).toBe(2);
        expect((await storage.events.list(system.id, { limit: 100 })).map((e) => e.messageId).sort()).toEqual([
          'a',
          'b',
          'c',
          'd',
          'e',
        ]);
      });

      it('keeps the same messageId of two systems apart', async () => {
        const a = await newSystem();
        const b = await newSystem();
        await storage.events.append([event(a.system.id, 'shared'), event(b.system.id, 'shared')]);
        expect(await storage.events.list(a.system.id, { limit: 10 })).toHaveLength(1);
        expect(await storage.events.list(b.system.id, { limit: 10 })).toHaveLength(1);
      });

      it('lists newest first, pages by cursor and filters on validity', async () => {
        const { system } = await newSystem();
        for (let i = 0; i < 7; i++) await storage.events.append([event(system.id, `p${i}`, { valid: i % 2 === 0 })]);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await platform.listEvents(system.id, { limit: 3, cursor });
          if (!page.ok) throw page.error;
          seen.push(...page.value.data.map((e) => e.messageId));
          cursor = page.value.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
        const flagged = await platform.listEvents(system.id, { valid: false });
        expect(flagged.ok && flagged.value.data.map((e) => e.messageId)).toEqual(['p5', 'p3', 'p1']);
      });

      it('round-trips nulls, unicode and JSON that needs escaping', async () => {
        const { system } = await newSystem();
        const tricky = event(system.id, 'tricky "quoted" {id}, with\\backslash', {
          event: null,
          userId: null,
          anonymousId: 'anon "x" ünïcødé 🎉',
          originalTimestamp: null,
          sentAt: null,
          properties: { quote: '"', braces: '{}', comma: 'a,b', backslash: '\\', nul: 'x\u0001y', emoji: '🎉', arr: [null, true, 1.5] },
        });
        expect((await storage.events.append([tricky])).inserted).toBe(1);
        const [stored] = await storage.events.list(system.id, { limit: 1 });
        const { seq: _seq, ...rest } = stored!;
        expect(rest).toEqual(tricky);
      });

      it('filters by name, identity, type and time, each alone and together', async () => {
        const { system } = await newSystem();
        const at = (iso: string) => new Date(iso);
        await storage.events.append([
          event(system.id, 'f1', { event: 'A', userId: 'u1', timestamp: at('2026-01-01T00:00:00Z') }),
          event(system.id, 'f2', { event: 'B', userId: 'u1', timestamp: at('2026-01-02T00:00:00Z') }),
          event(system.id, 'f3', { type: 'page', event: 'Home', userId: null, anonymousId: 'a1', timestamp: at('2026-01-03T00:00:00Z') }),
          event(system.id, 'f4', { event: 'A', userId: 'u2', timestamp: at('2026-01-04T00:00:00Z') }),
        ]);
        const ids = async (filters: Omit<Parameters<Storage['events']['list']>[1], 'limit'>) =>
          (await storage.events.list(system.id, { limit: 100, ...filters })).map((e) => e.messageId);
        expect(await ids({ event: 'A' })).toEqual(['f4', 'f1']);
        expect(await ids({ userId: 'u1' })).toEqual(['f2', 'f1']);
        expect(await ids({ anonymousId: 'a1' })).toEqual(['f3']);
        expect(await ids({ type: 'page' })).toEqual(['f3']);
        expect(await ids({ from: at('2026-01-02T00:00:00Z'), to: at('2026-01-04T00:00:00Z') })).toEqual(['f3', 'f2']);
        expect(await ids({ event: 'A', from: at('2026-01-02T00:00:00Z') })).toEqual(['f4']);
      });

      it('stores a large batch in one call', async () => {
        const { system } = await newSystem();
        const batch = Array.from({ length: 3500 }, (_, i) => event(system.id, `big-${i}`));
        const result = await storage.events.append(batch);
        expect(result.inserted).toBe(3500);
        expect(result.isNew.every(Boolean)).toBe(true);
      });
    });

    describe('settings', () => {
      it('stores a value only once', async () => {
        expect(await storage.settings.putIfAbsent('contract-test', 'one')).toBe(true);
        expect(await storage.settings.putIfAbsent('contract-test', 'two')).toBe(false);
        expect(await storage.settings.get('contract-test')).toBe('one');
        expect(await storage.settings.get('missing')).toBeNull();
      });
    });
  });
}
