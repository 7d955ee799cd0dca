/**
 * @module
 * Wire types of the Segment-compatible tracking API, shared with the SDKs. Types only: importing
 * this subpath pulls no server code into a bundle.
 */

/** Fields every message may carry. */
export interface MessageBase {
  messageId?: string;
  userId?: string;
  anonymousId?: string;
  timestamp?: string;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
}

/** A `track` call: something a user did. */
export interface TrackMessage extends MessageBase {
  type?: 'track';
  event: string;
  properties?: Record<string, unknown>;
}

/** An `identify` call: who the user is. */
export interface IdentifyMessage extends MessageBase {
  type?: 'identify';
  traits?: Record<string, unknown>;
}

/** A `page` or `screen` call: what the user sees. */
export interface PageMessage extends MessageBase {
  type?: 'page' | 'screen';
  name?: string;
  properties?: Record<string, unknown>;
}

/** A `group` call: the account a user belongs to. */
export interface GroupMessage extends MessageBase {
  type?: 'group';
  groupId: string;
  traits?: Record<string, unknown>;
}

/** An `alias` call: two ids of one user. */
export interface AliasMessage extends MessageBase {
  type?: 'alias';
  previousId: string;
  userId: string;
}

/** Any message, as a batch item (with its `type`). */
export type Message = TrackMessage | IdentifyMessage | PageMessage | GroupMessage | AliasMessage;

/** The body of `POST /v1/batch`. */
export interface BatchBody {
  batch: Message[];
  writeKey?: string;
  sentAt?: string;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
}

/** What the ingestion API answers with 200. */
export interface IngestResponse {
  success: true;
  /** Messages refused by name; the rest were stored. */
  rejected?: { index: number; messageId: string | null; errors: { pointer: string; message: string }[] }[];
}
