import type { StoredEvent, TrackingEvent } from './tracking-event';

/** Filters and position for listing a system's events, newest first. */
export interface ListEventsOptions {
  limit: number;
  /** Only events older (lower `seq`) than this one. */
  beforeSeq?: string;
  /** Only valid, or only flagged, events. */
  valid?: boolean;
}

/** The write model's event log. */
export interface EventStore {
  /**
   * Stores events atomically: all or none. An event whose (systemId, messageId) is already stored is
   * skipped, so resending is harmless. Resolves only once the events are committed.
   * @returns how many of them were new.
   */
  append(events: readonly TrackingEvent[]): Promise<{ inserted: number }>;
  /** A system's events, newest first. */
  list(systemId: string, options: ListEventsOptions): Promise<StoredEvent[]>;
}
