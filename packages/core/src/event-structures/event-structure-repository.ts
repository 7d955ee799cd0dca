import type { EventStructure } from './event-structure';

/** Write-model access to event structures; every version is kept. */
export interface EventStructureRepository {
  /** Stores a new version; a version that already exists throws a `ConflictError`. */
  insert(structure: EventStructure): Promise<void>;
  /** The newest version for an event name, or `null`. */
  findCurrent(systemId: string, eventName: string): Promise<EventStructure | null>;
  /** The newest version of every structure of a system, by event name. */
  listCurrent(systemId: string): Promise<EventStructure[]>;
}
