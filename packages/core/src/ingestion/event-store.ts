import type { MessageType, StoredEvent, TrackingEvent } from './tracking-event';

/** Filters and position for listing a system's events, newest first. */
export interface ListEventsOptions {
  limit: number;
  /** Only events older (lower `seq`) than this one. */
  beforeSeq?: string;
  /** Only valid, or only flagged, events. */
  valid?: boolean;
  /** Only events with this name (track event or page/screen name). */
  event?: string;
  userId?: string;
  anonymousId?: string;
  type?: MessageType;
  /** Only events whose (skew-corrected) timestamp is at or after this instant. */
  from?: Date;
  /** Only events whose timestamp is before this instant. */
  to?: Date;
}

/** What {@link EventStore.append} stored. */
export interface AppendResult {
  /** How many events were new. */
  inserted: number;
  /** Per event, in input order: whether this call stored it (false for a duplicate). */
  isNew: boolean[];
}

/** The write model's event log. */
export interface EventStore {
  /**
   * Stores events atomically: all or none. An event whose (systemId, messageId) is already stored,
   * or appears earlier in the same call, is skipped, so resending is harmless. Resolves only once
   * the events are committed.
   */
  append(events: readonly TrackingEvent[]): Promise<AppendResult>;
  /** A system's events, newest first. */
  list(systemId: string, options: ListEventsOptions): Promise<StoredEvent[]>;
}
