import type { EventStructure } from '../../event-structures/event-structure';
import type { StoredEvent } from '../../ingestion/tracking-event';
import type { ApiKey } from '../../keys/api-key';
import type { Partner } from '../../partners/partner';
import type { PartnerSystem } from '../../partners/partner-system';
import type { DomainEvent } from '../../shared/domain-event';

/** Everything the memory backend holds. Management state is copied for transaction rollback. */
export interface MemoryState {
  partners: Map<string, Partner>;
  systems: Map<string, PartnerSystem>;
  keys: Map<string, ApiKey>;
  /** Versions per `systemId\u0000eventName`, oldest first. */
  structures: Map<string, EventStructure[]>;
  domainEvents: DomainEvent[];
  settings: Map<string, string>;
  /** Per system, in append order; `seq` is global. */
  events: Map<string, StoredEvent[]>;
  /** `systemId\u0000messageId` of every stored event, for dedup. */
  messageIds: Set<string>;
  nextSeq: number;
}

export function emptyState(): MemoryState {
  return {
    partners: new Map(),
    systems: new Map(),
    keys: new Map(),
    structures: new Map(),
    domainEvents: [],
    settings: new Map(),
    events: new Map(),
    messageIds: new Set(),
    nextSeq: 1,
  };
}

/** A copy of the management state; events are append-only and never rolled back by a transaction. */
export function snapshotManagement(state: MemoryState): Pick<MemoryState, 'partners' | 'systems' | 'keys' | 'structures' | 'domainEvents' | 'settings'> {
  return {
    partners: new Map(state.partners),
    systems: new Map(state.systems),
    keys: new Map(state.keys),
    structures: new Map([...state.structures].map(([k, v]) => [k, [...v]])),
    domainEvents: [...state.domainEvents],
    settings: new Map(state.settings),
  };
}
