import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../storage/memory';
import { InvalidInputError, OverloadedError, StorageUnavailableError } from '../shared/errors';
import type { AppendResult, EventStore } from './event-store';
import { GroupCommitter } from './group-committer';
import type { TrackingEvent } from './tracking-event';

function event(messageId: string): TrackingEvent {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    systemId: '018f0000-0000-7000-8000-000000000001',
    messageId,
    type: 'track',
    event: 'E',
    userId: 'u',
    anonymousId: null,
    groupId: null,
    previousId: null,
    properties: {},
    traits: {},
    context: {},
    integrations: {},
    timestamp: at,
    originalTimestamp: null,
    sentAt: null,
    receivedAt: at,
    valid: true,
    validationErrors: [],
  };
}

/** The memory event store, recording each append's size, optionally slowed or failing. */
function recordingStore(options: { delayMs?: number; fail?: (events: readonly TrackingEvent[]) => Error | null } = {}) {
  const inner = createMemoryStorage().events;
  const calls: number[] = [];
  const store: EventStore = {
    async append(events): Promise<AppendResult> {
      calls.push(events.length);
      await new Promise((r) => setTimeout(r, options.delayMs ?? 0));
      const failure = options.fail?.(events);
      if (failure) throw failure;
      return inner.append(events);
    },
    list: (systemId, o) => inner.list(systemId, o),
  };
  return { store, calls, inner };
}

describe('GroupCommitter', () => {
  it('commits requests of one event-loop turn, and those arriving while a writer is busy, in one transaction each', async () => {
    const { store, calls } = recordingStore({ delayMs: 20 });
    const committer = new GroupCommitter(store, { concurrency: 1 });
    const sameTurn = Array.from({ length: 5 }, (_, i) => committer.append([event(`t${i}`)], 100));
    await new Promise((r) => setTimeout(r, 5));
    const whileBusy = Array.from({ length: 10 }, (_, i) => committer.append([event(`m${i}`), event(`n${i}`)], 100));
    const results = await Promise.all([...sameTurn, ...whileBusy]);
    expect(calls).toEqual([5, 20]);
    expect(results.every((r) => r.inserted === r.isNew.length && r.isNew.every(Boolean))).toBe(true);
  });

  it('tells each request which of its own events were duplicates', async () => {
    const { store } = recordingStore({ delayMs: 5 });
    const committer = new GroupCommitter(store, { concurrency: 1 });
    await committer.append([event('a')], 10);
    const [one, two] = await Promise.all([
      committer.append([event('a'), event('b')], 10),
      committer.append([event('b'), event('c')], 10),
    ]);
    expect(one).toEqual({ inserted: 1, isNew: [false, true] });
    expect(two).toEqual({ inserted: 1, isNew: [false, true] });
  });

  it('bounds a transaction by rows and by bytes', async () => {
    const { store, calls } = recordingStore({ delayMs: 10 });
    const committer = new GroupCommitter(store, { concurrency: 1, maxRows: 3, maxBytes: 1000 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => committer.append([event(`r${i}`)], 1)));
    expect(calls).toEqual([3, 3, 1]);
    calls.length = 0;
    await Promise.all(Array.from({ length: 3 }, (_, i) => committer.append([event(`b${i}`)], 600)));
    expect(calls).toEqual([1, 1, 1]);
  });

  it('waits up to maxWaitMs for company when configured', async () => {
    const { store, calls } = recordingStore();
    const committer = new GroupCommitter(store, { concurrency: 1, maxWaitMs: 30 });
    const a = committer.append([event('a')], 1);
    await new Promise((r) => setTimeout(r, 5));
    const b = committer.append([event('b')], 1);
    await Promise.all([a, b]);
    expect(calls).toEqual([2]);
  });

  it('refuses with OverloadedError instead of queueing without bound', async () => {
    const { store } = recordingStore({ delayMs: 30 });
    const committer = new GroupCommitter(store, { concurrency: 1, maxQueuedRows: 5 });
    const inFlight = committer.append([event('x')], 1);
    await Promise.resolve();
    const queued = committer.append([event('q1'), event('q2'), event('q3'), event('q4')], 1);
    await expect(committer.append([event('q5'), event('q6')], 1)).rejects.toBeInstanceOf(OverloadedError);
    await expect(Promise.all([inFlight, queued])).resolves.toHaveLength(2);
  });

  it('fails every request of a transaction the database could not commit', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { store, inner } = recordingStore({ delayMs: 5, fail: () => down });
    const committer = new GroupCommitter(store, { concurrency: 1 });
    const results = await Promise.allSettled([committer.append([event('a')], 1), committer.append([event('b')], 1)]);
    for (const r of results) expect(r.status === 'rejected' && r.reason).toBeInstanceOf(StorageUnavailableError);
    expect(await inner.list('018f0000-0000-7000-8000-000000000001', { limit: 10 })).toEqual([]);
  });

  it('fails only the request whose row the database refuses; its neighbours commit', async () => {
    const poison = (events: readonly TrackingEvent[]) =>
      events.some((e) => e.messageId === 'poison') ? Object.assign(new Error('invalid input syntax'), { code: '22P02' }) : null;
    const { store, inner } = recordingStore({ delayMs: 5, fail: poison });
    const committer = new GroupCommitter(store, { concurrency: 1 });
    const [busy, good1, bad, good2] = await Promise.allSettled([
      committer.append([event('busy')], 1),
      committer.append([event('g1')], 1),
      committer.append([event('poison')], 1),
      committer.append([event('g2')], 1),
    ]);
    expect([busy.status, good1.status, good2.status]).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(bad.status === 'rejected' && bad.reason).toBeInstanceOf(InvalidInputError);
    const stored = await inner.list('018f0000-0000-7000-8000-000000000001', { limit: 10 });
    expect(stored.map((e) => e.messageId).sort()).toEqual(['busy', 'g1', 'g2']);
  });

  it('commits everything queued on close, then refuses new appends', async () => {
    const { store, inner } = recordingStore({ delayMs: 10 });
    const committer = new GroupCommitter(store, { concurrency: 1 });
    const pending = Array.from({ length: 5 }, (_, i) => committer.append([event(`c${i}`)], 1));
    await committer.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(5);
    expect(await inner.list('018f0000-0000-7000-8000-000000000001', { limit: 10 })).toHaveLength(5);
    await expect(committer.append([event('late')], 1)).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
