import type { SchemaViolation } from '../event-structures/compile-schema';

/** The six Segment message types. */
export type MessageType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/** The message types, in the order Segment's docs list them. */
export const messageTypes: readonly MessageType[] = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

/** An event as the write model stores it: one per (system, messageId). */
export interface TrackingEvent {
  systemId: string;
  messageId: string;
  type: MessageType;
  /** The track event's name, or the page/screen name. */
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  groupId: string | null;
  previousId: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  integrations: Record<string, unknown>;
  /** When it happened, corrected for the client's clock skew. */
  timestamp: Date;
  /** The timestamp the client sent, uncorrected. */
  originalTimestamp: Date | null;
  sentAt: Date | null;
  /** When the server received it. */
  receivedAt: Date;
  /** False when the event broke its event structure, or had none and the system flags that. */
  valid: boolean;
  validationErrors: SchemaViolation[];
}

/** A stored event with its position in the system's event log. */
export interface StoredEvent extends TrackingEvent {
  /** Monotonic position in the write model; the basis of listing cursors. */
  seq: string;
}
