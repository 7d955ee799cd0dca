import type { EventStore } from '../../ingestion/event-store';
import type { Storage } from '../storage';
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
    async list(systemId, { limit, beforeSeq, valid }) {
      const list = state.events.get(systemId) ?? [];
      const result = [];
      for (let i = list.length - 1; i >= 0 && result.length < limit; i--) {
        const event = list[i]!;
        if (beforeSeq !== undefined && BigInt(event.seq) >= BigInt(beforeSeq)) continue;
        if (valid !== undefined && event.valid !== valid) continue;
        result.push(structuredClone(event));
      }
      return result;
    },
  };
}
