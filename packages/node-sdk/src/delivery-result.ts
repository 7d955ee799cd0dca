import type { DeliveryError, FailureReason } from './errors';

/**
 * What every call's promise resolves to; it never rejects, so a call you do not await can never
 * cause an unhandled rejection.
 *
 * ### Examples
 * ```ts
 * const result = await client.track({ userId: 'u1', event: 'Signed Up' });
 * if (!result.ok) console.warn(result.reason, result.error.message);
 * ```
 */
export type DeliveryResult =
  | { ok: true; messageId: string }
  | { ok: false; messageId: string; reason: FailureReason; error: DeliveryError };

/** What `flush()` and `closeAndFlush()` resolve to: the fate of the calls made before them. */
export interface FlushResult {
  /** Calls the server acknowledged. */
  delivered: number;
  /** Calls reported failed (each also reached its promise and the `dropped` event). */
  failed: number;
  /** Calls still under way when `flush({ timeout })` gave up waiting; always 0 after `closeAndFlush`. */
  pending: number;
}
