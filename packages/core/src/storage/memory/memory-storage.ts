import type { EventStore, ListEventsOptions } from '../../ingestion/event-store';
import type { StoredEvent } from '../../ingestion/tracking-event';
import type { Storage } from '../storage';
import { memoryAnalytics } from './memory-analytics';
import { memoryRepositories } from './memory-repositories';
import { emptyState, snapshotManagement, type MemoryState } from './memory-state';

/**
 * Storage in this process's memory: for tests and trying things out. Nothing survives a restart.
 * Transactions run one at a time and roll back management changes when they throw.
 *
 * ### Examples
 * ```ts
 * import { createMemoryStorage } from '@volcanion-tracking/core/memory';
 * const storage = createMemoryStorage();
 * ```
 */
export function createMemoryStorage(): Storage {
  const state = emptyState();
  const repositories = memoryRepositories(state);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'memory',
    ...repositories,
    events: memoryEventStore(state),
    ...memoryAnalytics(state),
    transaction(fn) {
      const run = queue.then(async () => {
        const before = snapshotManagement(state);
        try {
          return await fn(repositories);
        } catch (error) {
          Object.assign(state, before);
          throw error;
        }
      });
      queue = run.catch(() => {});
      return run;
    },
    async migrate() {},
    health: async () => ({ pendingMigrations: [] }),
    poolStats: () => null,
    async close() {},
  };
}

function memoryEventStore(state: MemoryState): EventStore {
  return {
    async append(events) {
      let inserted = 0;
      const isNew: boolean[] = [];
      for (const event of events) {
        const id = `${event.systemId}\u0000${event.messageId}`;
        isNew.push(!state.messageIds.has(id));
        if (state.messageIds.has(id)) continue;
        state.messageIds.add(id);
        const list = state.events.get(event.systemId) ?? [];
        list.push({ ...structuredClone(event), seq: String(state.nextSeq++) });
        state.events.set(event.systemId, list);
        inserted++;
      }
      return { inserted, isNew };
    },
    async list(systemId, options) {
      const list = state.events.get(systemId) ?? [];
      const result = [];
      for (let i = list.length - 1; i >= 0 && result.length < options.limit; i--) {
        const event = list[i]!;
        if (options.beforeSeq !== undefined && BigInt(event.seq) >= BigInt(options.beforeSeq)) continue;
        if (matches(event, options)) result.push(structuredClone(event));
      }
      return result;
    },
  };
}

function matches(e: StoredEvent, o: ListEventsOptions): boolean {
  return (
    (o.valid === undefined || e.valid === o.valid) &&
    (o.event === undefined || e.event === o.event) &&
    (o.userId === undefined || e.userId === o.userId) &&
    (o.anonymousId === undefined || e.anonymousId === o.anonymousId) &&
    (o.type === undefined || e.type === o.type) &&
    (o.from === undefined || e.timestamp >= o.from) &&
    (o.to === undefined || e.timestamp < o.to)
  );
}
