import type { DeliveryError } from './errors';

/** How often, at most, failures nobody listens to are reported. */
const INTERVAL_MS = 60_000;

/**
 * Reports failures that no `error` or `dropped` listener saw as a process warning, at most once a
 * minute with a count, so that an event is never lost silently yet a long outage does not flood the log.
 */
export class UndeliveredWarning {
  private unreported = 0;
  private lastWarning = Number.NEGATIVE_INFINITY;

  /** Counts `error`'s messages, and warns when the last warning is old enough. */
  report(error: DeliveryError): void {
    this.unreported += error.messageIds.length;
    const now = Date.now();
    if (now - this.lastWarning < INTERVAL_MS) return;
    this.lastWarning = now;
    const count = this.unreported;
    this.unreported = 0;
    process.emitWarning(
      `${count} tracking call${count === 1 ? '' : 's'} not delivered (latest: ${error.message}). Listen with client.on('error' | 'dropped', …) or check each call's result; this warning repeats at most once a minute.`,
      { code: 'VOLCANION_TRACKING_UNDELIVERED' },
    );
  }
}
