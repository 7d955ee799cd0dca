import type { DeliveryResult } from './delivery-result';

/**
 * A call accepted by the client, serialized once at call time: later changes to the objects you
 * passed cannot alter what is sent, and retries resend the same bytes and messageId.
 */
export interface QueuedMessage {
  /** Call order; `flush()` waits for every message up to its own. */
  seq: number;
  messageId: string;
  /** The message as JSON. */
  json: string;
  /** UTF-8 size of `json`. */
  bytes: number;
  /** Settles the call's promise. */
  settle: (result: DeliveryResult) => void;
}
